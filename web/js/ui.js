// Shared pieces of the pages: badges, tables, sources, pagers, links.

import { h, frag } from './h.js';
import { fmtDate, fmtNumber, label, t } from './i18n.js';
import { ApiError } from './api.js';
import { save, toCsv } from './csv.js';
import { tr, unofficial } from './loc.js';

export const enc = (s) => encodeURIComponent(String(s));

export function loading() {
  return h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('common.loading'));
}

/* An API problem (RFC 9457) or any other failure, shown to the reader. */
export function problemView(e) {
  const p = e instanceof ApiError ? e.problem : { detail: String((e && e.message) || e) };
  const status = e instanceof ApiError ? e.status : null;
  const title = status === 0 ? t('error.network') : p.title || t('error.title');
  return h('div', { class: 'alert alert-error', role: 'alert' },
    h('p', { class: 'alert-title' }, title, status ? h('span', { class: 'muted' }, ` (${status})`) : null),
    p.detail ? h('p', null, p.detail) : null,
    p.type && !/^about:blank$/.test(p.type) ? h('p', { class: 'small muted' }, t('error.type'), ' ', h('code', null, p.type)) : null);
}

export function badge(text, cls = '', attrs = {}) {
  return h('span', { class: ['badge', cls], ...attrs }, text);
}

export function unconfirmedBadge(note) {
  return badge(t('common.unconfirmed'), 'badge-warn', note ? { title: note } : {});
}

/* The callout shown on a record marked unconfirmed, with its note. */
export function unconfirmedCallout(rec) {
  if (!rec || !rec.unconfirmed) return null;
  return h('div', { class: 'callout callout-warn' },
    h('p', null, unconfirmedBadge(), ' ', h('strong', null, t('common.unconfirmed_explain'))),
    rec.note ? h('p', null, rec.note) : null);
}

export function noteCallout(rec) {
  if (!rec || rec.unconfirmed || !rec.note) return null;
  return h('div', { class: 'callout' }, h('p', null, h('strong', null, t('common.note')), ' ', rec.note));
}

const OUTCOME_CLASS = {
  adopted: 'badge-ok',
  in_force: 'badge-ok',
  open_for_signature: 'badge-info',
  failed: 'badge-fail',
};

export function outcomeBadge(outcome) {
  if (!outcome) return null;
  return badge(label('outcome', outcome), OUTCOME_CLASS[outcome] || '');
}

export function voteBadge(v) {
  return badge(label('vote', v), `vote vote-${v}`);
}

export function voteTotals(vt) {
  if (!vt) return null;
  return h('span', { class: 'vote-totals', title: t('instrument.totals_title') },
    h('span', { class: 'vt-yes' }, fmtNumber(vt.yes ?? 0)), '–',
    h('span', { class: 'vt-no' }, fmtNumber(vt.no ?? 0)), '–',
    h('span', { class: 'vt-abstain' }, fmtNumber(vt.abstain ?? 0)));
}

export function logLink(idx) {
  if (idx == null) return null;
  return h('a', { href: `/log?start=${idx}`, class: 'log-link' }, t('common.log_entry', { n: idx }));
}

export function sourcesSection(sources, heading = t('common.sources')) {
  const list = sources || [];
  return h('section', { class: 'sources', 'aria-labelledby': 'sources-h' },
    h('h2', { id: 'sources-h' }, heading),
    list.length
      ? h('ol', null, list.map((s) => h('li', null, s.url
        ? h('a', { href: s.url, rel: 'noopener noreferrer external', class: 'ext' }, s.title || s.url)
        : s.title)))
      : h('p', { class: 'muted' }, t('common.no_sources')));
}

export function inlineSources(sources) {
  if (!sources || !sources.length) return null;
  return h('span', { class: 'inline-sources' }, sources.map((s, i) =>
    h('a', { href: s.url, rel: 'noopener noreferrer external', title: s.title, class: 'ext' }, `[${i + 1}]`)));
}

/* <dl> of [label, value, {wide}] triples; empty values are left out. */
export function facts(pairs) {
  const items = pairs.filter(([, v]) => v != null && v !== '' && !(Array.isArray(v) && !v.length));
  if (!items.length) return null;
  return h('dl', { class: 'facts' }, items.map(([k, v, o]) => h('div', { class: o && o.wide ? 'wide' : null }, h('dt', null, k), h('dd', null, v))));
}

/* columns: [{label, cell(row) -> node|string, class, sort}] */
/*
 * "Download CSV" and "Download JSON" of exactly what a table shows: a list
 * page names its API route and query (api, params), and the links fetch
 * that list from the server as a file; a record page's table gives its
 * rows, which become the files here.  name: the file's name, no extension.
 */
export function downloads({ name, api, params = {}, rows = [] }) {
  const clean = () => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('__'))));
  const link = (fmt, text) => (api
    ? h('a', { href: withQuery(`/api/v1${api}`, { ...params, format: fmt }), download: `${name}.${fmt}`, class: `dl dl-${fmt}` }, text)
    : h('button', { type: 'button', class: `dl dl-${fmt} link-button`,
      onclick: () => (fmt === 'csv'
        ? save(`${name}.csv`, toCsv(clean()), 'text/csv;charset=utf-8')
        : save(`${name}.json`, JSON.stringify({ items: clean() }, null, 2) + '\n', 'application/json')) }, text));
  return h('p', { class: 'downloads small' }, link('csv', t('download.csv')), ' ', link('json', t('download.json')));
}

export function table({ caption, columns, rows, empty, className, download }) {
  if (!rows || !rows.length) return h('p', { class: 'empty muted' }, empty || t('common.none'));
  return h('div', { class: 'table-wrap' },
    download ? downloads({ rows, ...download }) : null,
    h('table', { class: ['data', className] },
      caption ? h('caption', { class: 'sr-only' }, caption) : null,
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)))),
      h('tbody', null, rows.map((r) => h('tr', { class: r.__class }, columns.map((c, i) => {
        const v = c.cell(r);
        return i === 0 && c.rowHeader !== false ? h('th', { scope: 'row', class: c.class }, v) : h('td', { class: c.class }, v);
      }))))));
}

export function section(title, id, ...children) {
  return h('section', { class: 'block', 'aria-labelledby': id },
    h('h2', { id }, title), ...children);
}

export function count(n) {
  return h('span', { class: 'count' }, fmtNumber(n));
}

export function partyLink(code, name) {
  return h('a', { href: `/parties/${enc(code)}` }, tr('party', code, 'name', name || code));
}

/* A note under a record's heading when its texts are shown in the
 * project's own, unofficial translation. */
export function translationNote(kind, ref) {
  return unofficial(kind, ref) ? h('p', { class: 'translation-note small', lang: 'id' }, t('loc.unofficial')) : null;
}

/* A TLP 2.0 label, as a badge. */
export function tlpBadge(tlp) {
  const v = String(tlp || '').replace(/^TLP:/, '');
  return badge(`TLP:${v}`, `tlp tlp-${v.toLowerCase().replace(/[^a-z]/g, '-')}`);
}

/* The label of a record that carries one, shown only when it restricts:
 * TLP:CLEAR is the record's default and says nothing. */
export function restrictedBadge(rec) {
  if (!rec || !rec.tlp || rec.tlp === 'TLP:CLEAR') return null;
  const b = tlpBadge(rec.tlp);
  b.title = t('tlp.restricted');
  return b;
}

export function instrumentLink(i) {
  return h('a', { href: `/instruments/${enc(i.id || i.instrument)}` }, i.symbol ? `${i.symbol}` : i.title);
}

export function instrumentTitleCell(i) {
  const id = i.id || i.instrument;
  return h('a', { href: `/instruments/${enc(id)}`, class: 'ititle' },
    i.symbol ? [h('span', { class: 'symbol' }, i.symbol), ' '] : null,
    h('span', null, tr('instrument', id, 'title', i.title)),
    i.tlp && i.tlp !== 'TLP:CLEAR' ? [' ', restrictedBadge(i)] : null);
}

export function forumLink(id, name) {
  return h('a', { href: `/forums/${enc(id)}` }, tr('forum', id, 'name', name || id));
}

export function dateCell(d) {
  return d ? h('time', { datetime: d }, fmtDate(d)) : h('span', { class: 'muted' }, '—');
}

export function span(start, end) {
  if (!start && !end) return null;
  return frag(start ? h('time', { datetime: start }, fmtDate(start)) : '…', ' – ',
    end ? h('time', { datetime: end }, fmtDate(end)) : t('common.ongoing'));
}

/* A snippet from the search API marks hits with [ and ]. */
export function snippet(s) {
  const out = [];
  const re = /\[([^\]]*)\]/g;
  let last = 0;
  let m;
  while ((m = re.exec(s))) {
    if (m.index > last) out.push(s.slice(last, m.index));
    out.push(h('mark', null, m[1]));
    last = re.lastIndex;
  }
  if (last < s.length) out.push(s.slice(last));
  return frag(...out);
}

export function pageHeader({ kicker, title, sub, badges }) {
  return h('header', { class: 'page-header' },
    kicker ? h('p', { class: 'kicker' }, kicker) : null,
    h('h1', { class: String(title).length > 90 ? 'long' : null }, title),
    badges && badges.filter(Boolean).length ? h('p', { class: 'badges' }, badges.filter(Boolean).map((b) => [b, ' '])) : null,
    sub ? h('p', { class: 'sub' }, sub) : null);
}

/* A select for a filter: options [[value, label]], '' means all. */
export function select({ id, name, labelText, value, options, onchange }) {
  return h('div', { class: 'field' },
    h('label', { for: id }, labelText),
    h('select', { id, name, onchange },
      options.map(([v, l]) => h('option', { value: v, selected: v === (value || '') }, l))));
}

/* Previous/next links for cursor pagination. */
export function pager({ prevHref, nextHref, info }) {
  if (!prevHref && !nextHref && !info) return null;
  return h('nav', { class: 'pager', 'aria-label': t('common.pagination') },
    prevHref ? h('a', { href: prevHref, class: 'button secondary', rel: 'prev' }, '← ', t('common.prev')) : h('span'),
    info ? h('span', { class: 'muted' }, info) : null,
    nextHref ? h('a', { href: nextHref, class: 'button secondary', rel: 'next' }, t('common.next'), ' →') : h('span'));
}

export function withQuery(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
