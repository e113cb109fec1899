// Checking the transparency log in the browser, with nothing but WebCrypto.
//
// Pure functions: no DOM, no network.  Every check resolves to an object
//   { ok: true|false, reason: 'ok' | '<code>', ... }
// where reason is a short machine code (the UI turns it into words through
// the message tables: verify.reason.<code>).  Nothing here throws on bad
// input: a malformed hash, proof or note is a failed check, not an error.
//
//   leafHash(bytes)                                  SHA-256(0x00 || bytes)
//   nodeHash(left, right)                            SHA-256(0x01 || l || r)
//   verifyInclusion(index, size, leaf, proof, root)  RFC 9162 §2.1.3.2
//   verifyConsistency(m, n, root1, root2, proof)     RFC 9162 §2.1.4.2
//   parseNote(text)                                  C2SP signed-note
//   parseCheckpoint(text)                            C2SP tlog-checkpoint
//   parseVkey(vkey)                                  "<name>+<hex id>+<b64(0x01 || key)>"
//   verifyNote(note, vkey)                           key id + Ed25519 signature
//   verifyEnvelope(bytes, keyId, publicKey)          DSSE envelope of an act
//
// Hashes are Uint8Arrays of 32 bytes (fromHex / fromBase64 convert); sizes
// and indices are non-negative safe integers or BigInts (the arithmetic is
// done in BigInt, so trees past 2^32 leaves work).
//
// Edge cases the RFC leaves open, decided here:
//   consistency m == n: valid iff the proof is empty and the roots are equal;
//   consistency m == 0: valid iff the proof is empty and the first root is
//     the empty tree's hash SHA-256("") (the empty tree is a prefix of every
//     tree; this is the C2SP tlog-witness rule, and what the server sends);
//   a proof longer than 63 hashes is refused before any hashing.

export const MAX_PROOF = 63;
export const MAX_SIGNATURES = 100;
const utf8 = new TextEncoder();

/* ---- bytes ------------------------------------------------------------ */

export function fromHex(s) {
  if (typeof s !== 'string' || s.length % 2 || !/^[0-9a-fA-F]*$/.test(s)) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toHex(b) {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/* Standard base64 with padding; anything else is null. */
export function fromBase64(s) {
  if (typeof s !== 'string' || s.length % 4 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  let bin;
  try {
    bin = atob(s);
  } catch {
    return null;
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/* Standard or, as DSSE allows, URL-safe base64 (one alphabet a string). */
export function fromBase64Any(s) {
  if (typeof s === 'string' && /[-_]/.test(s) && !/[+/]/.test(s)) return fromBase64(s.replace(/-/g, '+').replace(/_/g, '/'));
  return fromBase64(s);
}

export function toBase64(b) {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode.apply(null, b.subarray(i, i + 0x8000));
  return btoa(s);
}

export function equalBytes(a, b) {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

export function concat(...parts) {
  const n = parts.reduce((k, p) => k + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const is32 = (h) => h instanceof Uint8Array && h.length === 32;

/* A size or an index: a non-negative safe integer, a BigInt, or decimal text. */
function toBig(x) {
  if (typeof x === 'bigint') return x >= 0n ? x : null;
  if (typeof x === 'number') return Number.isSafeInteger(x) && x >= 0 ? BigInt(x) : null;
  if (typeof x === 'string' && /^(0|[1-9][0-9]*)$/.test(x)) return BigInt(x);
  return null;
}

/* ---- hashes ----------------------------------------------------------- */

export async function sha256(...parts) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', concat(...parts)));
}

export const EMPTY_ROOT = fromHex('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

export function leafHash(bytes) {
  return sha256(Uint8Array.of(0), bytes);
}

export function nodeHash(left, right) {
  return sha256(Uint8Array.of(1), left, right);
}

function fail(reason, extra) {
  return { ok: false, reason, ...extra };
}

function checkProof(proof) {
  if (!Array.isArray(proof)) return 'bad-proof';
  if (proof.length > MAX_PROOF) return 'proof-too-long';
  if (!proof.every(is32)) return 'bad-proof-hash';
  return null;
}

/* ---- RFC 9162 §2.1.3.2 ------------------------------------------------ */

export async function verifyInclusion(index, size, leaf, proof, root) {
  const fnIn = toBig(index);
  const n = toBig(size);
  if (fnIn == null) return fail('bad-index');
  if (n == null) return fail('bad-size');
  if (fnIn >= n) return fail('index-out-of-range');
  if (!is32(leaf)) return fail('bad-leaf-hash');
  if (!is32(root)) return fail('bad-root-hash');
  const bad = checkProof(proof);
  if (bad) return fail(bad);

  let fn = fnIn;
  let sn = n - 1n;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0n) return fail('wrong-proof-length');
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return fail('wrong-proof-length', { computed: r });
  if (!equalBytes(r, root)) return fail('root-mismatch', { computed: r });
  return { ok: true, reason: 'ok', computed: r };
}

/* ---- RFC 9162 §2.1.4.2 ------------------------------------------------ */

export async function verifyConsistency(first, second, firstRoot, secondRoot, proof) {
  const m = toBig(first);
  const n = toBig(second);
  if (m == null || n == null) return fail('bad-size');
  if (!is32(firstRoot) || !is32(secondRoot)) return fail('bad-root-hash');
  const bad = checkProof(proof);
  if (bad) return fail(bad);
  if (m > n) return fail('first-greater');
  if (m === n) {
    if (proof.length) return fail('proof-not-empty');
    return equalBytes(firstRoot, secondRoot) ? { ok: true, reason: 'ok' } : fail('root-mismatch');
  }
  if (m === 0n) {
    if (proof.length) return fail('proof-not-empty');
    return equalBytes(firstRoot, EMPTY_ROOT) ? { ok: true, reason: 'ok' } : fail('first-root-mismatch');
  }
  if (!proof.length) return fail('empty-proof');

  const path = (m & (m - 1n)) === 0n ? [firstRoot, ...proof] : proof;
  let fn = m - 1n;
  let sn = n - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return fail('wrong-proof-length');
    if ((fn & 1n) === 1n || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return fail('wrong-proof-length');
  if (!equalBytes(fr, firstRoot)) return fail('first-root-mismatch');
  if (!equalBytes(sr, secondRoot)) return fail('second-root-mismatch');
  return { ok: true, reason: 'ok' };
}

/* ---- C2SP signed-note ------------------------------------------------- */

const SIG_PREFIX = '\u2014 '; // "— "

/* Splits a note into its signed text (up to and including the newline
 * before the blank line) and its signature lines. */
export function parseNote(note) {
  if (typeof note !== 'string' || !note) return fail('not-a-note');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x09\x0b-\x1f\x7f]/.test(note)) return fail('control-character');
  if (!note.endsWith('\n')) return fail('no-final-newline');
  const sep = note.lastIndexOf('\n\n');
  if (sep < 0) return fail('no-signatures');
  const text = note.slice(0, sep + 1);
  const block = note.slice(sep + 2);
  if (!block) return fail('no-signatures');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) return fail('too-many-signatures');
  const signatures = [];
  for (const line of lines) {
    if (!line.startsWith(SIG_PREFIX)) return fail('bad-signature-line');
    const parts = line.slice(SIG_PREFIX.length).split(' ');
    if (parts.length !== 2 || !parts[0]) return fail('bad-signature-line');
    const raw = fromBase64(parts[1]);
    if (!raw || raw.length < 5) return fail('bad-signature-line');
    signatures.push({ name: parts[0], keyId: toHex(raw.subarray(0, 4)), sig: raw.slice(4) });
  }
  return { ok: true, reason: 'ok', text, signatures };
}

/* ---- C2SP tlog-checkpoint --------------------------------------------- */

export function parseCheckpoint(note) {
  const n = parseNote(note);
  if (!n.ok) return n;
  const lines = n.text.slice(0, -1).split('\n');
  if (lines.length < 3 || lines.some((l) => !l)) return fail('bad-checkpoint');
  const [origin, sizeText, rootB64, ...extensions] = lines;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) return fail('bad-size');
  const root = fromBase64(rootB64);
  if (!is32(root)) return fail('bad-root-hash');
  return {
    ok: true, reason: 'ok', origin, size: Number(sizeText), root, rootB64, extensions,
    text: n.text, signatures: n.signatures,
  };
}

/* ---- verifier keys and signatures --------------------------------------- */

export async function noteKeyId(name, typeAndKey) {
  return toHex((await sha256(utf8.encode(name), Uint8Array.of(0x0a), typeAndKey)).subarray(0, 4));
}

/* "<name>+<hex key id>+<base64(0x01 || 32-byte Ed25519 key)>": the base64
 * may itself hold '+', so only the first two split. */
export async function parseVkey(vkey) {
  if (typeof vkey !== 'string') return fail('bad-vkey');
  const a = vkey.indexOf('+');
  const b = a < 0 ? -1 : vkey.indexOf('+', a + 1);
  if (a <= 0 || b < 0) return fail('bad-vkey');
  const name = vkey.slice(0, a);
  const keyId = vkey.slice(a + 1, b);
  const raw = fromBase64(vkey.slice(b + 1));
  if (/\s/.test(name) || !/^[0-9a-f]{8}$/.test(keyId) || !raw) return fail('bad-vkey');
  if (raw.length !== 33 || raw[0] !== 0x01) return fail('unsupported-key-type');
  if ((await noteKeyId(name, raw)) !== keyId) return fail('key-id-mismatch');
  return { ok: true, reason: 'ok', name, keyId, publicKey: raw.slice(1) };
}

export async function ed25519Verify(publicKey, sig, message) {
  try {
    const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, sig, message);
  } catch {
    return false;
  }
}

/* A note is valid for vkey when it carries a signature line with vkey's
 * name and key id, and every such line verifies over the note's text.
 * Lines from other keys are ignored (C2SP signed-note). */
export async function verifyNote(note, vkey) {
  const k = await parseVkey(vkey);
  if (!k.ok) return k;
  const n = parseNote(note);
  if (!n.ok) return n;
  const mine = n.signatures.filter((s) => s.name === k.name && s.keyId === k.keyId);
  if (!mine.length) return fail('no-signature-for-key', { keyId: k.keyId, name: k.name });
  const message = utf8.encode(n.text);
  for (const s of mine) {
    if (s.sig.length !== 64 || !(await ed25519Verify(k.publicKey, s.sig, message))) {
      return fail('bad-signature', { keyId: k.keyId, name: k.name });
    }
  }
  return { ok: true, reason: 'ok', keyId: k.keyId, name: k.name, text: n.text };
}

/* ---- DSSE (the envelopes acts travel in) -------------------------------- */

/* PAE(type, body) = "DSSEv1 " len(type) " " type " " len(body) " " body,
 * lengths in bytes, in decimal. */
export function pae(type, body) {
  const t = utf8.encode(type);
  return concat(utf8.encode(`DSSEv1 ${t.length} `), t, utf8.encode(` ${body.length} `), body);
}

/* A party key's id: "ed25519:" + the first 16 hex digits of SHA-256(raw key). */
export async function partyKeyId(rawPublicKey) {
  return 'ed25519:' + toHex(await sha256(rawPublicKey)).slice(0, 16);
}

/* An entry's bytes are a DSSE envelope; valid for (keyId, publicKey) when
 * it carries a signature named keyId and every such signature verifies
 * over PAE(payloadType, payload).  Resolves to { ok, reason, act }, act
 * being the parsed payload (null if it is not JSON). */
export async function verifyEnvelope(bytes, keyId, publicKey) {
  let env;
  try {
    env = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return fail('bad-envelope');
  }
  if (!env || typeof env.payloadType !== 'string' || typeof env.payload !== 'string' || !Array.isArray(env.signatures)) return fail('bad-envelope');
  const payload = fromBase64Any(env.payload);
  if (!payload) return fail('bad-envelope');
  let act = null;
  try {
    act = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    act = null;
  }
  const mine = env.signatures.filter((x) => x && x.keyid === keyId);
  if (!mine.length) return fail('no-signature-for-key', { act });
  const message = pae(env.payloadType, payload);
  for (const x of mine) {
    const sig = fromBase64Any(x.sig);
    if (!sig || sig.length !== 64 || !(await ed25519Verify(publicKey, sig, message))) return fail('bad-signature', { act });
  }
  return { ok: true, reason: 'ok', act, payloadType: env.payloadType };
}
