// Browser tests of the web UI against a real server with the demo record.
// Run from the repository root:  node --test tests/e2e/
// Needs build/detente (or $DETENTE_BIN) and /usr/bin/chromium (or $CHROMIUM).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from '../lib/server.mjs';
import { launch, openPage } from '../lib/browser.mjs';
import en from '../../web/js/i18n/en.js';
import id from '../../web/js/i18n/id.js';

const USER = { username: 'alice', password: 'correct horse battery staple', role: 'delegate', party: 'IDN' };
const OPERATOR = { username: 'e2e-operator', password: 'operator password e2e', role: 'operator', party: 'USA' };

let srv;
let browser;
const opened = [];

before(async () => {
  srv = await startServer({ users: [USER, OPERATOR] });
  browser = await launch();
});

after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

async function open(opts = {}) {
  const p = await openPage(browser, { lang: 'en', ...opts });
  opened.push(p.context);
  return p;
}

/* Waits until the router has rendered `path` (pathname + search). */
function rendered(page, path) {
  return page.waitForFunction((p) => document.getElementById('main').dataset.url === p, path);
}

async function signIn(page) {
  await page.goto(`${srv.url}/signin`);
  await page.getByLabel('User name').fill(USER.username);
  await page.getByLabel('Password').fill(USER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${srv.url}/account`);
  await page.getByRole('link', { name: /alice/ }).waitFor();
}

/* Submits an act as the operator, through a session of its own. */
async function operatorAct(type, body) {
  const login = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: OPERATOR.username, password: OPERATOR.password }),
  });
  assert.equal(login.status, 200);
  const cookie = (login.headers.get('set-cookie') || '').split(';')[0];
  const { csrf_token: csrf } = await login.json();
  const r = await fetch(`${srv.url}/api/v1/acts`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
    body: JSON.stringify({ type, body }),
  });
  assert.equal(r.status, 201, await r.text());
}

describe('message tables', () => {
  test('English and Indonesian have the same keys and no empty strings', () => {
    assert.deepEqual(Object.keys(id).sort(), Object.keys(en).sort());
    for (const [k, v] of Object.entries(id)) assert.ok(String(v).trim(), `id ${k} is empty`);
  });
});

describe('web UI', () => {
  test('home page: counts, explanation, timeline with load more', async () => {
    const { page, assertClean } = await open();
    await page.goto(`${srv.url}/`);
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'The record of cyber diplomacy' }).waitFor());
    assert.equal(await page.title(), 'The record of cyber diplomacy — Détente');
    const states = page.locator('.stat', { hasText: 'States' }).first();
    assert.match(await states.innerText(), /195/);
    const items = page.locator('.timeline > li');
    await items.first().waitFor();
    const n = await items.count();
    assert.ok(n >= 10, `timeline shows ${n} items`);
    // Newest first.
    const dates = await page.locator('.timeline time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
    assert.ok(dates[0] >= dates[dates.length - 1], 'newest first');
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.waitForFunction((k) => document.querySelectorAll('.timeline > li').length > k, n);
    // The failed 2017 GGE is on the record, shown as failed.
    while (await page.getByRole('button', { name: 'Load more' }).count()) {
      if (await page.locator('.timeline .tl-failed').count()) break;
      const k = await items.count();
      await page.getByRole('button', { name: 'Load more' }).click();
      await page.waitForFunction((c) => document.querySelectorAll('.timeline > li').length > c, k);
    }
    assert.ok(await page.locator('.timeline .tl-failed .badge-fail').count() >= 1, 'a failed outcome is marked');
    await assertClean();
  });

  test('search for A/70/174, open it and see the eleven norms', async () => {
    const { page, assertClean } = await open();
    await page.goto(`${srv.url}/`);
    await page.getByRole('searchbox', { name: 'Search the record' }).fill('A/70/174');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/search\?q=A%2F70%2F174/);
    const hit = page.getByRole('link', { name: /^A\/70\/174 Report of the Group of Governmental Experts/ });
    await hit.click();
    await page.waitForURL(`${srv.url}/instruments/a-70-174`);
    await page.getByRole('heading', { name: 'Norms (11)' }).waitFor();
    assert.equal(await page.locator('.norm-list > li').count(), 11);
    for (const title of ['Do not damage critical infrastructure', 'Respond to requests for assistance']) {
      assert.equal(await page.getByRole('link', { name: new RegExp(title) }).count(), 1, title);
    }
    // Sources and the log entry are shown.
    assert.ok(await page.locator('.sources li a[href^="http"]').count() >= 1);
    assert.match(await page.locator('a.log-link').first().getAttribute('href'), /^\/log\?start=\d+$/);
    // Back to the results.
    await page.goBack();
    await page.waitForURL(/\/search\?q=/);
    await page.getByRole('heading', { name: /results for “A\/70\/174”/ }).waitFor();
    await assertClean();
  });

  test('a party page shows its votes on the cyber resolutions', async () => {
    const { page, assertClean } = await open();
    await page.goto(`${srv.url}/parties/IDN`);
    await page.getByRole('heading', { level: 1, name: 'Indonesia' }).waitFor();
    const votes = page.locator('.votes-table tbody tr');
    assert.equal(await votes.count(), 6);
    assert.equal(await page.locator('.votes-table .vote-yes').count(), 6);
    await page.getByRole('link', { name: 'A/RES/73/27 Developments in the field of information and telecommunications in the context of international security' }).waitFor();
    assert.ok(await page.getByRole('link', { name: 'Association of Southeast Asian Nations' }).count() >= 1);
    // A State that voted no has a "No" cell.
    await page.goto(`${srv.url}/parties/USA`);
    await page.getByRole('heading', { level: 1, name: 'United States of America' }).waitFor();
    assert.ok(await page.locator('.votes-table .vote-no').count() >= 1);
    await assertClean();
  });

  test('an instrument with a recorded vote lists the totals and the States', async () => {
    const { page, assertClean } = await open();
    await page.goto(`${srv.url}/instruments/a-res-73-27`);
    await page.getByRole('heading', { name: 'Recorded vote' }).waitFor();
    assert.match(await page.locator('.vote-head').innerText(), /119–46–14/);
    assert.equal(await page.locator('.vote-col-yes .vote-names li').count(), 119);
    await page.getByLabel('Find a State').fill('indonesia');
    assert.equal(await page.locator('.vote-names li:not([hidden])').count(), 1);
    await assertClean();
  });

  test('the failed 2017 GGE is shown as failed, with the reason', async () => {
    const { page, assertClean } = await open();
    await page.goto(`${srv.url}/instruments/gge-2016-2017-outcome`);
    const callout = page.locator('.callout-fail');
    await callout.waitFor();
    assert.match(await callout.innerText(), /failed/i);
    assert.match(await callout.innerText(), /paragraph 34/);
    await assertClean();
  });

  test('unconfirmed records carry a badge and their note', async () => {
    const { page, assertClean } = await open();
    await page.goto(`${srv.url}/instruments/a-res-76-19`);
    const callout = page.locator('.callout-warn');
    await callout.waitFor();
    assert.match(await callout.innerText(), /Unconfirmed/);
    assert.match(await callout.innerText(), /UNCONFIRMED/);
    await assertClean();
  });

  test('Bahasa Indonesia: switch, see Indonesian strings, and the choice persists', async () => {
    const { page, assertClean } = await open();
    await page.goto(`${srv.url}/parties`);
    await page.getByRole('heading', { level: 1, name: 'Parties' }).waitFor();
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pihak' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    await page.getByRole('navigation', { name: 'Utama' }).getByRole('link', { name: 'Beranda' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Bahasa Indonesia' }).getAttribute('aria-pressed'), 'true');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Pihak' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    await page.goto(`${srv.url}/instruments/a-res-73-27`);
    await page.getByRole('heading', { name: 'Pemungutan suara tercatat' }).waitFor();
    assert.match(await page.locator('.vote-col-yes h3').innerText(), /Mendukung/);
    assert.match(await page.locator('.facts').innerText(), /5 Desember 2018/);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Recorded vote' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await assertClean();
  });

  test('a restricted instrument: not found for the public, shown with its label to its recipients', async () => {
    await operatorAct('instrument.record', {
      id: 'e2e-confidential-mou', title: 'Confidential cyber MoU', kind: 'agreement', date: '2024-05-01',
      binding: false, outcome: 'adopted', summary: 'A memorandum its parties keep to themselves.',
      tlp: 'TLP:AMBER', recipients: ['IDN'], sources: [{ title: 'e2e', url: 'https://example.org/' }],
    });
    const anon = await open();
    await anon.page.goto(`${srv.url}/instruments/e2e-confidential-mou`);
    await anon.page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    assert.equal(await anon.page.getByText('Confidential cyber MoU').count(), 0);
    const { page, assertClean } = await open();
    await signIn(page);
    await page.goto(`${srv.url}/instruments/e2e-confidential-mou`);
    await page.getByRole('heading', { level: 1, name: 'Confidential cyber MoU' }).waitFor();
    const label = page.locator('.page-header .tlp', { hasText: 'TLP:AMBER' });
    assert.equal(await label.count(), 1, 'the label is shown');
    assert.equal(await label.getAttribute('title'), en['tlp.restricted']);
    await assertClean();
  });

  test('the log at its end shows new entries as they are appended', async () => {
    const { page, assertClean } = await open();
    await page.goto(`${srv.url}/log`);
    const live = page.getByTestId('log-live');
    await live.waitFor();
    assert.match(await live.innerText(), /Live/);
    const before = await page.locator('.log-table tbody tr[id^="entry-"]').count();
    await operatorAct('party.register', { code: 'XLV', name: 'Liveland', kind: 'state', sources: [{ title: 'e2e', url: 'https://example.org/' }] });
    await page.locator('.log-table tbody tr[id^="entry-"]', { hasText: 'party.register' }).last().waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('.log-table tbody tr[id^="entry-"]').length > n, before);
    await page.waitForFunction(() => /1 new/.test(document.querySelector('[data-testid="log-live"]').textContent));
    const last = page.locator('.log-table tbody tr[id^="entry-"]').last();
    await last.getByText('Signed JSON').click();
    assert.match(await last.locator('pre.json').innerText(), /Liveland/);
    // an older window of the log is not live
    await page.goto(`${srv.url}/log?start=0&end=10`);
    await page.locator('.log-table').waitFor();
    assert.equal(await page.getByTestId('log-live').count(), 0);
    await assertClean();
  });

  test('downloads: a list as the server makes it, a record page’s table as shown', async () => {
    const { page, assertClean } = await open();
    const fetchDownload = async (locator) => {
      const [dl] = await Promise.all([page.waitForEvent('download'), locator.click()]);
      const path = await dl.path();
      return { name: dl.suggestedFilename(), text: readFileSync(path, 'utf8') };
    };
    // a filtered list: the server's CSV of exactly that filter
    await page.goto(`${srv.url}/parties?group=WEOG`);
    await page.locator('.parties-table').waitFor();
    const shownRows = await page.locator('.parties-table tbody tr').count();
    const csv = await fetchDownload(page.getByRole('link', { name: 'Download CSV' }));
    assert.equal(csv.name, 'parties.csv');
    const lines = csv.text.trim().split('\r\n');
    assert.equal(lines[0], 'code,name,kind,alpha2,numeric,un_group,admitted,unconfirmed');
    assert.equal(lines.length - 1, shownRows, 'as many rows as the table shows');
    assert.ok(lines.slice(1).every((l) => l.includes(',WEOG,')), 'only WEOG');
    const json = await fetchDownload(page.getByRole('link', { name: 'Download JSON' }));
    assert.equal(JSON.parse(json.text).items.length, shownRows);
    // a table of a record's page: made in the browser from what it shows
    await page.goto(`${srv.url}/parties/IDN`);
    await page.locator('.votes-table').waitFor();
    const votes = page.locator('section', { has: page.locator('.votes-table') });
    const vcsv = await fetchDownload(votes.getByRole('button', { name: 'Download CSV' }));
    assert.equal(vcsv.name, 'party-IDN-votes.csv');
    const vlines = vcsv.text.trim().split('\r\n');
    assert.match(vlines[0], /^instrument,symbol,title,date,vote$/);
    assert.ok(vlines.some((l) => l.startsWith('a-res-73-27,A/RES/73/27,') && l.endsWith(',yes')), vcsv.text);
    assert.equal(vlines.length - 1, await page.locator('.votes-table tbody tr').count());
    // an instrument's vote: one row per member state
    await page.goto(`${srv.url}/instruments/a-res-73-27`);
    await page.getByRole('heading', { name: 'Recorded vote' }).waitFor();
    const all = await fetchDownload(page.locator('#vote-h').locator('..').getByRole('link', { name: 'Download CSV' }));
    assert.equal(all.text.trim().split('\r\n').length - 1, 193);
    // the whole record, from the home page
    await page.goto(`${srv.url}/`);
    const [zip] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download all as CSV (zip)' }).click()]);
    assert.equal(zip.suggestedFilename(), 'detente-record-csv.zip');
    assert.equal(readFileSync(await zip.path()).subarray(0, 4).toString('hex'), '504b0304', 'a zip');
    await assertClean();
  });

  test('Bahasa Indonesia: the record’s texts, the language in the address', async () => {
    const { page, assertClean } = await open();
    await page.goto(`${srv.url}/norms/gge2015-f?lang=id`);
    await page.getByRole('heading', { level: 1, name: 'Tidak merusak infrastruktur kritis' }).waitFor();
    assert.match(await page.locator('.norm-text').innerText(), /infrastruktur kritis/);
    assert.match(await page.locator('.translation-note').innerText(), /Terjemahan tidak resmi/);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'id');
    // a link keeps the language in the address, so a shared link opens in it
    await page.getByRole('link', { name: 'Norma', exact: true }).first().click();
    await page.waitForURL(/\/norms\?lang=id$/);
    // State names from iso-codes; the filter finds them by their Indonesian name
    await page.goto(`${srv.url}/parties?lang=id&q=Jerman`);
    await rendered(page, '/parties?lang=id&q=Jerman');
    assert.equal(await page.locator('.data tbody tr').count(), 1);
    assert.equal(await page.locator('.data tbody tr a').first().innerText(), 'Jerman');
    // search in Indonesian
    await page.goto(`${srv.url}/search?q=infrastruktur%20kritis&lang=id`);
    await page.getByRole('link', { name: 'Tidak merusak infrastruktur kritis' }).waitFor();
    // English: the address loses lang; an unknown one falls back
    await page.goto(`${srv.url}/norms/gge2015-f?lang=xx`);
    await page.getByRole('heading', { level: 1, name: /critical infrastructure/i }).waitFor();
    assert.equal(new URL(page.url()).search, '');
    await assertClean();
  });

  test('the log speaks plainly first: what happened, when it happened, when it was recorded', async () => {
    const { page, assertClean } = await open();
    const rec = (await fetch(`${srv.url}/api/v1/instruments/a-70-174`).then((r) => r.json()));
    await page.goto(`${srv.url}/log?start=${rec.log_idx}`);
    const row = page.locator(`#entry-${rec.log_idx}`);
    await row.waitFor();
    assert.match(await page.locator('.page-header .sub').innerText(), /signed and appended to a public ledger/);
    assert.match(await row.locator('.says').innerText(), /^A\/70\/174 Report of the Group of Governmental Experts.*: Adopted$/);
    assert.match(await row.locator('td').nth(1).innerText(), /2015/, 'the date of the act');
    const heads = await page.locator('.log-table thead th').allTextContents();
    assert.deepEqual(heads.slice(1, 4), ['What happened', 'Date of the act', 'Recorded']);
    // the raw JSON is behind a toggle, the labels are explained, the
    // auditors' terms come after the entries
    assert.equal(await row.locator('pre.json').isVisible(), false);
    await page.getByText('What the TLP labels mean').click();
    assert.match(await page.locator('.tlp-legend').innerText(), /Public: anyone may read it/);
    const entriesY = (await page.locator('#entries-h').boundingBox()).y;
    assert.ok((await page.getByRole('heading', { name: 'For auditors' }).boundingBox()).y > entriesY);
    await assertClean();
  });

  test('a vote as a world map with its table, and States compared side by side', async () => {
    const { page, assertClean } = await open();
    await page.goto(`${srv.url}/instruments/a-res-73-27`);
    const map = page.getByRole('img', { name: /^World map of the vote: 119 yes, 46 no, 14 abstaining, 14 absent/ });
    await map.waitFor();
    assert.ok(await page.locator('.world-map path').count() > 150, 'the countries are drawn');
    assert.equal(await page.locator('.world-map path.vt-no-bg', { has: page.locator('title', { hasText: /^United States of America: No$/ }) }).count(), 1);
    assert.equal(await page.locator('.world-map path.vt-yes-bg', { has: page.locator('title', { hasText: /^Indonesia: Yes$/ }) }).count(), 1);
    // nothing striped across the map: only Antarctica spans it
    const wide = await page.evaluate(() => [...document.querySelectorAll('.world-map path')]
      .filter((p) => p.getAttribute('d').split('M').slice(1).some((ring) => {
        const xs = ring.replace('Z', '').split('L').map((pt) => Number(pt.split(',')[0]));
        return Math.max(...xs) - Math.min(...xs) > 480; // a ring across half the world
      })).map((p) => p.querySelector('title').textContent));
    assert.deepEqual(wide.filter((n) => !/Antarctica/.test(n)), []);
    await page.locator('.map-table summary').click();
    assert.equal(await page.locator('.map-table tbody tr').count(), 193);
    // compare: two States, their votes on every recorded vote
    await page.getByLabel('Add a State').fill('USA');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByLabel('Add a State').fill('china'); // a name, typed
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const cmp = page.locator('.compare-table');
    await cmp.waitFor();
    assert.equal(await cmp.locator('tbody tr').count(), 6, 'the six recorded votes');
    assert.match(await page.locator('.agreement').innerText(), /^United States of America and China: the same vote \d+ times out of 6 \(\d+ %\)$/);
    assert.match(page.url(), /compare=USA%2CCHN|compare=USA,CHN/);
    // the choice is in the address: shared, it opens the same comparison
    await page.goto(`${srv.url}/instruments/a-res-74-28?compare=IDN,BRA,DEU`);
    await page.locator('.compare-table').waitFor();
    assert.equal(await page.locator('.agreement li').count(), 3, 'three pairs');
    await page.getByRole('button', { name: 'Remove Germany' }).click();
    assert.equal(await page.locator('.agreement li').count(), 1);
    await assertClean();
  });

  test('sign in and sign out', async () => {
    const { page, assertClean } = await open();
    await page.goto(`${srv.url}/signin`);
    await page.getByLabel('User name').fill(USER.username);
    await page.getByLabel('Password').fill(USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${srv.url}/account`);
    const header = page.locator('#site-header');
    await header.getByRole('link', { name: /alice/ }).waitFor();
    assert.match(await header.innerText(), /Delegate · IDN/);
    // The session survives a reload.
    await page.reload();
    await header.getByRole('link', { name: /alice/ }).waitFor();
    await header.getByRole('button', { name: 'Sign out' }).click();
    await header.getByRole('link', { name: 'Sign in' }).waitFor();
    assert.equal(await header.getByText('alice').count(), 0);
    // The account page now asks to sign in.
    await page.goto(`${srv.url}/account`);
    await page.waitForURL(/\/signin\?next=%2Faccount|\/signin\?next=\/account/);
    await assertClean();
  });

  test('Account: create an API token (shown once) and revoke it', async () => {
    const { page, context, assertClean } = await open();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
    await signIn(page);
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByLabel('Name of a new token').fill('e2e script');
    await page.getByRole('button', { name: 'Create token' }).click();
    const value = page.getByLabel('The new token');
    await value.waitFor();
    const token = await value.inputValue();
    assert.ok(token.length >= 20, `token ${token}`);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied', exact: true }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
    const row = page.locator('.tokens-table tbody tr', { hasText: 'e2e script' });
    await row.getByText('Active').waitFor();
    // The token works against the API.
    const r = await fetch(`${srv.url}/api/v1/tokens`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200);
    page.once('dialog', (d) => d.accept());
    await row.getByRole('button', { name: 'Revoke token e2e script' }).click();
    await row.getByText('Revoked').waitFor();
    assert.equal(await page.getByLabel('The new token').count(), 0, 'the revoked token is no longer shown');
    const r2 = await fetch(`${srv.url}/api/v1/tokens`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(r2.status, 401);
    await assertClean();
  });

  test('the log page shows the signed checkpoint and the entries', async () => {
    const { page, assertClean } = await open();
    await page.goto(`${srv.url}/log`);
    await page.getByRole('heading', { name: 'Latest checkpoint' }).waitFor();
    const note = await page.locator('pre.checkpoint').innerText();
    const lines = note.split('\n');
    assert.match(lines[1], /^\d+$/, 'size line');
    assert.match(lines[2], /^[A-Za-z0-9+/]{43}=$/, 'root hash line');
    assert.match(note, /\n\n— \S+ [A-Za-z0-9+/=]+/, 'signature line');
    const rows = page.locator('.log-table tbody tr');
    assert.ok(await rows.count() >= 1);
    // A record's log link lands on its entry.
    await page.goto(`${srv.url}/parties/IDN`);
    await page.locator('a.log-link').first().click();
    await page.waitForURL(/\/log\?start=\d+$/);
    const hl = page.locator('.log-table tr.highlight');
    await hl.waitFor();
    assert.match(await hl.innerText(), /party\.register/);
    await hl.getByText('Signed JSON').click();
    assert.match(await hl.locator('pre.json').innerText(), /"code": "IDN"/);
    await assertClean();
  });

  test('unknown pages and records show a 404 page', async () => {
    const { page, assertClean } = await open({ allow: [/status of 404/] });
    await page.goto(`${srv.url}/parties/XXX`);
    await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    assert.match(await page.locator('main').innerText(), /There is no party “XXX” in the record\./);
    assert.doesNotMatch(await page.locator('main').innerText(), /api\/v1|server said/i, 'no developer text');
    assert.equal(await page.getByLabel('Search the record for it').inputValue(), 'XXX');
    await page.goto(`${srv.url}/instruments/A/RES/99/999`);
    await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    assert.match(await page.locator('main').innerText(), /There is no instrument with the id or symbol “A\/RES\/99\/999” in the record\./);
    await page.locator('form.search-again').getByRole('button').click();
    await page.waitForURL(/\/search\?q=A%2FRES%2F99%2F999/);
    await page.goto(`${srv.url}/no/such/page`);
    await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    assert.match(await page.locator('main').innerText(), /There is no page or record at this address\./);
    await assertClean();
  });

  test('an instrument by its symbol: /instruments/A/RES/73/27 becomes its canonical address', async () => {
    const { page, assertClean } = await open();
    for (const addr of ['/instruments/A/RES/73/27', '/instruments/A%2FRES%2F73%2F27']) {
      await page.goto(`${srv.url}${addr}`);
      await page.getByRole('heading', { name: 'Recorded vote' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/instruments/a-res-73-27');
      assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /^A\/RES\/73\/27\s/, 'the heading leads with the symbol');
    }
    // the fourth group, and the bar's text alternative
    assert.match(await page.getByRole('heading', { level: 3, name: /^Absent or not voting/ }).innerText(), /14/);
    assert.equal(await page.locator('.vote-col-absent .vote-names li').count(), 14);
    assert.equal(await page.getByRole('img', { name: '119 yes, 46 no, 14 abstaining, 14 absent or not voting', exact: true }).count(), 1);
    await assertClean();
  });

  test('lists: parties filter by kind and group, forums, instruments, norms', async () => {
    const { page, assertClean } = await open();
    await page.goto(`${srv.url}/parties`);
    await page.getByLabel('UN regional group').selectOption('Asia-Pacific');
    await rendered(page, '/parties?group=Asia-Pacific');
    assert.equal(await page.getByRole('link', { name: 'Germany' }).count(), 0);
    // the server filters every party, not the page: by name or code
    await page.getByLabel('Name or code, in English or Indonesian').fill('indo');
    await rendered(page, '/parties?group=Asia-Pacific&q=indo');
    assert.equal(await page.locator('.data tbody tr').count(), 1);
    assert.equal(await page.getByLabel('Name or code, in English or Indonesian').inputValue(), 'indo', 'the filter keeps its text');
    // a space the reader pauses after stays
    await page.goto(`${srv.url}/parties`);
    await page.getByLabel('Name or code, in English or Indonesian').pressSequentially('United ');
    await rendered(page, '/parties?q=United+');
    await page.getByLabel('Name or code, in English or Indonesian').pressSequentially('States');
    await rendered(page, '/parties?q=United+States');
    assert.ok(await page.locator('.data tbody tr').count() >= 1);
    // and by membership: the members of ASEAN
    await page.goto(`${srv.url}/parties?member_of=ASEAN`);
    await rendered(page, '/parties?member_of=ASEAN');
    assert.equal(await page.locator('.data tbody tr').count(), 11, 'ASEAN has 11 members, Timor-Leste since 2025');
    await page.goto(`${srv.url}/parties?kind=state`);
    await rendered(page, '/parties?kind=state');
    await page.getByRole('link', { name: 'Next' }).click();
    await page.waitForURL(/after=/);
    await page.getByRole('link', { name: 'Previous' }).waitFor();
    await page.goto(`${srv.url}/forums`);
    await page.getByRole('link', { name: /GGE 2016-17/ }).click();
    await page.getByRole('heading', { name: 'Outcomes' }).waitFor();
    assert.ok(await page.locator('tr.row-failed .badge-fail').count() >= 1);
    await page.goto(`${srv.url}/instruments`);
    await rendered(page, '/instruments');
    await page.getByLabel('Kind').selectOption('joint_statement');
    await rendered(page, '/instruments?kind=joint_statement');
    await page.getByRole('link', { name: /Joint Statement|joint statement/i }).first().click();
    await page.getByRole('heading', { level: 3, name: /^Signatories/ }).waitFor();
    await page.goto(`${srv.url}/norms`);
    await rendered(page, '/norms');
    assert.equal(await page.locator('.norm-cards > li').count(), 11);
    await assertClean();
  });
});
