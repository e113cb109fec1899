// Browser helpers for the e2e tests: Debian's Chromium driven by
// playwright-core (never a downloaded browser), and pages that record
// console errors, uncaught exceptions and Content-Security-Policy violations.
//
//   const browser = await launch();
//   const { page, problems, assertClean } = await openPage(browser, { lang: 'en' });
//   await page.goto(url + '/');
//   await assertClean();            // fails on any console error / CSP violation
//   allow(problemsFilter)           // see openPage's `allow` option

import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/* A fresh context (its own storage and cookies) and page.  `allow` is a
 * list of RegExps for console errors a test expects (e.g. the 404 of a
 * record that does not exist). */
export async function openPage(browser, { lang, viewport = { width: 1280, height: 900 }, allow = [] } = {}) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript((l) => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective}: ${e.blockedURI || 'inline'} (${e.sourceFile || ''}:${e.lineNumber || ''})`);
    });
    if (l && !localStorage.getItem('detente.lang')) localStorage.setItem('detente.lang', l);
  }, lang || null);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location() && m.location().url ? ` @ ${m.location().url}` : '';
    const text = `${m.text()}${where}`;
    if (!allow.some((re) => re.test(text))) problems.push(`console: ${text}`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  async function assertClean() {
    let csp = [];
    try {
      csp = await page.evaluate(() => window.__csp || []);
    } catch {
      /* page gone */
    }
    assert.deepEqual([...problems, ...csp.map((c) => `CSP: ${c}`)], [], 'no console errors, exceptions or CSP violations');
  }
  return { context, page, problems, assertClean };
}
