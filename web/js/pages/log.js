// The transparency log: the signed checkpoint, the log key, and the entries.

import { h } from '../h.js';
import { get, getText } from '../api.js';
import { fmtNumber, fmtTime, has, label, t } from '../i18n.js';
import { badge, dateCell, downloads, facts, pageHeader, pager, section, tlpBadge, withQuery } from '../ui.js';
import { tr } from '../loc.js';
import { parseCheckpoint } from '../verify.js';
import { growthPanel, pinnedKeyWarning, verifyControl } from '../verifybox.js';

const WINDOW = 50;

const COLUMNS = 10;

/* What an act did, in a sentence (the raw JSON is behind a toggle). */
export function actSummary(e) {
  const a = e.act;
  const b = (a && a.body) || {};
  const party = (code) => tr('party', code, 'name', code);
  const inst = (id) => tr('instrument', id, 'title', id);
  const key = `log.says.${e.type}`;
  const vars = {
    'party.register': () => ({ name: tr('party', b.code, 'name', b.name), kind: label('party_kind', b.kind) }),
    'membership.add': () => ({ member: party(b.member), organisation: party(b.organisation), role: label('role', b.role) }),
    'norm.define': () => ({ code: b.code, title: tr('norm', b.id, 'title', b.title) }),
    'forum.establish': () => ({ name: tr('forum', b.id, 'name', b.name) }),
    'instrument.record': () => ({ title: [b.symbol, tr('instrument', b.id, 'title', b.title)].filter(Boolean).join(' '), outcome: label('outcome', b.outcome) }),
    'vote.record': () => ({ instrument: inst(b.instrument), yes: (b.yes || []).length, no: (b.no || []).length, abstain: (b.abstain || []).length }),
    'instrument.join': () => ({ n: (b.parties || []).length, instrument: inst(b.instrument) }),
    'translation.record': () => ({ what: label('search_kind', b.kind), ref: b.ref }),
    'user.add': () => ({ username: b.username, party: b.party ? party(b.party) : '—', role: label('role', b.role) }),
    'key.register': () => ({ id: b.key_id }),
    'key.revoke': () => ({ id: b.key_id }),
  }[e.type];
  if (e.redacted) return t('log.redacted_explain');
  if (vars && has(key)) return t(key, vars());
  return has(`act_type.${e.type}`) ? t(`act_type.${e.type}`) : e.type;
}

/* The date the act is about (an instrument's adoption, a membership's
 * start), as against the date it was recorded. */
function actDate(e) {
  const b = (e.act && e.act.body) || {};
  const d = b.date || b.since || b.start || b.admitted;
  return d ? dateCell(d) : h('span', { class: 'muted' }, '—');
}

/* An entry's row, and a row under it for its verification (shown once the
 * reader asks for one). */
function entryRows(e, types, highlight) {
  const act = e.act;
  const { button, result } = verifyControl(e.index, { compact: true, onrun: () => { vrow.hidden = false; } });
  const vrow = h('tr', { class: 'verify-row', hidden: true, id: `verify-${e.index}` },
    h('td', { colspan: COLUMNS }, h('div', { class: 'verify', dataset: { entry: String(e.index) } }, result)));
  const tr_ = h('tr', { id: `entry-${e.index}`, class: highlight ? 'highlight' : null },
    h('th', { scope: 'row', class: 'num' }, h('a', { href: `/log?start=${e.index}` }, `#${e.index}`)),
    h('td', null, e.redacted
      ? badge(t('log.redacted'), 'badge-plain', { title: t('log.redacted_explain') })
      : h('span', { class: 'says' }, actSummary(e)),
    e.type ? h('code', { class: 'small muted block', title: (types.get(e.type) && types.get(e.type).summary) || '' }, e.type) : null),
    h('td', { class: 'nowrap small' }, actDate(e)),
    h('td', { class: 'nowrap small' }, fmtTime(e.time)),
    h('td', null, e.party ? h('a', { href: `/parties/${encodeURIComponent(e.party)}` }, tr('party', e.party, 'name', e.party)) : h('span', { class: 'muted' }, e.redacted ? '' : t('log.system'))),
    h('td', null, e.user || h('span', { class: 'muted' }, '—')),
    h('td', null, tlpBadge(e.tlp)),
    h('td', null, h('code', { class: 'hash', title: e.leaf_hash }, (e.leaf_hash || '').slice(0, 12), '…')),
    h('td', null, act ? h('details', { class: 'act' },
      h('summary', null, t('log.show_act')),
      h('pre', { class: 'json' }, JSON.stringify(act, null, 2))) : null),
    h('td', { class: 'nowrap' }, button));
  return [tr_, vrow];
}

/* What the TLP labels of the entries mean, where they appear. */
function tlpLegend() {
  return h('details', { class: 'tlp-legend small' },
    h('summary', null, t('log.tlp_what')),
    h('dl', null, ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'].map((l) => [
      h('dt', null, tlpBadge(`TLP:${l}`)),
      h('dd', null, t(`tlp.explain.${l.toLowerCase().replace('+', '_')}`))])));
}

/* The live status line, and the stream behind it: each entry the reader
 * may see after `size` goes to add(); the line counts them (politely, for
 * screen readers) and says when the connection is lost. */
function liveEntries(size, signal, add) {
  const status = h('p', { class: 'small live-status', role: 'status', 'aria-live': 'polite', 'data-testid': 'log-live' },
    h('span', { class: 'live-dot', 'aria-hidden': 'true' }), ' ', t('log.live'));
  const url = size > 0 ? `/api/v1/events?last_event_id=${size - 1}` : '/api/v1/events';
  const es = new EventSource(url);
  let n = 0;
  es.addEventListener('entry', (ev) => {
    let e;
    try {
      e = JSON.parse(ev.data);
    } catch {
      return;
    }
    n++;
    add(e);
    status.lastChild.textContent = `${t('log.live')} ${t('log.live_new', { n: fmtNumber(n) })}`;
  });
  es.addEventListener('error', () => {
    if (es.readyState === EventSource.CLOSED) status.lastChild.textContent = t('log.live_lost');
  });
  signal.addEventListener('abort', () => es.close(), { once: true });
  return status;
}

export default async function log({ query, signal, navigate }) {
  const [note, key, typesRes] = await Promise.all([
    getText('/log/checkpoint', null, signal),
    get('/log/key', null, signal),
    get('/act-types', null, signal).catch(() => ({ items: [] })),
  ]);
  const ck = parseCheckpoint(note);
  const size = ck.ok ? ck.size : 0;
  const types = new Map((typesRes.items || []).map((x) => [x.type, x]));

  const qs = query.get('start');
  const qe = query.get('end');
  const focus = qs != null && qe == null ? Number(qs) : null; // a link to one entry
  let start = /^\d+$/.test(qs || '') ? Number(qs) : Math.max(0, size - WINDOW);
  let end = /^\d+$/.test(qe || '') ? Number(qe) : start + WINDOW;
  if (start > size) start = size;
  if (end > size) end = size;
  if (end < start) end = start;
  const entries = end > start ? await get('/log/entries', { start, end }, signal) : { size, items: [] };
  const total = entries.size ?? size;

  const rows = entries.items.map((e) => entryRows(e, types, e.index === focus));
  const tbody = h('tbody', null, rows);
  const table = h('div', { class: 'table-wrap', hidden: !rows.length }, h('table', { class: 'data log-table' },
    h('caption', { class: 'sr-only' }, t('log.entries')),
    h('thead', null, h('tr', null,
      [t('log.index'), t('log.says'), t('log.act_date'), t('log.recorded'), t('log.party'), t('log.user'), 'TLP', t('log.leaf_hash'), t('log.act')]
        .map((l) => h('th', { scope: 'col' }, l)), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('verify.column'))))),
    tbody));
  const emptyNote = h('p', { class: 'muted', hidden: rows.length > 0 }, t('log.empty'));
  const tableNode = [table, emptyNote];
  // At the log's end, new entries join the table as they are appended
  // (GET /api/v1/events): the session cookie decides what this reader gets.
  const live = end >= total && typeof EventSource === 'function'
    ? liveEntries(total, signal, (e) => {
      tbody.append(...entryRows(e, types, false));
      table.hidden = false;
      emptyNote.hidden = true;
    })
    : null;

  const prevStart = Math.max(0, start - WINDOW);
  const node = h('div', { class: 'page' },
    pageHeader({ title: t('log.title'), sub: t('log.intro') }),
    section(t('log.entries_range', { from: fmtNumber(start), to: fmtNumber(Math.max(start, end - 1)), size: fmtNumber(total) }), 'entries-h',
      h('form', { class: 'filters', method: 'get', action: '/log', onsubmit: (ev) => {
        ev.preventDefault();
        const v = ev.currentTarget.elements.start.value;
        if (/^\d+$/.test(v)) navigate(`/log?start=${v}`);
      } },
        h('div', { class: 'field' },
          h('label', { for: 'log-start' }, t('log.goto')),
          h('input', { id: 'log-start', name: 'start', type: 'number', min: 0, max: Math.max(0, total - 1), value: String(start), inputmode: 'numeric' })),
        h('button', { type: 'submit', class: 'button secondary' }, t('log.go'))),
      live,
      h('p', { class: 'small muted' }, t('log.dates')),
      rows.length ? downloads({ name: `log-${start}-${end}`, api: '/log/entries', params: { start, end } }) : null,
      tableNode,
      pager({
        prevHref: start > 0 ? withQuery('/log', { start: prevStart, end: start }) : null,
        nextHref: end < total ? withQuery('/log', { start: end, end: Math.min(total, end + WINDOW) }) : null,
      }),
      tlpLegend()),
    section(t('log.auditors'), 'ck-h',
      h('p', null, t('log.auditors_intro')),
      h('h3', null, t('log.checkpoint')),
      h('p', { class: 'muted' }, t('log.checkpoint_intro')),
      facts([
        [t('log.origin'), ck.ok ? h('code', null, ck.origin) : null],
        [t('log.size'), fmtNumber(size)],
        [t('log.root'), ck.ok ? h('code', { class: 'hash wrap' }, ck.rootB64) : null],
        [t('log.vkey'), h('code', { class: 'hash wrap' }, key.vkey)],
      ]),
      pinnedKeyWarning(key.vkey),
      h('details', { class: 'raw', open: true },
        h('summary', null, t('log.raw')),
        h('pre', { class: 'checkpoint', 'data-testid': 'checkpoint' }, note)),
      h('p', { class: 'small' }, t('log.machine'), ' ',
        ['/api/v1/log/checkpoint', '/api/v1/log/key', '/api/v1/log/entries?start=0&end=100'].map((u, i) => [i ? ', ' : '', h('a', { href: u }, h('code', null, u))]))),
    section(t('growth.title'), 'growth-h', growthPanel()));
  return { title: t('log.title'), node };
}
