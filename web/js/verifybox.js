// "Verify in this browser": checks one log entry, or the growth of the log,
// with verify.js, and shows each step.
//
//   verifyPanel(index)  a button and a result region for log entry #index
//   growthPanel()       the log page's "did the log grow honestly?" check
//   checkEntry(index)   the checks themselves (no DOM), for reuse
//
// Trust: the log key is fetched from this server unless the reader pinned
// one (localStorage 'detente.logkey'); a pinned key is the one signatures
// are checked with, and a server that presents another is reported.
// The growth check keeps the last checkpoint it verified in localStorage
// ('detente.checkpoint') and proves the next one extends it.

import { h, replace } from './h.js';
import { ApiError, get, getText } from './api.js';
import { fmtNumber, fmtTime, has, t } from './i18n.js';
import { problemView } from './ui.js';
import {
  equalBytes, fromBase64, leafHash, parseCheckpoint, parseVkey, partyKeyId, toBase64,
  verifyConsistency, verifyEnvelope, verifyInclusion, verifyNote,
} from './verify.js';

const PIN = 'detente.logkey';
const LAST = 'detente.checkpoint';

function readJson(k) {
  try {
    const v = JSON.parse(localStorage.getItem(k) || 'null');
    return v && typeof v === 'object' ? v : null;
  } catch {
    return null;
  }
}

function writeJson(k, v) {
  try {
    if (v == null) localStorage.removeItem(k);
    else localStorage.setItem(k, JSON.stringify(v));
  } catch {
    /* private mode: nothing is remembered */
  }
}

export function pinnedKey() {
  const p = readJson(PIN);
  return p && typeof p.vkey === 'string' ? p : null;
}

export function pinKey(vkey) {
  writeJson(PIN, { vkey, pinned_ms: Date.now() });
}

export function unpinKey() {
  writeJson(PIN, null);
}

export function lastCheckpoint() {
  const c = readJson(LAST);
  return c && typeof c.note === 'string' && Number.isSafeInteger(c.size) ? c : null;
}

export function forgetCheckpoint() {
  writeJson(LAST, null);
}

function reasonText(reason) {
  return has(`verify.reason.${reason}`) ? t(`verify.reason.${reason}`) : reason;
}

/* The key step: which log key the signature was checked with, and why. */
function keyStep(serverVkey) {
  const pin = pinnedKey();
  if (!pin) return { id: 'key', status: 'info', trusted: serverVkey, server: serverVkey, pin: null };
  if (pin.vkey === serverVkey) return { id: 'key', status: 'pass', trusted: pin.vkey, server: serverVkey, pin };
  return { id: 'key', status: 'fail', reason: 'key-changed', trusted: pin.vkey, server: serverVkey, pin };
}

async function fetchProblem(p) {
  try {
    return { value: await p };
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    return { error: e };
  }
}

/* Whose signature the entry's envelope carries, and whether it verifies:
 * the trusted log key's for a server-attested act; for a party-signed one,
 * the key its signer registered (GET /keys/{id}) at or before this entry,
 * belonging to the act's user. */
const ACT_TYPE = 'application/vnd.detente.act.v1+json';
const ENVELOPE_REASON = { 'bad-signature': 'envelope-bad-signature', 'no-signature-for-key': 'envelope-not-signed' };

/* Whether the log holds key k's registration: the entry at k.log_idx
 * hashes into the checkpoint ck, and is a key.register of k's public key
 * for k.user, signed by that key. */
async function registeredInLog(k, pub, ck) {
  if (!ck.ok || k.log_idx >= ck.size) return false;
  const [got, pr] = await Promise.all([
    fetchProblem(get('/log/entries', { start: k.log_idx, end: k.log_idx + 1 })),
    fetchProblem(get('/log/proof/inclusion', { index: k.log_idx, size: ck.size })),
  ]);
  if (got.error || pr.error) return false;
  const reg = (got.value.items || []).find((x) => x.index === k.log_idx);
  const bytes = reg && reg.entry != null ? fromBase64(reg.entry) : null;
  if (!bytes) return false;
  const proof = (Array.isArray(pr.value.proof) ? pr.value.proof : []).map((p) => fromBase64(p));
  if (!(await verifyInclusion(k.log_idx, ck.size, await leafHash(bytes), proof, ck.root)).ok) return false;
  const v = await verifyEnvelope(bytes, k.id, pub);
  const a = v.act;
  return v.ok && !!a && a.type === 'key.register' && a.user === k.user && !!a.body &&
    a.body.key_id === k.id && a.body.public_key === k.public_key;
}

async function authorStep(e, index, trustedVkey, ck) {
  const bytes = e.redacted || e.entry == null ? null : fromBase64(e.entry);
  if (!bytes) return { id: 'author', status: 'skip', reason: e.redacted || e.entry == null ? 'redacted' : 'bad-entry', details: [] };
  if (e.attestation !== 'party-signed') {
    const k = await parseVkey(trustedVkey);
    if (!k.ok) return { id: 'author', status: 'fail', reason: k.reason, details: [] };
    const id = await partyKeyId(k.publicKey);
    const r = await verifyEnvelope(bytes, id, k.publicKey);
    const ok = r.ok && r.payloadType === ACT_TYPE;
    return { id: 'author', status: ok ? 'pass' : 'fail', reason: r.ok && !ok ? 'bad-envelope' : ENVELOPE_REASON[r.reason] || r.reason, details: [
      ['verify.d.attested_by', t('verify.d.log_key', { id })]] };
  }
  const got = await fetchProblem(get(`/keys/${encodeURIComponent(e.signer || '')}`));
  if (got.error) return { id: 'author', status: 'fail', reason: 'signer-key-unknown', problem: got.error, details: [['verify.d.key_id', e.signer || '—']] };
  const k = got.value;
  const pub = fromBase64(k.public_key || '');
  const details = [
    ['verify.d.signed_by', `${k.user}${k.party ? ` (${k.party})` : ''}`],
    ['verify.d.key_id', e.signer],
    ['verify.d.registered_at', `#${k.log_idx}`]];
  if (k.revoked_ms) details.push(['verify.d.revoked_at', k.revoked_idx != null ? `#${k.revoked_idx} · ${fmtTime(k.revoked_ms)}` : fmtTime(k.revoked_ms)]);
  if (!pub || pub.length !== 32 || (await partyKeyId(pub)) !== e.signer || k.id !== e.signer) return { id: 'author', status: 'fail', reason: 'signer-key-mismatch', details };
  if (!(Number.isSafeInteger(k.log_idx) && k.log_idx >= 0 && k.log_idx <= index)) return { id: 'author', status: 'fail', reason: 'key-registered-later', details };
  // The server's word on whose key it is counts only if the log says so:
  // a key.register entry at log_idx, in the checkpointed tree, signed by
  // this very key, registering it for that user.
  if (!(await registeredInLog(k, pub, ck))) return { id: 'author', status: 'fail', reason: 'key-not-registered', details };
  if (k.revoked_idx != null && !(k.revoked_idx > index)) return { id: 'author', status: 'fail', reason: 'key-revoked-before', details };
  const r = await verifyEnvelope(bytes, e.signer, pub);
  if (r.ok && r.payloadType !== ACT_TYPE) return { id: 'author', status: 'fail', reason: 'bad-envelope', details };
  if (r.ok && (!r.act || r.act.user !== k.user)) return { id: 'author', status: 'fail', reason: 'signer-not-user', details };
  return { id: 'author', status: r.ok ? 'pass' : 'fail', reason: ENVELOPE_REASON[r.reason] || r.reason, details };
}

/* Checks log entry #index against the latest checkpoint.  Resolves to
 * { ok, steps: [{id, status: pass|fail|skip|info, reason, details}], key, checkpoint }. */
export async function checkEntry(index) {
  const [entries, note, logKey] = await Promise.all([
    get('/log/entries', { start: index, end: index + 1 }),
    getText('/log/checkpoint'),
    get('/log/key'),
  ]);
  const e = (entries.items || []).find((x) => x.index === index);
  if (!e) throw new ApiError(404, { title: t('verify.no_entry', { n: index }) });
  const ck = parseCheckpoint(note);
  const stated = fromBase64(e.leaf_hash || '');
  const steps = [];

  // 1. The content hashes to the stated leaf hash.
  if (e.redacted || e.entry == null) {
    steps.push({ id: 'leaf', status: 'skip', reason: 'redacted', details: [['verify.d.stated', e.leaf_hash]] });
  } else {
    const bytes = fromBase64(e.entry);
    if (!bytes) {
      steps.push({ id: 'leaf', status: 'fail', reason: 'bad-entry', details: [] });
    } else {
      const lh = await leafHash(bytes);
      const ok = stated != null && equalBytes(lh, stated);
      steps.push({ id: 'leaf', status: ok ? 'pass' : 'fail', reason: ok ? 'ok' : 'leaf-mismatch', details: [
        ['verify.d.entry_bytes', fmtNumber(bytes.length)],
        ['verify.d.computed', toBase64(lh)],
        ['verify.d.stated', e.leaf_hash]] });
    }
  }

  // 2. The envelope is signed by who the entry says: the log key for an act
  // the server attests, the signer's registered key for a party-signed one.
  const key = keyStep(logKey.vkey);
  steps.push(await authorStep(e, index, key.trusted, ck));

  // 3. The inclusion proof leads from that leaf hash to the checkpoint's root.
  if (!ck.ok) {
    steps.push({ id: 'inclusion', status: 'fail', reason: ck.reason, details: [] });
  } else if (index >= ck.size) {
    steps.push({ id: 'inclusion', status: 'fail', reason: 'not-in-checkpoint', details: [['verify.d.tree_size', fmtNumber(ck.size)]] });
  } else {
    const pr = await fetchProblem(get('/log/proof/inclusion', { index, size: ck.size }));
    if (pr.error) {
      steps.push({ id: 'inclusion', status: 'fail', reason: 'fetch-failed', problem: pr.error, details: [] });
    } else {
      const proof = (Array.isArray(pr.value.proof) ? pr.value.proof : []).map((p) => fromBase64(p));
      const r = await verifyInclusion(index, ck.size, stated, proof, ck.root);
      steps.push({ id: 'inclusion', status: r.ok ? 'pass' : 'fail', reason: r.reason, details: [
        ['verify.d.tree_size', fmtNumber(ck.size)],
        ['verify.d.proof_len', fmtNumber(proof.length)],
        ['verify.d.computed_root', r.computed ? toBase64(r.computed) : '—'],
        ['verify.d.checkpoint_root', ck.rootB64]] });
    }
  }

  // 4. The checkpoint is signed by the log key (the pinned one, if any).
  const sig = ck.ok ? await verifyNote(note, key.trusted) : ck;
  steps.push({ id: 'signature', status: sig.ok ? 'pass' : 'fail', reason: sig.reason, details: [
    ['verify.d.origin', ck.ok ? ck.origin : '—'],
    ['verify.d.key_id', sig.keyId || '—']] });

  // 5. Which key that was.
  steps.push(key);

  const ok = steps.every((s) => s.status !== 'fail');
  return { ok, steps, key, checkpoint: ck, entry: e };
}

/* Checks that the latest checkpoint extends the last one verified here. */
export async function checkGrowth() {
  const [note, logKey] = await Promise.all([getText('/log/checkpoint'), get('/log/key')]);
  const ck = parseCheckpoint(note);
  const key = keyStep(logKey.vkey);
  const steps = [];
  const sig = ck.ok ? await verifyNote(note, key.trusted) : ck;
  steps.push({ id: 'signature', status: sig.ok ? 'pass' : 'fail', reason: sig.reason, details: [
    ['verify.d.origin', ck.ok ? ck.origin : '—'],
    ['verify.d.tree_size', ck.ok ? fmtNumber(ck.size) : '—'],
    ['verify.d.checkpoint_root', ck.ok ? ck.rootB64 : '—']] });

  const last = lastCheckpoint();
  let first = false;
  if (!sig.ok) {
    steps.push({ id: 'consistency', status: 'skip', reason: 'unsigned', details: [] });
  } else if (!last) {
    first = true;
    steps.push({ id: 'consistency', status: 'info', reason: 'first', details: [] });
  } else {
    const details = [
      ['verify.d.from', `${fmtNumber(last.size)} · ${last.root}`],
      ['verify.d.to', `${fmtNumber(ck.size)} · ${ck.rootB64}`],
      ['verify.d.verified_at', fmtTime(last.verified_ms)]];
    if (last.origin !== ck.origin) {
      steps.push({ id: 'consistency', status: 'fail', reason: 'origin-changed', details });
    } else if (last.size > ck.size) {
      steps.push({ id: 'consistency', status: 'fail', reason: 'log-shrank', details });
    } else {
      let proof = [];
      let problem = null;
      if (last.size !== ck.size) {
        const pr = await fetchProblem(get('/log/proof/consistency', { from: last.size, to: ck.size }));
        if (pr.error) problem = pr.error;
        else proof = (Array.isArray(pr.value.proof) ? pr.value.proof : []).map((p) => fromBase64(p));
      }
      if (problem) {
        steps.push({ id: 'consistency', status: 'fail', reason: 'fetch-failed', problem, details });
      } else {
        const r = await verifyConsistency(last.size, ck.size, fromBase64(last.root), ck.root, proof);
        details.push(['verify.d.proof_len', fmtNumber(proof.length)]);
        steps.push({ id: 'consistency', status: r.ok ? 'pass' : 'fail', reason: r.reason, details });
      }
    }
    if (last.vkey && last.vkey !== logKey.vkey && key.status === 'info') {
      key.status = 'warn';
      key.reason = 'key-changed-since';
      key.previous = last.vkey;
    }
  }
  steps.push(key);
  const ok = steps.every((s) => s.status !== 'fail');
  if (ok && sig.ok) {
    writeJson(LAST, { note, origin: ck.origin, size: ck.size, root: ck.rootB64, vkey: key.trusted, verified_ms: Date.now() });
  }
  return { ok, first, steps, key, checkpoint: ck, last };
}

/* ---- rendering ---------------------------------------------------------- */

const ICON = { pass: '✓', fail: '✗', skip: '–', info: 'i', warn: '!' };

function stepItem(s) {
  const title = s.id === 'key'
    ? t(s.pin ? 'verify.step.key_pinned' : 'verify.step.key_server')
    : t(`verify.step.${s.id}`);
  const why = s.status === 'pass' || s.reason == null || s.reason === 'ok' ? null : reasonText(s.reason);
  return h('li', { class: `step step-${s.status}`, dataset: { step: s.id, status: s.status } },
    h('span', { class: 'step-icon', 'aria-hidden': 'true' }, ICON[s.status] || '?'),
    h('div', { class: 'step-body' },
      h('p', { class: 'step-title' }, h('span', { class: 'sr-only' }, t(`verify.status.${s.status}`), ': '), title,
        h('span', { class: `badge step-badge badge-${{ pass: 'ok', fail: 'fail', warn: 'warn', info: 'info' }[s.status] || 'plain'}` }, t(`verify.status.${s.status}`))),
      why ? h('p', { class: 'step-why' }, why) : null,
      s.problem ? problemView(s.problem) : null,
      s.details && s.details.length ? h('dl', { class: 'step-details' }, s.details.map(([k, v]) => h('div', null,
        h('dt', null, t(k)), h('dd', null, h('code', { class: 'hash wrap' }, v))))) : null));
}

/* Who was trusted, and the pin / unpin / re-pin buttons. */
function trustBox(key, rerun) {
  const pinBtn = (label, vkey) => h('button', { type: 'button', class: 'button small secondary', onclick: () => { pinKey(vkey); rerun(); } }, label);
  const out = [
    h('p', { class: 'small' }, t('verify.trusted_key'), ' ', h('code', { class: 'hash wrap vkey' }, key.trusted)),
  ];
  if (!key.pin) {
    out.push(h('p', { class: 'small' }, t('verify.key_from_server'), ' ', pinBtn(t('verify.pin'), key.server)));
    if (key.previous) out.push(h('p', { class: 'small warn-text' }, t('verify.key_previous'), ' ', h('code', { class: 'hash wrap' }, key.previous)));
  } else if (key.status === 'pass') {
    out.push(h('p', { class: 'small' }, t('verify.key_pinned_on', { date: fmtTime(key.pin.pinned_ms) }), ' ',
      h('button', { type: 'button', class: 'button small secondary', onclick: () => { unpinKey(); rerun(); } }, t('verify.unpin'))));
  } else {
    out.push(h('div', { class: 'callout callout-fail key-changed', role: 'alert' },
      h('p', { class: 'callout-title' }, t('verify.key_changed_title')),
      h('p', null, t('verify.key_changed', { date: fmtTime(key.pin.pinned_ms) })),
      h('p', { class: 'small' }, t('verify.server_key'), ' ', h('code', { class: 'hash wrap' }, key.server)),
      h('p', null, pinBtn(t('verify.repin'), key.server))));
  }
  return h('div', { class: 'trust' }, out);
}

function verdict(ok, text) {
  return h('p', { class: ['verdict', ok ? 'verdict-pass' : 'verdict-fail'], 'data-verdict': ok ? 'pass' : 'fail' },
    h('span', { class: 'verdict-icon', 'aria-hidden': 'true' }, ok ? '✓' : '✗'), ' ', text);
}

function busy(text) {
  return h('p', { class: 'loading small' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

/* The verify button and its result region, for log entry #index (kept
 * apart so that a table can put the result in a row of its own).
 * `compact` gives a short button label. */
export function verifyControl(index, { compact = false, onrun } = {}) {
  const result = h('div', { class: 'verify-result', 'aria-live': 'polite' });
  const button = h('button', {
    type: 'button',
    class: ['button', 'small', 'secondary', 'verify-btn'],
    'aria-label': compact ? t('verify.button_entry', { n: index }) : null,
    onclick: () => run(),
  }, compact ? t('verify.button_short') : t('verify.button'));

  async function run() {
    if (onrun) onrun();
    button.disabled = true;
    replace(result, busy(t('verify.running')));
    try {
      const r = await checkEntry(index);
      const failed = r.steps.find((s) => s.status === 'fail');
      replace(result,
        verdict(r.ok, r.ok ? t(r.steps[0].status === 'skip' ? 'verify.verdict_pass_hash' : 'verify.verdict_pass', { n: index, size: fmtNumber(r.checkpoint.size) })
          : t('verify.verdict_fail', { step: t(failed.id === 'key' ? 'verify.step.key_pinned' : `verify.step.${failed.id}`) })),
        h('ol', { class: 'verify-steps' }, r.steps.map(stepItem)),
        trustBox(r.key, run),
        h('p', { class: 'small muted' }, t('verify.how')));
    } catch (e) {
      if (e && e.name === 'AbortError') return;
      replace(result, verdict(false, t('verify.could_not')), problemView(e));
    } finally {
      button.disabled = false;
    }
  }

  return { button, result };
}

export function verifyPanel(index) {
  const { button, result } = verifyControl(index);
  return h('div', { class: 'verify', dataset: { entry: String(index) } },
    h('div', { class: 'verify-bar' }, button, h('span', { class: 'small muted' }, t('verify.intro'))),
    result);
}

/* A record page's box: "Recorded in log entry #n" and its verify button. */
export function recordVerify(index) {
  if (index == null) return null;
  return h('section', { class: 'verify-box', 'aria-labelledby': 'verify-h' },
    h('h2', { id: 'verify-h' }, t('verify.title')),
    verifyPanel(index));
}

export function growthPanel() {
  const result = h('div', { class: 'verify-result', 'aria-live': 'polite' });
  const status = h('p', { class: 'small growth-last' });
  const btn = h('button', { type: 'button', class: 'button small', onclick: () => run() }, t('growth.button'));
  const forget = h('button', { type: 'button', class: 'button small secondary', onclick: () => { forgetCheckpoint(); showLast(); replace(result); } }, t('growth.forget'));

  function showLast() {
    const last = lastCheckpoint();
    forget.hidden = !last;
    replace(status, last
      ? [t('growth.last', { size: fmtNumber(last.size), date: fmtTime(last.verified_ms) }), ' ', h('code', { class: 'hash wrap' }, last.root)]
      : t('growth.none'));
  }

  async function run() {
    btn.disabled = true;
    replace(result, busy(t('verify.running')));
    try {
      const r = await checkGrowth();
      let text;
      if (!r.ok) text = t('growth.verdict_fail');
      else if (r.first) text = t('growth.verdict_first', { size: fmtNumber(r.checkpoint.size) });
      else text = t('growth.verdict_pass', { from: fmtNumber(r.last.size), to: fmtNumber(r.checkpoint.size) });
      replace(result, verdict(r.ok, text), h('ol', { class: 'verify-steps' }, r.steps.map(stepItem)), trustBox(r.key, run));
    } catch (e) {
      if (e && e.name === 'AbortError') return;
      replace(result, verdict(false, t('verify.could_not')), problemView(e));
    } finally {
      btn.disabled = false;
      showLast();
    }
  }

  showLast();
  return h('div', { class: 'verify growth' },
    h('p', { class: 'muted' }, t('growth.intro')),
    status,
    h('div', { class: 'verify-bar' }, btn, forget),
    result);
}

/* The log page: a warning when the server's key is not the pinned one. */
export function pinnedKeyWarning(serverVkey) {
  const pin = pinnedKey();
  if (!pin) return null;
  if (pin.vkey === serverVkey) {
    return h('p', { class: 'small pinned-ok' }, t('verify.key_pinned_on', { date: fmtTime(pin.pinned_ms) }));
  }
  return h('div', { class: 'callout callout-fail key-changed', role: 'alert' },
    h('p', { class: 'callout-title' }, t('verify.key_changed_title')),
    h('p', null, t('verify.key_changed', { date: fmtTime(pin.pinned_ms) })),
    h('p', { class: 'small' }, t('verify.pinned_key'), ' ', h('code', { class: 'hash wrap' }, pin.vkey)));
}
