// The open-data export: `detente export DIR` and GET /api/v1/export (a
// zip), both with every table, the log's checkpoint and a README; CSV or
// JSON; TLP:CLEAR only.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inflateRawSync, crc32 } from 'node:zlib';

import { BIN, SOURCES, assertProblem, makeToken, parseCsv, req, startServer } from './_helpers.mjs';

const TABLES = ['parties', 'memberships', 'norms', 'forums', 'forum_members', 'instruments', 'instrument_norms', 'commitments', 'votes', 'instrument_parties'];
const OP = { username: 'exporter', password: 'exporter-password-1', role: 'operator', party: 'USA' };

let srv;
let url;
let dir;

before(async () => {
  srv = await startServer({ demo: true, users: [OP] });
  url = srv.url;
  dir = mkdtempSync(join(tmpdir(), 'detente-export-'));
  // a confidential instrument, which no export may hold
  const token = await makeToken(url, OP.username, OP.password, 'export');
  const r = await req(url, '/api/v1/acts', {
    token,
    json: { type: 'instrument.record', body: { id: 'secret-mou', title: 'A secret MoU', kind: 'agreement', date: '2024', binding: false, outcome: 'adopted', summary: 'Not for the public.', tlp: 'TLP:AMBER', recipients: ['IDN'], sources: SOURCES } },
  });
  assert.equal(r.status, 201, r.text);
});
after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Reads a zip (EOCD, central directory, local headers): {name: Buffer}. */
function unzip(buf) {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'an end of central directory');
  const n = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = {};
  for (let i = 0; i < n; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'a central directory record');
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nlen = buf.readUInt16LE(p + 28);
    const xlen = buf.readUInt16LE(p + 30);
    const clen = buf.readUInt16LE(p + 32);
    const off = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    assert.equal(buf.readUInt32LE(off), 0x04034b50, `${name}: a local header`);
    const data = buf.subarray(off + 30 + buf.readUInt16LE(off + 26) + buf.readUInt16LE(off + 28), off + 30 + buf.readUInt16LE(off + 26) + buf.readUInt16LE(off + 28) + csize);
    const body = method === 8 ? inflateRawSync(data) : data;
    assert.equal(body.length, size, `${name}: its size`);
    assert.equal(crc32(body) >>> 0, crc, `${name}: its CRC-32`);
    files[name] = body;
    p += 46 + nlen + xlen + clen;
  }
  return files;
}

describe('export', () => {
  test('detente export DIR: every table as CSV, the checkpoint, a README; nothing labelled', () => {
    const out = join(dir, 'csv');
    const r = spawnSync(BIN, ['export', '--db', srv.dbPath, out], { encoding: 'utf8', timeout: 20000 });
    assert.equal(r.status, 0, r.stderr);
    const files = readdirSync(out).sort();
    assert.deepEqual(files, [...TABLES.map((t) => `${t}.csv`), 'README.md', 'checkpoint.txt'].sort());
    for (const t of TABLES) {
      const rows = parseCsv(readFileSync(join(out, `${t}.csv`), 'utf8'));
      assert.ok(rows.length > 1, `${t} has rows`);
    }
    const votes = parseCsv(readFileSync(join(out, 'votes.csv'), 'utf8'));
    assert.deepEqual(votes[0], ['instrument', 'symbol', 'date', 'code', 'name', 'vote']);
    const v27 = votes.filter((v) => v[0] === 'a-res-73-27');
    assert.equal(v27.length, 193);
    assert.equal(v27.filter((v) => v[5] === 'absent').length, 14);
    const inst = readFileSync(join(out, 'instruments.csv'), 'utf8');
    assert.ok(!inst.includes('secret-mou'), 'the TLP:AMBER instrument is not exported');
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    for (const t of TABLES) assert.match(readme, new RegExp(`## ${t}\\.csv`));
    assert.match(readme, /CC0/);
    assert.match(readFileSync(join(out, 'checkpoint.txt'), 'utf8'), /^\S+\n\d+\n[A-Za-z0-9+/=]{44}\n\n— /);
  });

  test('--format json, and bad usage', () => {
    const out = join(dir, 'json');
    const r = spawnSync(BIN, ['export', '--format', 'json', '--db', srv.dbPath, out], { encoding: 'utf8', timeout: 20000 });
    assert.equal(r.status, 0, r.stderr);
    const parties = JSON.parse(readFileSync(join(out, 'parties.json'), 'utf8'));
    assert.equal(parties.table, 'parties');
    assert.equal(parties.items.length, 211);
    assert.equal(spawnSync(BIN, ['export', '--format', 'xml', '--db', srv.dbPath, out]).status, 2);
    assert.equal(spawnSync(BIN, ['export', '--db', srv.dbPath]).status, 2);
  });

  test('GET /api/v1/export: the same, zipped, as the public sees it whoever asks', async () => {
    const res = await fetch(`${url}/api/v1/export`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/zip');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="detente-record-csv.zip"');
    const files = unzip(Buffer.from(await res.arrayBuffer()));
    assert.deepEqual(Object.keys(files).sort(), [...TABLES.map((t) => `detente-record-csv/${t}.csv`), 'detente-record-csv/README.md', 'detente-record-csv/checkpoint.txt'].sort());
    const fromCli = readFileSync(join(dir, 'csv', 'parties.csv'), 'utf8');
    assert.equal(files['detente-record-csv/parties.csv'].toString('utf8'), fromCli, 'the same parties as the CLI');
    assert.ok(!files['detente-record-csv/instruments.csv'].toString('utf8').includes('secret-mou'));
    const json = unzip(Buffer.from(await (await fetch(`${url}/api/v1/export?format=json`)).arrayBuffer()));
    assert.equal(JSON.parse(json['detente-record-json/norms.json'].toString('utf8')).items.length, 11);
    assertProblem(await req(url, '/api/v1/export?format=xml'), 400, 'validation');
  });
});
