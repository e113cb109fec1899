// What the negotiation pages share: submitting an act as the signed-in
// delegation, the countdown to a deadline, the history of a forum, a
// document or a decision (each line linked to its log entry), and live
// updates from the event stream.
//
// The pages stay with the small h() builder rather than Preact: they are
// re-rendered whole from the API on each event that concerns them, which
// keeps them as plain as the record's pages and adds no dependency.

import { h, replace } from './h.js';
import { ApiError, post } from './api.js';
import { fmtTime, t } from './i18n.js';
import { currentUser, expired } from './session.js';
import { logLink, partyLink, problemView } from './ui.js';

/* A form that submits one act as the signed-in user (attested by the
 * server) and shows its receipt or the API's problem. */
export function actForm({ label, type, fields, body, testid, onDone }) {
  const out = h('div', { class: 'act-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'act-form', 'data-testid': testid, onsubmit: async (ev) => {
    ev.preventDefault();
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    replace(out);
    try {
      const r = await post('/acts', { type, body: body(form.elements) });
      replace(out, h('p', { class: 'small ok', role: 'status' }, t('neg.done'), ' ', logLink(r.index)));
      form.reset();
      if (onDone) onDone(r);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) expired();
      replace(out, problemView(e));
    } finally {
      btn.disabled = false;
    }
  } }, fields, h('button', { type: 'submit', class: 'button' }, label), out);
  return form;
}

export function field(id, labelText, control) {
  return h('div', { class: 'field' }, h('label', { for: id }, labelText), control);
}

/* The time left to the deadline (days, then hh:mm:ss), kept current. */
export function countdown(due, signal) {
  const el = h('span', { class: 'countdown', 'data-testid': 'countdown' });
  const end = Date.parse(due);
  const tick = () => {
    const s = Math.max(0, Math.round((end - Date.now()) / 1000));
    const d = Math.floor(s / 86400);
    const hh = Math.floor((s % 86400) / 3600);
    const mm = Math.floor((s % 3600) / 60);
    const ss = s % 60;
    el.textContent = s === 0 ? t('neg.deadline_passed')
      : t('neg.time_left', { t: `${d ? `${d} d ` : ''}${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}` });
  };
  tick();
  const timer = setInterval(tick, 1000);
  if (signal) signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  return h('span', null, h('time', { datetime: due }, fmtTime(due)), ' · ', el);
}

/* What happened, newest first, each line linked to its log entry. */
export function history(items) {
  if (!items || !items.length) return h('p', { class: 'muted' }, t('neg.no_history'));
  return h('ol', { class: 'history', 'data-testid': 'history' }, items.map((e) => h('li', null,
    h('time', { datetime: e.time }, fmtTime(e.time)), ' ',
    e.party ? [partyLink(e.party), ': '] : null,
    e.summary, ' ', logLink(e.log_idx))));
}

/* The act kinds whose entries can change a negotiation page. */
const NEGOTIATION = /^(forum|document|amendment|decision|vote|statement)\./;

/* Calls f (debounced) whenever the event stream carries a negotiation
 * entry; the session decides what this reader receives. */
export function live(signal, f) {
  if (typeof EventSource !== 'function') return null;
  const status = h('p', { class: 'small live-status', role: 'status', 'data-testid': 'neg-live' },
    h('span', { class: 'live-dot', 'aria-hidden': 'true' }), ' ', t('neg.live'));
  const es = new EventSource('/api/v1/events');
  let timer = null;
  // A page redrawn under a delegate's typing would lose it: wait until no
  // form on the page is being filled in.
  const busy = () => {
    const a = document.activeElement;
    if (a && a.closest('form') && /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName)) return true;
    return [...document.querySelectorAll('#main textarea, #main input[type=text], #main input:not([type])')].some((x) => x.value !== '' && x.value !== x.defaultValue);
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => (busy() ? later() : f()), busy() ? 1000 : 150);
  };
  es.addEventListener('entry', (ev) => {
    let e;
    try {
      e = JSON.parse(ev.data);
    } catch {
      return;
    }
    if (NEGOTIATION.test(e.type || '')) later();
  });
  signal.addEventListener('abort', () => {
    clearTimeout(timer);
    es.close();
  }, { once: true });
  return status;
}

/* The signed-in user's party, or null. */
export function myParty() {
  const u = currentUser();
  return u && u.party ? u.party : null;
}

/* Whether the signed-in user is a secretariat's (who runs the chair's and
 * the penholder's business too). */
export function isSecretariat() {
  const u = currentUser();
  return !!u && u.role === 'secretariat';
}

/* A paragraph's text with its square brackets marked as not agreed. */
export function bracketed(text) {
  const out = [];
  const re = /\[[^\]]*\]/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(h('span', { class: 'bracket', title: t('neg.bracket_title') }, m[0]));
    last = re.lastIndex;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
