// Party-signed acts: a user's own Ed25519 key, registered by an act it
// signs itself, then DSSE envelopes signed with it.  Every forgery and
// misuse is refused with a problem document and logs nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { api, detenteBin, REPO, run, serve, startServer } from '../lib/server.mjs';

const PAYLOAD_TYPE = 'application/vnd.detente.act.v1+json';

function cli(args, env = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(detenteBin(), args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/* Reads a key file ("PRIVATE+KEY+name+id+base64(0x01 || seed)"). */
async function loadKey(path) {
  const line = (await readFile(path, 'utf8')).trim();
  const b64 = line.split('+').slice(4).join('+');
  const seed = Buffer.from(b64, 'base64').subarray(1);
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const priv = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const pub = Buffer.from(priv.export({ format: 'jwk' }).x, 'base64url');
  const id = 'ed25519:' + createHash('sha256').update(pub).digest('hex').slice(0, 16);
  return { priv, pub, id };
}

function pae(type, body) {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);
}

/* An envelope over act (fields override the defaults), signed by key. */
function envelope(key, user, party, type, body, over = {}) {
  const act = {
    v: 1, type, time: new Date().toISOString(), party, user,
    salt: randomBytes(16).toString('base64'), tlp: 'TLP:CLEAR', body, ...over,
  };
  const payload = Buffer.from(JSON.stringify(act));
  const sig = sign(null, pae(PAYLOAD_TYPE, payload), key.priv);
  return { payloadType: PAYLOAD_TYPE, payload: payload.toString('base64'), signatures: [{ keyid: key.id, sig: sig.toString('base64') }] };
}

const org = (code) => ({ code, name: `Org ${code}`, kind: 'organisation', sources: [{ title: 'test' }] });

let srv;
let alice; // operator of USA
let bob; // operator of FRA

before(async () => {
  srv = await startServer({
    users: [
      { username: 'alice', password: 'alice-password', role: 'operator', party: 'USA' },
      { username: 'bob', password: 'bob-password', role: 'operator', party: 'FRA' },
    ],
  });
  const tok = async (u) => (await run(['token', 'create', '--user', u, '--db', srv.dbPath])).stdout.trim();
  alice = { token: await tok('alice'), file: join(srv.dir, 'alice.key') };
  bob = { token: await tok('bob'), file: join(srv.dir, 'bob.key') };
});

after(async () => {
  await srv?.stop();
});

async function logSize() {
  return (await api(srv.url, '/api/v1/health')).body.log_size;
}

async function refused(who, env, status, type) {
  const before = await logSize();
  const r = await api(srv.url, '/api/v1/acts', { method: 'POST', token: who.token, body: env });
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /application\/problem\+json/);
  assert.equal(r.body.type, `urn:detente:problem:${type}`);
  assert.equal(await logSize(), before, 'a refused act must log nothing');
  return r;
}

describe('keys', () => {
  test('key gen writes a 0600 key file and never overwrites one', async () => {
    const r = await cli(['key', 'gen', '--out', alice.file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^key_id ed25519:[0-9a-f]{16}\npublic_key [A-Za-z0-9+/]{43}=\n$/);
    assert.equal((await stat(alice.file)).mode & 0o777, 0o600);
    const again = await cli(['key', 'gen', '--out', alice.file]);
    assert.equal(again.code, 1);
    assert.equal((await cli(['key', 'gen', '--out', bob.file])).code, 0);
    alice.key = await loadKey(alice.file);
    bob.key = await loadKey(bob.file);
  });

  test('key.register must be signed by the key it registers', async () => {
    // server-attested: refused
    await refused(alice, { type: 'key.register', body: { key_id: alice.key.id, public_key: alice.key.pub.toString('base64') } }, 400, 'validation');
    // signed by bob's key for alice's public key: refused
    const env = envelope(bob.key, 'alice', 'USA', 'key.register', { key_id: alice.key.id, public_key: alice.key.pub.toString('base64') });
    env.signatures[0].keyid = alice.key.id;
    await refused(alice, env, 400, 'bad-signature');
  });

  test('detente key register records the key, as a party-signed act', async () => {
    const env = { DETENTE_SERVER: srv.url, DETENTE_TOKEN: alice.token };
    const r = await cli(['key', 'register', '--key', alice.file], env);
    assert.equal(r.code, 0, r.stderr);
    const receipt = JSON.parse(r.stdout);
    assert.equal(receipt.party_signed, true);
    const e = await api(srv.url, `/api/v1/log/entries?start=${receipt.index}&end=${receipt.index + 1}`);
    assert.equal(e.body.items[0].type, 'key.register');
    assert.equal(e.body.items[0].signer, alice.key.id);
    const keys = await api(srv.url, '/api/v1/keys', { token: alice.token });
    assert.deepEqual(keys.body.items.map((k) => k.id), [alice.key.id]);
    assert.equal(keys.body.items[0].public_key, alice.key.pub.toString('base64'));
    assert.equal((await cli(['key', 'register', '--key', bob.file], { DETENTE_SERVER: srv.url, DETENTE_TOKEN: bob.token })).code, 0);
  });
});

describe('public key lookup', () => {
  test('anyone can fetch a signer key, to check a party-signed entry', async () => {
    const r = await api(srv.url, `/api/v1/keys/${encodeURIComponent(alice.key.id)}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.id, alice.key.id);
    assert.equal(r.body.public_key, alice.key.pub.toString('base64'));
    assert.equal(r.body.user, 'alice');
    assert.equal(r.body.party, 'USA');
    assert.equal(r.body.revoked_ms, null);
    assert.equal(r.body.revoked_idx, null);
    const reg = (await api(srv.url, `/api/v1/log/entries?start=${r.body.log_idx}&end=${r.body.log_idx + 1}`)).body.items[0];
    assert.equal(reg.type, 'key.register');
    assert.equal(reg.signer, alice.key.id);
    for (const id of ['ed25519:0000000000000000', 'x'.repeat(65)]) {
      const nf = await api(srv.url, `/api/v1/keys/${id}`);
      assert.equal(nf.status, 404);
      assert.equal(nf.body.type, 'urn:detente:problem:not-found');
    }
  });
});

describe('signed acts', () => {
  test('detente act --sign submits an envelope the log keeps as it is', async () => {
    const file = join(srv.dir, 'act.json');
    await writeFile(file, JSON.stringify({ type: 'party.register', body: org('SIGNED-1') }));
    const r = await cli(['act', '--sign', alice.file, file], { DETENTE_SERVER: srv.url, DETENTE_TOKEN: alice.token });
    assert.equal(r.code, 0, r.stderr);
    const receipt = JSON.parse(r.stdout);
    const e = (await api(srv.url, `/api/v1/log/entries?start=${receipt.index}&end=${receipt.index + 1}`)).body.items[0];
    assert.equal(e.signer, alice.key.id);
    assert.equal(e.attestation, 'party-signed');
    assert.equal(e.act.user, 'alice');
    assert.equal(e.act.party, 'USA');
    // the leaf hash is SHA-256(0x00 || entry bytes)
    const bytes = Buffer.from(e.entry, 'base64');
    const leaf = createHash('sha256').update(Buffer.concat([Buffer.from([0]), bytes])).digest('base64');
    assert.equal(leaf, receipt.leaf_hash);
    // the envelope verifies with alice's key
    const env = JSON.parse(bytes.toString());
    assert.equal(env.signatures[0].keyid, alice.key.id);
    // and its inclusion proof, found by leaf hash, verifies offline
    const size = await logSize();
    const proof = await api(srv.url, `/api/v1/log/proof/inclusion?leaf_hash=${encodeURIComponent(leaf)}&size=${size}`);
    assert.equal(proof.status, 200);
    assert.equal(proof.body.leaf_index, receipt.index);
    const pf = join(srv.dir, 'proof.json');
    await writeFile(pf, JSON.stringify(proof.body));
    const v = await cli(['log', 'verify-inclusion', '--json', pf]);
    assert.equal(v.code, 0);
    assert.equal(v.stdout, 'valid\n');
    proof.body.leaf_index += 1;
    await writeFile(pf, JSON.stringify(proof.body));
    const bad = await cli(['log', 'verify-inclusion', '--json', pf]);
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, 'invalid\n');
  });

  test('an envelope built here is accepted', async () => {
    const env = envelope(alice.key, 'alice', 'USA', 'party.register', org('SIGNED-2'));
    const r = await api(srv.url, '/api/v1/acts', { method: 'POST', token: alice.token, body: env });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.party_signed, true);
  });

  test('a forged signature is refused', async () => {
    const env = envelope(alice.key, 'alice', 'USA', 'party.register', org('FORGED-1'));
    const sig = Buffer.from(env.signatures[0].sig, 'base64');
    sig[10] ^= 1;
    env.signatures[0].sig = sig.toString('base64');
    await refused(alice, env, 400, 'bad-signature');
  });

  test('a payload changed after signing is refused', async () => {
    const env = envelope(alice.key, 'alice', 'USA', 'party.register', org('FORGED-2'));
    const act = JSON.parse(Buffer.from(env.payload, 'base64'));
    act.body.name = 'Changed';
    env.payload = Buffer.from(JSON.stringify(act)).toString('base64');
    await refused(alice, env, 400, 'bad-signature');
  });

  test("another user's key is refused", async () => {
    // alice signs as herself with bob's registered key
    await refused(alice, envelope(bob.key, 'alice', 'USA', 'party.register', org('FORGED-3')), 403, 'unknown-key');
    // alice submits an act that claims to be bob's
    await refused(alice, envelope(bob.key, 'bob', 'FRA', 'party.register', org('FORGED-4')), 403, 'forbidden');
  });

  test('an unknown key is refused', async () => {
    const file = join(srv.dir, 'stray.key');
    assert.equal((await cli(['key', 'gen', '--out', file])).code, 0);
    await refused(alice, envelope(await loadKey(file), 'alice', 'USA', 'party.register', org('FORGED-5')), 403, 'unknown-key');
  });

  test('a stale or future time is refused', async () => {
    const old = new Date(Date.now() - 3600e3).toISOString();
    await refused(alice, envelope(alice.key, 'alice', 'USA', 'party.register', org('FORGED-6'), { time: old }), 400, 'validation');
    const future = new Date(Date.now() + 3600e3).toISOString();
    await refused(alice, envelope(alice.key, 'alice', 'USA', 'party.register', org('FORGED-7'), { time: future }), 400, 'validation');
  });

  test('malformed envelopes and acts are refused', async () => {
    const good = envelope(alice.key, 'alice', 'USA', 'party.register', org('FORGED-8'));
    await refused(alice, { ...good, payload: 'not base64!' }, 400, 'bad-envelope');
    await refused(alice, { ...good, extra: 1 }, 400, 'bad-envelope');
    await refused(alice, { ...good, payloadType: 'text/plain' }, 400, 'bad-envelope');
    await refused(alice, { ...good, signatures: [] }, 400, 'bad-envelope');
    await refused(alice, envelope(alice.key, 'alice', 'USA', 'party.register', org('FORGED-9'), { salt: 'short' }), 400, 'validation');
    await refused(alice, envelope(alice.key, 'alice', 'USA', 'party.register', org('FORGED-10'), { tlp: 'TLP:RED' }), 400, 'validation');
    await refused(alice, envelope(alice.key, 'alice', 'USA', 'no.such', {}), 400, 'unknown-act-type');
    await refused(alice, envelope(alice.key, 'alice', 'USA', 'party.register', { ...org('FORGED-11'), extra: true }), 400, 'validation');
  });

  test('a revoked key signs no more', async () => {
    const r = await api(srv.url, `/api/v1/keys/${encodeURIComponent(bob.key.id)}`, { method: 'DELETE', token: alice.token });
    assert.equal(r.status, 204, 'an operator may revoke any key');
    await refused(bob, envelope(bob.key, 'bob', 'FRA', 'party.register', org('FORGED-12')), 403, 'unknown-key');
    const again = await api(srv.url, `/api/v1/keys/${encodeURIComponent(bob.key.id)}`, { method: 'DELETE', token: alice.token });
    assert.equal(again.status, 404);
    const pub = await api(srv.url, `/api/v1/keys/${encodeURIComponent(bob.key.id)}`);
    assert.ok(pub.body.revoked_ms > 0, 'the public lookup says the key was revoked');
    const rev = (await api(srv.url, `/api/v1/log/entries?start=${pub.body.revoked_idx}&end=${pub.body.revoked_idx + 1}`)).body.items[0];
    assert.equal(rev.type, 'key.revoke', 'and where in the log');
  });
});

describe('batches', () => {
  const batch = (who, acts) => api(srv.url, '/api/v1/acts/batch', { method: 'POST', token: who.token, body: { acts } });
  const member = (organisation, m) => ({ organisation, member: m, role: 'member', sources: [{ title: 'test' }] });

  async function refusedBatch(who, acts, status, type, item) {
    const before = await logSize();
    const r = await batch(who, acts);
    assert.equal(r.status, status, r.text);
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
    assert.equal(r.body.type, `urn:detente:problem:${type}`);
    if (item !== undefined) assert.match(r.body.detail, new RegExp(`^acts\\[${item}\\]: `));
    assert.equal(await logSize(), before, 'a refused batch must log nothing');
    return r;
  }

  test('a batch enters the log in order, in one piece', async () => {
    const before = await logSize();
    const acts = [
      envelope(alice.key, 'alice', 'USA', 'party.register', org('BATCH-1')),
      envelope(alice.key, 'alice', 'USA', 'party.register', org('BATCH-2')),
      // a later act may refer to what an earlier one created
      envelope(alice.key, 'alice', 'USA', 'membership.add', member('BATCH-1', 'BATCH-2')),
      { type: 'party.register', body: org('BATCH-3') },
    ];
    const r = await batch(alice, acts);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.accepted, 4);
    assert.deepEqual(r.body.receipts.map((x) => x.index), [before, before + 1, before + 2, before + 3]);
    assert.equal(await logSize(), before + 4);
    const e = (await api(srv.url, `/api/v1/log/entries?start=${before}&end=${before + 4}`)).body.items;
    assert.deepEqual(e.map((x) => x.attestation), ['party-signed', 'party-signed', 'party-signed', 'server-attested']);
    assert.deepEqual(e.map((x) => x.leaf_hash), r.body.receipts.map((x) => x.leaf_hash));
    const p = await api(srv.url, '/api/v1/parties/BATCH-2');
    assert.equal(p.status, 200);
    assert.deepEqual(p.body.memberships.map((m) => m.code), ['BATCH-1']);
  });

  test('one bad act refuses the whole batch and names it', async () => {
    const forged = envelope(alice.key, 'alice', 'USA', 'party.register', org('BATCH-F2'));
    forged.signatures[0].sig = Buffer.alloc(64, 1).toString('base64');
    await refusedBatch(alice, [
      envelope(alice.key, 'alice', 'USA', 'party.register', org('BATCH-F0')),
      envelope(alice.key, 'alice', 'USA', 'party.register', org('BATCH-F1')),
      forged,
    ], 400, 'bad-signature', 2);
    assert.equal((await api(srv.url, '/api/v1/parties/BATCH-F0')).status, 404);
    // an act the record refuses when applied: the ones before it are undone
    await refusedBatch(alice, [
      envelope(alice.key, 'alice', 'USA', 'party.register', org('BATCH-F3')),
      envelope(alice.key, 'alice', 'USA', 'party.register', org('BATCH-1')),
    ], 409, 'conflict', 1);
    assert.equal((await api(srv.url, '/api/v1/parties/BATCH-F3')).status, 404);
    // the same envelope twice
    const twice = envelope(alice.key, 'alice', 'USA', 'party.register', org('BATCH-F4'));
    await refusedBatch(alice, [twice, twice], 409, 'conflict', 1);
    // another user's key, an act for another party
    await refusedBatch(alice, [envelope(bob.key, 'alice', 'USA', 'party.register', org('BATCH-F5'))], 403, 'unknown-key', 0);
    await refusedBatch(alice, [{ type: 'membership.add', body: member('NO-SUCH', 'USA') }], 400, 'unknown-reference', 0);
  });

  test('detente act takes an array of acts as one batch', async () => {
    const env = { DETENTE_SERVER: srv.url, DETENTE_TOKEN: alice.token };
    const file = join(srv.dir, 'batch.json');
    const before = await logSize();
    await writeFile(file, JSON.stringify([
      { type: 'party.register', body: org('BATCH-C1') },
      { type: 'party.register', body: org('BATCH-C2') },
    ]));
    const signed = await cli(['act', '--sign', alice.file, file], env);
    assert.equal(signed.code, 0, signed.stderr);
    const out = JSON.parse(signed.stdout);
    assert.equal(out.accepted, 2);
    const e = (await api(srv.url, `/api/v1/log/entries?start=${before}&end=${before + 2}`)).body.items;
    assert.deepEqual(e.map((x) => x.signer), [alice.key.id, alice.key.id]);
    await writeFile(file, JSON.stringify([{ type: 'party.register', body: org('BATCH-C3') }]));
    const attested = await cli(['act', file], env);
    assert.equal(attested.code, 0, attested.stderr);
    assert.equal(JSON.parse(attested.stdout).receipts[0].index, before + 2);
    // a refused batch: exit 1, the server's reason, nothing logged
    const again = await cli(['act', '--sign', alice.file, file], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /acts\[0\]: .*conflicts/);
    // not acts: exit 2 before anything is sent
    for (const bad of [[], [{ type: 'party.register' }], [1], 'x']) {
      await writeFile(file, JSON.stringify(bad));
      const r = await cli(['act', file], env);
      assert.equal(r.code, 2, JSON.stringify(bad));
      assert.match(r.stderr, /detente: .*batch\.json: /);
    }
    assert.equal(await logSize(), before + 3);
  });

  test('malformed batches are refused', async () => {
    const one = { type: 'party.register', body: org('BATCH-M') };
    await refusedBatch(alice, [], 400, 'validation');
    await refusedBatch(alice, 'x', 400, 'validation');
    await refusedBatch(alice, Array.from({ length: 1001 }, () => one), 400, 'validation');
    await refusedBatch(alice, [one, 7], 400, 'validation', 1);
    await refusedBatch(alice, [{ ...one, extra: 1 }], 400, 'validation', 0);
    await refusedBatch(alice, [{ type: 'user.add', body: {} }], 400, 'validation', 0);
    await refusedBatch(alice, [{ type: 'token.create', body: {} }], 400, 'validation', 0);
    const r = await api(srv.url, '/api/v1/acts/batch', { method: 'POST', token: alice.token, body: { acts: [one], more: true } });
    assert.equal(r.status, 400);
    const anon = await api(srv.url, '/api/v1/acts/batch', { method: 'POST', body: { acts: [one] } });
    assert.equal(anon.status, 401);
  });
});

describe('writes run off the event threads', () => {
  // One event thread: before writes had workers of their own, a batch
  // being verified and committed held up every other request on it.
  let dir;
  let db;
  let one;
  let carol;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'detente-test-'));
    db = join(dir, 't.db');
    await run(['init', '--demo', '--data', process.env.DETENTE_DATA || join(REPO, 'data', 'record'), '--db', db]);
    await run(['user', 'add', 'carol', '--role', 'operator', '--party', 'USA', '--db', db], { input: 'carol-password\n' });
    one = await serve(db, { args: ['--threads', '1'] });
    carol = { token: (await run(['token', 'create', '--user', 'carol', '--db', db])).stdout.trim(), file: join(dir, 'carol.key') };
    assert.equal((await cli(['key', 'gen', '--out', carol.file])).code, 0);
    const reg = await cli(['key', 'register', '--key', carol.file], { DETENTE_SERVER: one.url, DETENTE_TOKEN: carol.token });
    assert.equal(reg.code, 0, reg.stderr);
    carol.key = await loadKey(carol.file);
  });

  after(async () => {
    await one?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const acts = (prefix, n) => Array.from({ length: n }, (_, i) => envelope(carol.key, 'carol', 'USA', 'party.register', org(`${prefix}-${i}`)));

  /* Posts a batch; resolves once its body has left, with its answer to come. */
  function postBatch(url, body) {
    return new Promise((sent, fail) => {
      const u = new URL('/api/v1/acts/batch', url);
      const data = Buffer.from(JSON.stringify(body));
      const rq = http.request({
        host: u.hostname, port: u.port, path: u.pathname, method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': data.length, Authorization: `Bearer ${carol.token}` },
      });
      const answer = new Promise((resolve) => {
        rq.on('response', (res) => {
          let text = '';
          res.on('data', (d) => { text += d; });
          res.on('end', () => resolve({ status: res.statusCode, text }));
        });
        rq.on('error', (e) => resolve({ status: 0, text: String(e) }));
      });
      rq.on('error', fail);
      rq.end(data, () => sent({ answer }));
    });
  }

  test('a read is answered while a batch of 1000 is verified', async () => {
    const before = (await api(one.url, '/api/v1/health')).body.log_size;
    const { answer } = await postBatch(one.url, { acts: acts('WORK', 1000) });
    let batchDone = false;
    answer.then(() => { batchDone = true; });
    await new Promise((r) => setTimeout(r, 20)); // let the server take it
    const health = await api(one.url, '/api/v1/health');
    assert.equal(health.status, 200);
    assert.equal(batchDone, false, 'the read waited for the batch');
    const b = await answer;
    assert.equal(b.status, 201, b.text);
    assert.equal(JSON.parse(b.text).accepted, 1000);
    assert.equal((await api(one.url, '/api/v1/health')).body.log_size, before + 1000);
  });

  test('a server stopped during a batch exits cleanly, with all of it or none', async () => {
    const before = (await api(one.url, '/api/v1/health')).body.log_size;
    const { answer } = await postBatch(one.url, { acts: acts('STOP', 1000) });
    await new Promise((r) => setTimeout(r, 20));
    await one.stop(); // throws unless the exit is clean (and, under ASan, leak-free)
    const b = await answer;
    one = await serve(db, { args: ['--threads', '1'] });
    const size = (await api(one.url, '/api/v1/health')).body.log_size;
    assert.ok(size === before || size === before + 1000, `log size ${size}: a batch is all or none`);
    if (b.status === 201) assert.equal(size, before + 1000, 'an acknowledged batch is in the log');
  });
});
