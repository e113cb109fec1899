// Lists as CSV (RFC 4180): ?format=csv or Accept: text/csv on every list
// route and on an instrument's vote; the same rows as the JSON, quoted as
// the RFC says, UTF-8, with a header row.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertProblem, parseCsv, req, startServer } from './_helpers.mjs';

let srv;
let url;

before(async () => {
  srv = await startServer({ demo: true });
  url = srv.url;
});
after(async () => {
  await srv?.stop();
});

/** The CSV cell a JSON value becomes. */
function cellOf(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return /^[=+@\t\r]|^-[^0-9.]/.test(v) ? `'${v}` : v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.join('; ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const LISTS = [
  '/api/v1/parties?limit=200',
  '/api/v1/parties?group=WEOG',
  '/api/v1/forums',
  '/api/v1/instruments?limit=200',
  '/api/v1/instruments?kind=resolution',
  '/api/v1/norms',
  '/api/v1/timeline?limit=30',
  '/api/v1/search?q=critical%20infrastructure',
  '/api/v1/log/entries?start=0&end=20',
  '/api/v1/instruments/a-res-73-27/vote',
];

describe('CSV', () => {
  for (const path of LISTS)
    test(`${path}: the JSON's rows, as RFC 4180 CSV, by ?format=csv and by Accept`, async () => {
      const json = await req(url, path);
      assert.equal(json.status, 200, json.text);
      const sep = path.includes('?') ? '&' : '?';
      const byFormat = await req(url, `${path}${sep}format=csv`);
      assert.equal(byFormat.status, 200, byFormat.text);
      assert.match(byFormat.headers.get('content-type'), /^text\/csv; charset=utf-8/);
      assert.match(byFormat.headers.get('content-disposition'), /^attachment; filename="[a-z0-9-]+\.csv"$/);
      const byAccept = await req(url, path, { headers: { Accept: 'text/csv' } });
      assert.equal(byAccept.status, 200);
      assert.equal(byAccept.headers.get('content-disposition'), null, 'Accept alone is not a download');
      assert.equal(byAccept.text, byFormat.text);
      const rows = parseCsv(byFormat.text);
      const [header, ...body] = rows;
      const items = json.json.items;
      assert.equal(body.length, items.length, 'one row per item');
      assert.equal(new Set(header).size, header.length, 'no column twice');
      for (const r of body) assert.equal(r.length, header.length);
      // every cell is its item's member (vote_totals.yes: a member's member)
      items.forEach((it, n) => {
        header.forEach((col, k) => {
          const [a, b] = col.split('.');
          const v = b !== undefined && it[a] && typeof it[a] === 'object' && !Array.isArray(it[a]) ? it[a][b] : it[col];
          assert.equal(body[n][k], cellOf(v), `${path} row ${n} ${col}`);
        });
      });
    });

  test('quotes, commas and UTF-8 survive: norm texts, Côte d’Ivoire, Türkiye', async () => {
    const norms = parseCsv((await req(url, '/api/v1/norms?format=csv')).text);
    assert.ok(norms.slice(1).some((r) => r[3].includes(',')), 'a norm text with a comma, quoted');
    const parties = (await req(url, '/api/v1/parties?limit=200&format=csv')).text;
    const names = parseCsv(parties).map((r) => r[1]);
    assert.ok(names.includes('Türkiye'), 'Türkiye');
    assert.ok(names.some((n) => /^C.te d.Ivoire$/.test(n)), "Côte d'Ivoire");
    assert.ok(Buffer.from(parties, 'utf8').toString('utf8') === parties);
  });

  test('a vote as CSV: every member state on the day, 14 of them absent', async () => {
    const rows = parseCsv((await req(url, '/api/v1/instruments/a-res-73-27/vote?format=csv')).text);
    assert.deepEqual(rows[0], ['code', 'name', 'vote']);
    const votes = rows.slice(1).map((r) => r[2]);
    assert.equal(votes.length, 193);
    const n = (v) => votes.filter((x) => x === v).length;
    assert.deepEqual([n('yes'), n('no'), n('abstain'), n('absent')], [119, 46, 14, 14]);
    assertProblem(await req(url, '/api/v1/instruments/a-70-174/vote?format=csv'), 404, 'not-found');
    assertProblem(await req(url, '/api/v1/instruments/nothing-here/vote'), 404, 'not-found');
  });

  test('pages: a Link to the next one; CSV takes up to 10 000 rows, JSON 200', async () => {
    const r = await req(url, '/api/v1/parties?format=csv&limit=5&kind=state');
    const link = r.headers.get('link');
    assert.match(link, /^<\/api\/v1\/parties\?[^>]*after=[A-Z]+>; rel="next"$/);
    const next = link.slice(1, link.indexOf('>'));
    assert.match(next, /kind=state/);
    assert.match(next, /limit=5/);
    const page2 = parseCsv((await req(url, next)).text);
    const all = parseCsv((await req(url, '/api/v1/parties?format=csv&limit=10&kind=state')).text);
    assert.deepEqual(page2.slice(1), all.slice(6, 11));
    const big = parseCsv((await req(url, '/api/v1/parties?format=csv&limit=10000')).text);
    assert.equal(big.length - 1, 211);
    assertProblem(await req(url, '/api/v1/parties?limit=201'), 400, 'validation');
    assertProblem(await req(url, '/api/v1/parties?format=csv&limit=10001'), 400, 'validation');
  });

  test('?format=json is a download of the JSON; bad formats and types are refused', async () => {
    const j = await req(url, '/api/v1/forums?format=json');
    assert.equal(j.status, 200);
    assert.match(j.headers.get('content-type'), /^application\/json/);
    assert.equal(j.headers.get('content-disposition'), 'attachment; filename="forums.json"');
    assert.deepEqual(j.json, (await req(url, '/api/v1/forums')).json);
    assertProblem(await req(url, '/api/v1/parties?format=xml'), 400, 'validation');
    assertProblem(await req(url, '/api/v1/parties', { headers: { Accept: 'text/html' } }), 406, 'not-acceptable');
    // a route that is not a list does not take format
    assertProblem(await req(url, '/api/v1/parties/IDN?format=csv'), 400, 'validation');
  });
});
