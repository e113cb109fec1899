// Parties: States, observer States, organisations and groups, filtered by
// kind and UN regional group, with a name filter over the loaded page.

import { h } from '../h.js';
import { get } from '../api.js';
import { fmtNumber, label, t } from '../i18n.js';
import { dateCell, pageHeader, pager, partyLink, select, table, unconfirmedBadge, withQuery } from '../ui.js';

const LIMIT = 100;
const KINDS = ['state', 'observer_state', 'organisation', 'group'];
const GROUPS = ['African', 'Asia-Pacific', 'Eastern European', 'GRULAC', 'WEOG'];
const prevOf = new Map(); // cursor -> the cursor of the page before it

export default async function parties({ query, signal, navigate }) {
  const kind = KINDS.includes(query.get('kind')) ? query.get('kind') : '';
  const group = GROUPS.includes(query.get('group')) ? query.get('group') : '';
  const after = query.get('after') || '';
  const data = await get('/parties', { kind, group, after, limit: LIMIT }, signal);

  const go = (params) => navigate(withQuery('/parties', { kind, group, ...params }));
  const filters = h('form', { class: 'filters', onsubmit: (ev) => ev.preventDefault() },
    select({ id: 'f-kind', name: 'kind', labelText: t('parties.filter_kind'), value: kind,
      options: [['', t('common.all')], ...KINDS.map((k) => [k, label('party_kind', k)])],
      onchange: (ev) => go({ kind: ev.target.value, after: '' }) }),
    select({ id: 'f-group', name: 'group', labelText: t('parties.filter_group'), value: group,
      options: [['', t('common.all')], ...GROUPS.map((g) => [g, label('un_group', g)])],
      onchange: (ev) => go({ group: ev.target.value, after: '' }) }),
    h('div', { class: 'field grow' },
      h('label', { for: 'f-name' }, t('parties.filter_name')),
      h('input', { id: 'f-name', type: 'search', placeholder: t('parties.filter_name_ph'), autocomplete: 'off',
        oninput: (ev) => filterRows(ev.target.value) })));

  const rows = data.items;
  const tbl = table({
    caption: t('parties.title'),
    className: 'parties-table',
    rows,
    download: { name: 'parties', api: '/parties', params: { kind, group, after, limit: LIMIT } },
    empty: t('parties.empty'),
    columns: [
      { label: t('col.name'), cell: (p) => [partyLink(p.code, p.name), p.unconfirmed ? [' ', unconfirmedBadge()] : null] },
      { label: t('col.code'), cell: (p) => h('code', null, p.code) },
      { label: t('col.kind'), cell: (p) => label('party_kind', p.kind) },
      { label: t('col.un_group'), cell: (p) => (p.un_group ? label('un_group', p.un_group) : h('span', { class: 'muted' }, '—')) },
      { label: t('col.admitted'), cell: (p) => dateCell(p.admitted), class: 'nowrap' },
    ],
  });
  const shown = h('p', { class: 'muted small', role: 'status' }, t('parties.shown', { n: fmtNumber(rows.length) }));

  function filterRows(text) {
    const needle = text.trim().toLocaleLowerCase();
    const trs = tbl.querySelectorAll('tbody tr');
    let n = 0;
    trs.forEach((tr, i) => {
      const p = rows[i];
      const hit = !needle || p.name.toLocaleLowerCase().includes(needle) || p.code.toLowerCase().includes(needle);
      tr.hidden = !hit;
      if (hit) n++;
    });
    shown.textContent = needle
      ? t('parties.filtered', { n: fmtNumber(n), m: fmtNumber(rows.length) })
      : t('parties.shown', { n: fmtNumber(rows.length) });
  }

  if (data.next) prevOf.set(data.next, after);
  const prevHref = after ? withQuery('/parties', { kind, group, after: prevOf.get(after) || '' }) : null;
  const nextHref = data.next ? withQuery('/parties', { kind, group, after: data.next }) : null;

  return {
    title: t('parties.title'),
    node: h('div', { class: 'page' },
      pageHeader({ title: t('parties.title'), sub: t('parties.intro') }),
      filters, shown, tbl, pager({ prevHref, nextHref })),
  };
}
