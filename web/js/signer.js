// A party signing key that lives in this browser.
//
// The key pair is made by WebCrypto (Ed25519) with a private key that can
// not be exported: not by this page, not by a script injected into it.  The
// CryptoKey objects are kept in IndexedDB (they are structured-cloneable),
// one key per user name, so the key survives a reload but never leaves the
// browser.  The server learns the public key through a key.register act that
// the key signs itself (proof of possession); from then on every act this UI
// submits for the user is a DSSE envelope signed here (submitSigned).

import { get, post } from './api.js';
import { partyKeyId, pae, toBase64 } from './verify.js';

export const PAYLOAD_TYPE = 'application/vnd.detente.act.v1+json';
const DB = 'detente';
const STORE = 'signing-keys';
const utf8 = new TextEncoder();

function openDb() {
  return new Promise((resolve, reject) => {
    const rq = indexedDB.open(DB, 1);
    rq.onupgradeneeded = () => {
      if (!rq.result.objectStoreNames.contains(STORE)) rq.result.createObjectStore(STORE, { keyPath: 'user' });
    };
    rq.onsuccess = () => resolve(rq.result);
    rq.onerror = () => reject(rq.error);
  });
}

async function tx(mode, f) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const rq = f(t.objectStore(STORE));
      let out;
      rq.onsuccess = () => { out = rq.result; };
      t.oncomplete = () => resolve(out);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

/* The browser's key for this user: { user, id, publicKey (base64),
 * privateKey (CryptoKey), created_ms } or null. */
export async function loadKey(user) {
  return (await tx('readonly', (s) => s.get(user))) || null;
}

export function forgetKey(user) {
  return tx('readwrite', (s) => s.delete(user));
}

/* Whether this browser can make Ed25519 keys at all. */
export function supported() {
  return !!(globalThis.crypto && crypto.subtle && globalThis.indexedDB);
}

/* Makes a new key pair for user, replacing any earlier one, and stores it. */
export async function createKey(user) {
  const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const rec = {
    user,
    id: await partyKeyId(raw),
    publicKey: toBase64(raw),
    privateKey: pair.privateKey,
    created_ms: Date.now(),
  };
  await tx('readwrite', (s) => s.put(rec));
  return rec;
}

let actTypes = null;

/* The TLP label the server gives an act of this type with this body
 * (GET /act-types): the type's own, or the body's where the type takes
 * one (tlp_member), written as TLP 2.0 writes it. */
async function tlpOf(type, body) {
  if (!actTypes) {
    const r = await get('/act-types');
    actTypes = new Map((r.items || []).map((x) => [x.type, x]));
  }
  const t = actTypes.get(type);
  const own = t && t.tlp_member && body ? body[t.tlp_member] : null;
  if (typeof own === 'string' && own) return 'TLP:' + own.toUpperCase().replace(/^TLP:/, '');
  return (t && t.tlp) || 'TLP:CLEAR';
}

/* The act as the server expects it, for the signed-in user. */
export async function buildAct(user, type, body) {
  return {
    v: 1,
    type,
    time: new Date().toISOString(), // UTC, milliseconds, Z
    party: user.party || null,
    user: user.username,
    salt: toBase64(crypto.getRandomValues(new Uint8Array(16))),
    tlp: await tlpOf(type, body),
    body,
  };
}

/* A DSSE envelope over the act's exact JSON bytes, signed with key. */
export async function signEnvelope(key, act) {
  const payload = utf8.encode(JSON.stringify(act));
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key.privateKey, pae(PAYLOAD_TYPE, payload)));
  return { payloadType: PAYLOAD_TYPE, payload: toBase64(payload), signatures: [{ keyid: key.id, sig: toBase64(sig) }] };
}

/* Signs an act with the browser key and submits it; resolves to the receipt
 * {party_signed, index, leaf_hash, time}. */
export async function submitSigned(key, user, type, body) {
  return post('/acts', await signEnvelope(key, await buildAct(user, type, body)));
}

/* Signs several acts ([{type, body}]) with the browser key and submits
 * them as one batch: in order, all or none.  Resolves to {accepted,
 * receipts: [{index, leaf_hash, time}]}. */
export async function submitSignedBatch(key, user, acts) {
  const envelopes = [];
  for (const a of acts) envelopes.push(await signEnvelope(key, await buildAct(user, a.type, a.body)));
  return post('/acts/batch', { acts: envelopes });
}

/* key.register, signed by the very key it registers. */
export function registerKey(key, user) {
  return submitSigned(key, user, 'key.register', { key_id: key.id, public_key: key.publicKey });
}
