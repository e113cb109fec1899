// Party-signed acts: DSSE envelopes signed with the caller's registered
// Ed25519 key, POSTed to /api/v1/acts; key registration, listing and
// revocation.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { SOURCES, assertProblem, logSize, makeToken, req, startServer } from './_helpers.mjs';

const OPERATOR = { username: 'sig-operator', password: 'operator-password-1', role: 'operator' };
const DELEGATE = { username: 'sig-delegate', password: 'delegate-password-1', role: 'delegate', party: 'IDN' };
const PAYLOAD_TYPE = 'application/vnd.detente.act.v1+json';

let srv;
let url;
let opToken;
let delToken;

before(async () => {
  srv = await startServer({ demo: true, users: [OPERATOR, DELEGATE] });
  url = srv.url;
  opToken = await makeToken(url, OPERATOR.username, OPERATOR.password, 'sig-op');
  delToken = await makeToken(url, DELEGATE.username, DELEGATE.password, 'sig-del');
});
after(async () => {
  await srv?.stop();
});

function newKey() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const id = 'ed25519:' + createHash('sha256').update(raw).digest('hex').slice(0, 16);
  return { id, pub: raw.toString('base64'), privateKey };
}

const pae = (type, payload) =>
  Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `), payload]);

/** An act document of who, signed with key (as keyid, unless told). */
function envelope(key, who, type, body, over = {}) {
  const act = {
    v: 1,
    type,
    time: new Date().toISOString(),
    party: who.party ?? null,
    user: who.username,
    salt: randomBytes(16).toString('base64'),
    tlp: 'TLP:CLEAR',
    body,
    ...(over.act || {}),
  };
  const payload = Buffer.from(JSON.stringify(act));
  const sig = sign(null, pae(PAYLOAD_TYPE, payload), key.privateKey);
  return {
    payloadType: over.payloadType ?? PAYLOAD_TYPE,
    payload: payload.toString('base64'),
    signatures: over.signatures ?? [{ keyid: over.keyid ?? key.id, sig: sig.toString('base64') }],
  };
}

const post = (env, token) => req(url, '/api/v1/acts', { json: env, token });

async function refused(status, type, send) {
  const size = await logSize(url);
  const r = await send();
  assertProblem(r, status, type);
  assert.equal(await logSize(url), size, 'nothing changed');
  return r;
}

const register = (key, who, token) =>
  post(envelope(key, who, 'key.register', { key_id: key.id, public_key: key.pub }), token);

describe('keys', () => {
  let opKey;

  before(async () => {
    opKey = newKey();
  });

  test('key.register signed by the key it registers: 201, listed, party_signed', async () => {
    const size = await logSize(url);
    const r = await register(opKey, OPERATOR, opToken);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.party_signed, true);
    assert.equal(r.json.index, size);
    assert.match(r.json.leaf_hash, /^[A-Za-z0-9+/]{43}=$/);
    const keys = await req(url, '/api/v1/keys', { token: opToken });
    assert.equal(keys.status, 200);
    const k = keys.json.items.find((x) => x.id === opKey.id);
    assert.ok(k, 'listed');
    assert.equal(k.public_key, opKey.pub);
    assert.equal(k.revoked_ms, null);
    const others = await req(url, '/api/v1/keys', { token: delToken });
    assert.ok(!others.json.items.some((x) => x.id === opKey.id), 'not in another user’s list');
    assertProblem(await req(url, '/api/v1/keys'), 401, 'unauthorized');
  });

  test('a signed party.register: 201; the envelope is the log entry, signed by the user’s key', async () => {
    const body = { code: 'XSG', name: 'Signedland', kind: 'state', un_group: 'WEOG', sources: SOURCES };
    const env = envelope(opKey, OPERATOR, 'party.register', body);
    const r = await post(env, opToken);
    assert.equal(r.status, 201, r.text);
    const e = await req(url, `/api/v1/log/entries?start=${r.json.index}&end=${r.json.index + 1}`);
    const item = e.json.items[0];
    assert.equal(item.type, 'party.register');
    assert.equal(item.signer, opKey.id);
    assert.equal(item.leaf_hash, r.json.leaf_hash);
    assert.deepEqual(item.act.body, body);
    const stored = JSON.parse(Buffer.from(item.entry, 'base64').toString('utf8'));
    assert.equal(stored.payload, env.payload, 'the payload is kept byte for byte');
    assert.deepEqual(stored.signatures, env.signatures);
    assert.equal((await req(url, '/api/v1/parties/XSG')).json.name, 'Signedland');
  });

  test('refused envelopes change nothing', async () => {
    const body = { code: 'XSH', name: 'Refusedland', kind: 'state', sources: SOURCES };
    // tampered payload
    const env = envelope(opKey, OPERATOR, 'party.register', body);
    const tampered = { ...env, payload: Buffer.from(Buffer.from(env.payload, 'base64').toString().replace('Refusedland', 'Tamperland')).toString('base64') };
    await refused(400, 'bad-signature', () => post(tampered, opToken));
    // an unregistered key
    await refused(403, 'unknown-key', () => post(envelope(newKey(), OPERATOR, 'party.register', body), opToken));
    // another user's key
    await refused(403, 'unknown-key', () => post(envelope(opKey, DELEGATE, 'party.register', body), delToken));
    // the act names another user
    await refused(403, 'forbidden', () => post(envelope(opKey, { username: DELEGATE.username, party: 'IDN' }, 'party.register', body), opToken));
    // an old act
    await refused(400, 'validation', () =>
      post(envelope(opKey, OPERATOR, 'party.register', body, { act: { time: new Date(Date.now() - 3600e3).toISOString() } }), opToken),
    );
    // a wrong label
    await refused(400, 'validation', () => post(envelope(opKey, OPERATOR, 'party.register', body, { act: { tlp: 'TLP:RED' } }), opToken));
    // a body that breaks the type's schema
    await refused(400, 'validation', () => post(envelope(opKey, OPERATOR, 'party.register', { ...body, colour: 'blue' }), opToken));
    await refused(400, 'unknown-act-type', () => post(envelope(opKey, OPERATOR, 'party.annex', body), opToken));
    // malformed envelopes
    await refused(400, 'bad-envelope', () => post({ ...env, signatures: [] }, opToken));
    await refused(400, 'bad-envelope', () => post({ ...env, signatures: [...env.signatures, ...env.signatures] }, opToken));
    await refused(400, 'bad-envelope', () => post({ ...env, payloadType: 'application/json' }, opToken));
    await refused(400, 'bad-envelope', () => post({ ...env, extra: 1 }, opToken));
    // a key registered by a signature of another key
    const k2 = newKey();
    await refused(400, 'validation', () =>
      post(envelope(opKey, OPERATOR, 'key.register', { key_id: k2.id, public_key: k2.pub }), opToken),
    );
    // still needs credentials
    await refused(401, 'unauthorized', () => post(env, null));
  });

  test('a delegate’s own key cannot sign acts the delegate may not submit', async () => {
    const k = newKey();
    const r = await register(k, DELEGATE, delToken);
    assert.equal(r.status, 201, r.text);
    await refused(403, 'forbidden', () =>
      post(envelope(k, DELEGATE, 'party.register', { code: 'XSD', name: 'D', kind: 'state', sources: SOURCES }), delToken),
    );
    // nor can the delegate revoke the operator's key
    await refused(403, 'forbidden', () => req(url, `/api/v1/keys/${opKey.id}`, { method: 'DELETE', token: delToken }));
  });

  test('revoke: 204, listed as revoked, then its signatures are refused; again is 404', async () => {
    const r = await req(url, `/api/v1/keys/${opKey.id}`, { method: 'DELETE', token: opToken });
    assert.equal(r.status, 204, r.text);
    const keys = await req(url, '/api/v1/keys', { token: opToken });
    assert.ok(Number.isInteger(keys.json.items.find((x) => x.id === opKey.id).revoked_ms));
    await refused(403, 'unknown-key', () =>
      post(envelope(opKey, OPERATOR, 'party.register', { code: 'XSR', name: 'R', kind: 'state', sources: SOURCES }), opToken),
    );
    await refused(404, 'not-found', () => req(url, `/api/v1/keys/${opKey.id}`, { method: 'DELETE', token: opToken }));
    await refused(404, 'not-found', () => req(url, '/api/v1/keys/ed25519:0000000000000000', { method: 'DELETE', token: opToken }));
  });
});
