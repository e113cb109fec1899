// Negotiation in the browser, as two delegations in two browser contexts:
// Brazil proposes an amendment that Indonesia (the penholder and chair)
// sees appear without reloading, accepts, and puts to a silence procedure
// that adopts it when the deadline passes; then both vote in the practice
// committee and read the result after the close.  The deadline passes
// when the test moves the scheduler's clock (serve --clock-file).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startServer } from '../lib/server.mjs';
import { launch, openPage } from '../lib/browser.mjs';

const IDN = { username: 'neg-idn', password: 'indonesia delegation pw', role: 'delegate', party: 'IDN' };
const BRA = { username: 'neg-bra', password: 'brazil delegation pw 1', role: 'delegate', party: 'BRA' };

let srv;
let browser;
let dir;
let clock;
const opened = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'detente-e2e-neg-'));
  clock = join(dir, 'clock');
  srv = await startServer({ users: [IDN, BRA], args: ['--clock-file', clock] });
  browser = await launch();
});

after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  if (browser) await browser.close();
  if (srv) await srv.stop();
  await rm(dir, { recursive: true, force: true });
});

async function as(user) {
  const p = await openPage(browser, { lang: 'en' });
  opened.push(p.context);
  const { page } = p;
  await page.goto(`${srv.url}/signin`);
  await page.getByLabel('User name').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${srv.url}/account`);
  return p;
}

const passDeadlines = (days) => writeFile(clock, new Date(Date.now() + days * 86_400_000).toISOString());

describe('negotiation in the browser', () => {
  test('propose, see it live, accept, silence, adopted', async () => {
    const bra = await as(BRA);
    const idn = await as(IDN);
    const doc = `${srv.url}/documents/practice-oewg-report`;
    await bra.page.goto(doc);
    await idn.page.goto(doc);
    await idn.page.locator('.paragraphs .bracket').first().waitFor();
    assert.equal(await idn.page.locator('.bracket').count(), 2, 'the brackets show as such');
    const before = await idn.page.locator('[data-testid=amendment]').count();
    // Brazil proposes; Indonesia's page shows it without a reload
    await bra.page.getByLabel('Paragraph', { exact: true }).selectOption('pp2');
    await bra.page.getByLabel('New text').fill('Concerned by the growing use of ICTs in ways inconsistent with international peace and security,');
    await bra.page.getByLabel('Explanation').fill('The threats are growing: agree the word.');
    await bra.page.getByRole('button', { name: 'Propose' }).click();
    await idn.page.waitForFunction((n) => document.querySelectorAll('[data-testid=amendment]').length > n, before);
    // the penholder accepts both amendments: Rev.1, Rev.2
    for (let i = 0; i < 2; i++) {
      await idn.page.locator('[data-testid^=accept-] button').first().click();
      await idn.page.waitForFunction((k) => document.querySelectorAll('[data-testid^=accept-]').length === k, 1 - i);
    }
    await idn.page.locator('.revisions').getByRole('link', { name: 'Rev.2' }).waitFor();
    assert.equal(await idn.page.locator('.paragraphs .bracket').count(), 0, 'no bracket left');
    await idn.page.getByTestId('compare-link').click();
    await idn.page.getByTestId('diff').locator('del').first().waitFor();
    // the print layout, styled by its own stylesheet (the CSP allows no inline style)
    const print = await idn.page.getByTestId('print-link').getAttribute('href');
    await idn.page.goto(srv.url + print);
    await idn.page.locator('ol li').first().waitFor();
    assert.match(await idn.page.evaluate(() => getComputedStyle(document.body).fontFamily), /Times/);
    await idn.page.goto(doc);
    await idn.page.getByRole('button', { name: 'Open', exact: true }).click();
    await idn.page.getByTestId('countdown').waitFor();
    await bra.page.getByTestId('countdown').waitFor(); // live on Brazil's page too
    assert.match(await bra.page.getByTestId('countdown').textContent(), /left/);
    await passDeadlines(1);
    await bra.page.locator('.page-header .badge', { hasText: 'Adopted' }).waitFor({ timeout: 10_000 });
    await bra.assertClean();
    await idn.assertClean();
  });

  test('a recorded vote to its result', async () => {
    const r = await fetch(`${srv.url}/api/v1/negotiations/practice-committee`);
    const dec = (await r.json()).decisions.find((d) => d.status === 'open');
    assert.ok(dec, 'the practice committee has an open vote');
    const bra = await as(BRA);
    const idn = await as(IDN);
    for (const [p, v] of [[bra.page, 'yes'], [idn.page, 'abstain']]) {
      await p.goto(`${srv.url}/decisions/${dec.id}`);
      await p.getByTestId('sealed').waitFor();
      await p.getByLabel('Vote on the text as a whole').selectOption(v);
      await p.getByRole('button', { name: 'Cast the vote' }).click();
      await p.locator('table .vote').first().waitFor();
    }
    // each sees its own ballot only
    assert.equal(await bra.page.locator('table .vote').count(), 1);
    await passDeadlines(8);
    await idn.page.getByTestId('tally').waitFor({ timeout: 10_000 });
    assert.match(await idn.page.getByTestId('tally').textContent(), /1–0–1/);
    await idn.page.getByRole('heading', { name: 'Votes by party' }).waitFor();
    await bra.assertClean();
    await idn.assertClean();
  });
});
