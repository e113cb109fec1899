// Accessibility: axe-core (WCAG 2.1 A and AA rules) over every page of the
// web UI, at a desktop and a phone size, in English and Indonesian; a
// serious or critical violation fails the test.  A page added by a later
// issue joins PAGES.
// Run from the repository root:  node --test tests/e2e/

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer } from '../lib/server.mjs';
import { launch, openPage } from '../lib/browser.mjs';

const require = createRequire(import.meta.url);
const { AxeBuilder } = require('@axe-core/playwright');

const USER = { username: 'axe-user', password: 'accessible password 1', role: 'delegate', party: 'IDN' };

/* Every page, and what shows that it has rendered. */
export const PAGES = [
  ['/', 'h1'],
  ['/parties', '.parties-table'],
  ['/parties?group=WEOG&q=land', '.parties-table'],
  ['/parties/IDN', '.votes-table'],
  ['/parties/ASEAN', 'h1'],
  ['/forums', 'table'],
  ['/forums/gge-2016-2017', 'h1'],
  ['/instruments', 'table'],
  ['/instruments/a-res-73-27', '.vote-cols'],
  ['/instruments/us-china-2015', '.commitments'],
  ['/norms', '.norm-cards'],
  ['/norms/gge2015-f', '.norm-text'],
  ['/search?q=critical%20infrastructure', '.results'],
  ['/log', '.log-table'],
  ['/negotiate', 'table'],
  ['/negotiate/practice-oewg', '.history'],
  ['/documents/practice-oewg-report', '.paragraphs'],
  ['/decisions/1048', '.page-header'],
  ['/account', 'h1'],
  ['/no/such/page', '.notfound'],
];

const SIZES = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

let srv;
let browser;

before(async () => {
  srv = await startServer({ users: [USER] });
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

async function signIn(page) {
  await page.goto(`${srv.url}/signin?lang=en`);
  await page.getByLabel('User name').fill(USER.username);
  await page.getByLabel('Password').fill(USER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${srv.url}/account`);
}

/* The serious and critical violations of a page, one line each. */
async function violations(page) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  // English at both sizes, Indonesian at the desktop's (its strings are
  // longer; the layout is the same)
  for (const [size, viewport] of Object.entries(SIZES))
    for (const lang of size === 'desktop' ? ['en', 'id'] : ['en'])
      test(`every page at ${size} size, in ${lang === 'en' ? 'English' : 'Indonesian'}: no serious or critical violation`, async () => {
        const { page, context } = await openPage(browser, { lang, viewport, allow: [/status of 404/] });
        try {
          const found = [];
          // the sign-in page as the public sees it, then every page signed in
          await page.goto(`${srv.url}/signin?lang=${lang}`);
          await page.locator('main form').first().waitFor();
          for (const v of await violations(page)) found.push(`/signin: ${v}`);
          await signIn(page);
          for (const [path, ready] of PAGES) {
            await page.goto(`${srv.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
            await page.locator(ready).first().waitFor();
            for (const v of await violations(page)) found.push(`${path}: ${v}`);
          }
          assert.deepEqual(found, [], found.join('\n'));
        } finally {
          await context.close();
        }
      });

  test('the check can fail: an image without a text alternative, text too faint to read', async () => {
    const { page, context } = await openPage(browser, { lang: 'en' });
    try {
      await page.goto(`${srv.url}/`);
      await page.locator('h1').waitFor();
      await page.evaluate(() => {
        const img = document.createElement('img');
        img.src = '/favicon.svg';
        document.querySelector('main').append(img);
        const p = document.createElement('p');
        p.textContent = 'faint';
        p.style.color = '#d8d8d8';
        document.querySelector('main').append(p);
      });
      const found = await violations(page);
      assert.ok(found.some((v) => v.includes('image-alt')), found.join('\n'));
      assert.ok(found.some((v) => v.includes('color-contrast')), found.join('\n'));
    } finally {
      await context.close();
    }
  });

  test('on a phone: one line of navigation, the search on the first screen, the vote near the top', async () => {
    const { page, context } = await openPage(browser, { lang: 'en', viewport: SIZES.phone });
    try {
      await page.goto(`${srv.url}/`);
      const search = page.getByRole('searchbox').first();
      await search.waitFor();
      const box = await search.boundingBox();
      assert.ok(box.y + box.height <= SIZES.phone.height, `the search box ends at ${box.y + box.height}px`);
      const nav = await page.locator('.site-nav ul').boundingBox();
      assert.ok(nav.height < 60, `the navigation is ${nav.height}px high`);
      await page.goto(`${srv.url}/instruments/a-res-73-27`);
      const vote = page.locator('#vote-h');
      await vote.waitFor();
      const summary = await page.locator('#summary-h').boundingBox();
      assert.ok((await vote.boundingBox()).y < summary.y, 'the vote comes before the summary');
    } finally {
      await context.close();
    }
  });
});
