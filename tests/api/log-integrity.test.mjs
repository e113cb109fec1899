// The log's promise: an operator who changes, deletes or rewrites what was
// logged is caught by `detente audit`, by the inclusion proofs and by
// replay.  Each tamper is done to the database files directly, as an
// operator with shell access would.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { copyFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { REPO, api, detenteBin, run, serve } from '../lib/server.mjs';

/* Runs the CLI and resolves to { code, stdout, stderr } whatever its exit. */
function cli(args, input = '') {
  return new Promise((resolve, reject) => {
    const p = spawn(detenteBin(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(input);
  });
}

function sql(db, statement) {
  return execFileSync('sqlite3', [db, statement], { encoding: 'utf8' });
}

let dir;
let db;
let key;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'detente-integrity-'));
  db = join(dir, 'a.db');
  key = join(dir, 'a.key');
  await run(['init', '--demo', '--no-practice', '--db', db, '--data', join(REPO, 'data', 'record'), '--origin', 'test.example/integrity']);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/* A copy of the pristine log, for each tamper to start from. */
async function copyLog(name) {
  const d = join(dir, `${name}.db`);
  sql(db, 'PRAGMA wal_checkpoint(TRUNCATE)');
  await copyFile(db, d);
  return d;
}

async function audit(url, state, ...extra) {
  return cli(['audit', url, '--state', state, ...extra]);
}

describe('audit', () => {
  test('accepts an honest log as it grows, and checks inclusion', async () => {
    const d = await copyLog('honest');
    const state = join(dir, 'honest.json');
    await run(['user', 'add', 'opr', '--role', 'operator', '--party', 'USA', '--db', d, '--key', key], { input: 'operator-password\n' });
    let srv = await serve(d, { key });
    try {
      const first = await audit(srv.url, state, '--entry', '0', '--entry', '700');
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /consistent: 1039 entries/);
      const { stdout: token } = await run(['token', 'create', '--user', 'opr', '--db', d, '--key', key]);
      const r = await api(srv.url, '/api/v1/acts', {
        method: 'POST', token: token.trim(),
        body: { type: 'party.register', body: { code: 'AUDIT-1', name: 'Audit test', kind: 'organisation', sources: [{ title: 'test' }] } },
      });
      assert.equal(r.status, 201);
      const entry = await api(srv.url, `/api/v1/log/entries?start=${r.body.index}&end=${r.body.index + 1}`);
      assert.equal(entry.body.items[0].attestation, 'server-attested');
      const second = await audit(srv.url, state, '--entry', String(r.body.index));
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /consistent: 1041 entries, 1 entry included/);
      const saved = JSON.parse(await readFile(state, 'utf8'));
      assert.equal(saved.size, 1041);
      assert.match(saved.checkpoint, /^test\.example\/integrity\n1041\n/);
    } finally {
      await srv.stop();
    }
  });

  test('catches an entry whose bytes were changed', async () => {
    const d = await copyLog('changed');
    let srv = await serve(d, { key });
    const state = join(dir, 'changed.json');
    assert.equal((await audit(srv.url, state)).code, 0);
    await srv.stop();
    // flip one character inside entry 5's envelope; the tree is untouched
    sql(d, "UPDATE log SET entry = CAST(replace(CAST(entry AS TEXT), 'payload', 'paYload') AS BLOB) WHERE idx = 5");
    srv = await serve(d, { key });
    try {
      const r = await audit(srv.url, state, '--entry', '5');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /inclusion check failed: entry 5's bytes do not hash to its leaf hash/);
    } finally {
      await srv.stop();
    }
    const replay = await cli(['log', 'replay', '--db', d, '--key', key, '--into', join(dir, 'changed-replay.db')]);
    assert.equal(replay.code, 1);
    assert.match(replay.stderr, /replay failed: entry 5/);
    // A failed replay leaves no database behind, complete-looking or not.
    for (const f of ['changed-replay.db', 'changed-replay.db.tmp', 'changed-replay.db.tmp-wal']) {
      await assert.rejects(readFile(join(dir, f)), { code: 'ENOENT' });
    }
  });

  test('catches deleted entries (the log shrank)', async () => {
    const d = await copyLog('shrunk');
    let srv = await serve(d, { key });
    const state = join(dir, 'shrunk.json');
    assert.equal((await audit(srv.url, state)).code, 0);
    await srv.stop();
    sql(d, 'DELETE FROM log WHERE idx >= 1036; DELETE FROM log_node WHERE (idx + 1) * (1 << level) > 1036;');
    // The server itself refuses a log shorter than a checkpoint it signed.
    const refused = await cli(['serve', '--db', d, '--key', key, '--listen', '127.0.0.1:0']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /fewer than the 1038 of a checkpoint it signed/);
    // An operator who also erases the server's record of what it signed
    // gets a server; the auditor's own state still catches the shrinking.
    sql(d, 'DELETE FROM checkpoint;');
    srv = await serve(d, { key });
    try {
      const r = await audit(srv.url, state);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /size check failed: the log shrank from 1038 to 1036/);
    } finally {
      await srv.stop();
    }
  });

  test('catches history rewritten and re-signed with the log key', async () => {
    // The operator keeps the key but builds another history: the record
    // with one summary changed, signed by the same key.
    const data = join(dir, 'forged-data');
    await cp(join(REPO, 'data', 'record'), data, { recursive: true });
    const file = join(data, '50-instruments.json');
    const acts = JSON.parse(await readFile(file, 'utf8'));
    const a70 = acts.find((a) => a.body.id === 'a-70-174');
    a70.body.summary = 'A quietly rewritten summary.';
    await writeFile(file, JSON.stringify(acts));
    const forged = join(dir, 'forged.db');
    await run(['init', '--demo', '--no-practice', '--db', forged, '--data', data, '--origin', 'test.example/integrity']);

    const d = await copyLog('original');
    let srv = await serve(d, { key });
    const state = join(dir, 'rewritten.json');
    assert.equal((await audit(srv.url, state)).code, 0);
    await srv.stop();

    srv = await serve(forged, { key });
    try {
      // The forged checkpoint verifies under the pinned key ...
      const cp1 = await api(srv.url, '/api/v1/log/checkpoint');
      assert.match(cp1.text, /^test\.example\/integrity\n1038\n/);
      // ... but the same size has another root.
      const r = await audit(srv.url, state);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /consistency check failed: the same size 1038 has another root/);
    } finally {
      await srv.stop();
    }
    // A fork that also grew: the consistency proof cannot connect them.
    await run(['user', 'add', 'forger', '--role', 'operator', '--db', forged, '--key', key], { input: 'forger-password\n' });
    srv = await serve(forged, { key });
    try {
      const r = await audit(srv.url, state);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /consistency check failed between sizes 1038 and 1039: the log was rewritten or forked/);
      // The state still holds the honest checkpoint.
      const saved = JSON.parse(await readFile(state, 'utf8'));
      assert.equal(saved.size, 1038);
    } finally {
      await srv.stop();
    }
  });

  test('refuses a checkpoint signed by another key', async () => {
    const other = join(dir, 'other.db');
    await run(['init', '--db', other, '--origin', 'test.example/integrity']);
    const d = await copyLog('pinned');
    let srv = await serve(d, { key });
    const state = join(dir, 'pinned.json');
    assert.equal((await audit(srv.url, state)).code, 0);
    await srv.stop();
    srv = await serve(other);
    try {
      const r = await audit(srv.url, state);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /signature check failed/);
    } finally {
      await srv.stop();
    }
  });
});

describe('replay', () => {
  test('rebuilds the same tables from the log alone', async () => {
    const d = await copyLog('replayed');
    const r = await cli(['log', 'replay', '--db', d, '--key', key, '--into', join(dir, 'replayed-new.db')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /replayed 1038 entries/);
    assert.match(r.stdout, /the replayed tables equal the database's/);
    // The replayed database serves the same record.
    const srv = await serve(join(dir, 'replayed-new.db'), { key });
    try {
      const s = await api(srv.url, '/api/v1/stats');
      assert.equal(s.body.instruments, 42);
      assert.equal(s.body.log_size, 1038);
    } finally {
      await srv.stop();
    }
  });

  test('refuses to overwrite an existing database', async () => {
    const r = await cli(['log', 'replay', '--db', db, '--into', db]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /exists already/);
  });

  test('leaves the file it refused to overwrite alone', async () => {
    const f = join(dir, 'precious.db');
    await writeFile(f, 'precious');
    const r = await cli(['log', 'replay', '--db', db, '--key', key, '--into', f]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /exists already/);
    assert.equal(await readFile(f, 'utf8'), 'precious');
  });
});
