// The transparency log over HTTP: the signed checkpoint, the verifier key,
// entries and their validation, and TLP redaction of entries.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { assertProblem, login, logSize, req, startServer } from './_helpers.mjs';

const OPERATOR = { username: 'log-operator', password: 'operator-password-1', role: 'operator' };
const DELEGATE = { username: 'log-delegate', password: 'delegate-password-1', role: 'delegate', party: 'IDN' };

let srv;
let url;

before(async () => {
  srv = await startServer({ demo: true, users: [OPERATOR, DELEGATE] });
  url = srv.url;
});
after(async () => {
  await srv?.stop();
});

/** RFC 6962 leaf hash of the entry bytes. */
const leafHash = (bytes) => createHash('sha256').update(Buffer.concat([Buffer.from([0]), bytes])).digest('base64');

/** An Ed25519 public key object from raw 32 bytes. */
function ed25519(raw) {
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

/** name+hexid+base64 (the base64 may itself hold '+'). */
function splitVkey(vkey) {
  const a = vkey.indexOf('+');
  const b = vkey.indexOf('+', a + 1);
  assert.ok(a > 0 && b > a, `a verifier key: ${vkey}`);
  return [vkey.slice(0, a), vkey.slice(a + 1, b), vkey.slice(b + 1)];
}

describe('checkpoint and key', () => {
  test('the checkpoint is a signed note of the current size, verified by /log/key', async () => {
    const size = await logSize(url);
    const r = await req(url, '/api/v1/log/checkpoint');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/plain/);
    const note = r.text;
    assert.ok(note.endsWith('\n'), 'ends with a newline');
    const [body, sigs] = note.split('\n\n');
    const lines = body.split('\n');
    assert.equal(lines.length, 3, `origin, size and root: ${JSON.stringify(body)}`);
    const [origin, sizeLine, root] = lines;
    assert.ok(origin.length > 0 && !/\s/.test(origin.trim()) && origin === origin.trim(), `origin ${origin}`);
    assert.match(sizeLine, /^(0|[1-9]\d*)$/);
    assert.equal(Number(sizeLine), size, 'the size is log_size');
    assert.equal(root.length, 44);
    assert.match(root, /^[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(root, 'base64').length, 32);
    const sigLines = sigs.split('\n').filter(Boolean);
    assert.ok(sigLines.length >= 1);
    for (const l of sigLines) assert.ok(l.startsWith('— '), `a signature line: ${l}`);

    const k = await req(url, '/api/v1/log/key');
    assert.equal(k.status, 200);
    assert.equal(k.json.origin, origin);
    const [name, hexid, keyb64] = splitVkey(k.json.vkey);
    assert.equal(name, origin);
    assert.match(hexid, /^[0-9a-f]{8}$/);
    const keyBytes = Buffer.from(keyb64, 'base64');
    assert.equal(keyBytes.length, 33);
    assert.equal(keyBytes[0], 1, 'an Ed25519 key');

    // Verify the note's signature (C2SP signed-note): "— name base64(keyid4 || sig)".
    const mine = sigLines.find((l) => l.startsWith(`— ${name} `));
    assert.ok(mine, 'signed by the log key');
    const sig = Buffer.from(mine.slice(`— ${name} `.length), 'base64');
    assert.equal(sig.length, 4 + 64);
    assert.equal(sig.subarray(0, 4).toString('hex'), hexid);
    const ok = verify(null, Buffer.from(body + '\n'), ed25519(keyBytes.subarray(1)), sig.subarray(4));
    assert.ok(ok, 'the checkpoint signature verifies');
  });

  test('the checkpoint follows the log', async () => {
    const s = await login(url, OPERATOR.username, OPERATOR.password);
    const before = await req(url, '/api/v1/log/checkpoint');
    const t = await req(url, '/api/v1/tokens', { json: { name: 'grow' }, cookie: s.cookie, csrf: s.csrf });
    assert.equal(t.status, 201);
    const afterCp = await req(url, '/api/v1/log/checkpoint');
    const n0 = Number(before.text.split('\n')[1]);
    const n1 = Number(afterCp.text.split('\n')[1]);
    assert.equal(n1, n0 + 1);
    assert.equal(n1, t.json.index + 1);
    assert.notEqual(afterCp.text.split('\n')[2], before.text.split('\n')[2], 'a new root');
  });
});

describe('entries', () => {
  test('start/end validation', async () => {
    const size = await logSize(url);
    for (const q of ['start=abc', 'end=abc', 'start=-1', 'start=1.5', 'start=01', 'start=%2B1', 'start=10&end=5', `start=${size + 1}`, 'start=99999999999999999999']) {
      const r = await req(url, `/api/v1/log/entries?${q}`);
      assertProblem(r, 400, 'validation');
    }
    const empty = await req(url, `/api/v1/log/entries?start=5&end=5`);
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.json.items, []);
    const atEnd = await req(url, `/api/v1/log/entries?start=${size}`);
    assert.equal(atEnd.status, 200);
    assert.deepEqual(atEnd.json.items, []);
  });

  test('ranges: default 100 from start, end clipped to the size, at most 1000', async () => {
    const d = await req(url, '/api/v1/log/entries');
    assert.equal(d.status, 200);
    assert.equal(d.json.items.length, 100);
    assert.deepEqual(d.json.items.map((e) => e.index), [...Array(100).keys()]);
    assert.equal(d.json.size, await logSize(url));
    const tail = await req(url, `/api/v1/log/entries?start=${d.json.size - 3}&end=${d.json.size + 50}`);
    assert.equal(tail.json.items.length, 3);
    const big = await req(url, '/api/v1/log/entries?start=0&end=5000');
    assert.equal(big.status, 200);
    assert.equal(big.json.items.length, Math.min(1000, d.json.size));
  });

  test('demo entries are readable: act.type matches type, the leaf hash matches the bytes', async () => {
    const size = await logSize(url);
    const types = new Set();
    for (let start = 0; start < size; start += 1000) {
      const r = await req(url, `/api/v1/log/entries?start=${start}&end=${Math.min(size, start + 1000)}`);
      assert.equal(r.status, 200);
      for (const e of r.json.items) {
        assert.match(e.leaf_hash, /^[A-Za-z0-9+/]{43}=$/);
        assert.ok(!Number.isNaN(Date.parse(e.time)));
        if (e.redacted) {
          assert.equal(e.entry, undefined);
          assert.equal(e.act, undefined);
          continue;
        }
        assert.equal(e.act.type, e.type, `entry ${e.index}`);
        assert.equal(e.act.tlp, e.tlp, `entry ${e.index}`);
        assert.equal(leafHash(Buffer.from(e.entry, 'base64')), e.leaf_hash, `entry ${e.index}: leaf hash`);
        const env = JSON.parse(Buffer.from(e.entry, 'base64').toString('utf8'));
        assert.equal(env.payloadType, 'application/vnd.detente.act.v1+json');
        assert.deepEqual(JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')), e.act);
        types.add(e.type);
      }
    }
    for (const t of ['party.register', 'membership.add', 'norm.define', 'forum.establish', 'instrument.record', 'vote.record', 'instrument.join'])
      assert.ok(types.has(t), `the demo has ${t} entries`);
  });

  test('entry signatures verify with the log key', async () => {
    const k = await req(url, '/api/v1/log/key');
    const pub = ed25519(Buffer.from(splitVkey(k.json.vkey)[2], 'base64').subarray(1));
    const r = await req(url, '/api/v1/log/entries?start=0&end=20');
    for (const e of r.json.items) {
      const env = JSON.parse(Buffer.from(e.entry, 'base64').toString('utf8'));
      const payload = Buffer.from(env.payload, 'base64');
      const type = Buffer.from(env.payloadType);
      // DSSE PAE: "DSSEv1" SP len(type) SP type SP len(body) SP body
      const pae = Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
      assert.ok(env.signatures.length >= 1);
      const good = env.signatures.some((s) => verify(null, pae, pub, Buffer.from(s.sig, 'base64')));
      assert.ok(good, `entry ${e.index} is signed by the log key`);
    }
  });
});

describe('redaction', () => {
  let added;

  before(async () => {
    const op = await login(url, OPERATOR.username, OPERATOR.password);
    const r = await req(url, '/api/v1/users', {
      json: { username: 'log-new-user', password: 'log-new-user-pw', role: 'observer', party: 'IDN' },
      cookie: op.cookie,
      csrf: op.csrf,
    });
    assert.equal(r.status, 201, r.text);
    added = r.json;
  });

  const entryAt = async (i, opts = {}) => {
    const r = await req(url, `/api/v1/log/entries?start=${i}&end=${i + 1}`, opts);
    assert.equal(r.status, 200);
    assert.equal(r.json.items.length, 1);
    return r.json.items[0];
  };

  test('a user.add entry is redacted for the public', async () => {
    const e = await entryAt(added.index);
    assert.equal(e.index, added.index);
    assert.equal(e.tlp, 'TLP:AMBER+STRICT');
    assert.equal(e.redacted, true);
    assert.equal(e.entry, undefined);
    assert.equal(e.act, undefined);
    assert.equal(e.type, undefined, 'not even the type');
    assert.equal(e.leaf_hash, added.leaf_hash, 'the leaf hash is still shown');
  });

  test('a user.add entry is readable by the operator', async () => {
    const op = await login(url, OPERATOR.username, OPERATOR.password);
    const e = await entryAt(added.index, { cookie: op.cookie });
    assert.notEqual(e.redacted, true, `redacted for the operator: ${JSON.stringify(e)}`);
    assert.equal(e.type, 'user.add');
    assert.equal(e.act.body.username, 'log-new-user');
    assert.equal(e.act.body.password, undefined, 'no password in the log');
    assert.ok(!Buffer.from(e.entry, 'base64').toString().includes('log-new-user-pw'));
  });

  test('a token.create entry is readable by its owner only', async () => {
    const del = await login(url, DELEGATE.username, DELEGATE.password);
    const t = await req(url, '/api/v1/tokens', { json: { name: 'mine' }, cookie: del.cookie, csrf: del.csrf });
    assert.equal(t.status, 201);
    const mine = await entryAt(t.json.index, { token: t.json.token });
    assert.equal(mine.type, 'token.create');
    assert.equal(mine.act.body.id, t.json.id);
    assert.ok(!Buffer.from(mine.entry, 'base64').toString().includes(t.json.token.slice(4)), 'no secret');
    const pub = await entryAt(t.json.index);
    assert.equal(pub.redacted, true);
    assert.equal(pub.tlp, 'TLP:RED');
    const op = await login(url, OPERATOR.username, OPERATOR.password);
    const other = await entryAt(t.json.index, { cookie: op.cookie });
    assert.equal(other.redacted, true, 'TLP:RED is for its owner');
  });
});
