// Parties: States, observer States, organisations and groups, filtered by
// the server over all of them: kind, UN regional group, membership of an
// organisation, and a name (in English or Indonesian) or code.

import { h } from '../h.js';
import { tr } from '../loc.js';
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
  const q = (query.get('q') || '').slice(0, 100);
  const memberOf = /^[A-Z0-9-]{2,16}$/.test(query.get('member_of') || '') ? query.get('member_of') : '';
  const [data, orgs] = await Promise.all([
    get('/parties', { kind, group, q, member_of: memberOf, after, limit: LIMIT }, signal),
    get('/parties', { kind: 'organisation', limit: 200 }, signal).catch(() => ({ items: [] })),
  ]);

  const here = { kind, group, q, member_of: memberOf };
  const go = (params, opts) => navigate(withQuery('/parties', { ...here, after: '', ...params }), opts);
  let typing = null;
  const filters = h('form', { class: 'filters', onsubmit: (ev) => ev.preventDefault() },
    select({ id: 'f-kind', name: 'kind', labelText: t('parties.filter_kind'), value: kind,
      options: [['', t('common.all')], ...KINDS.map((k) => [k, label('party_kind', k)])],
      onchange: (ev) => go({ kind: ev.target.value }) }),
    select({ id: 'f-group', name: 'group', labelText: t('parties.filter_group'), value: group,
      options: [['', t('common.all')], ...GROUPS.map((g) => [g, label('un_group', g)])],
      onchange: (ev) => go({ group: ev.target.value }) }),
    select({ id: 'f-org', name: 'member_of', labelText: t('parties.filter_org'), value: memberOf,
      options: [['', t('common.all')], ...orgs.items.map((o) => [o.code, tr('party', o.code, 'name', o.name)])],
      onchange: (ev) => go({ member_of: ev.target.value }) }),
    h('div', { class: 'field grow' },
      h('label', { for: 'f-name' }, t('parties.filter_name')),
      h('input', { id: 'f-name', name: 'q', type: 'search', value: q, placeholder: t('parties.filter_name_ph'), autocomplete: 'off',
        // the server filters all the parties, as the reader stops typing
        oninput: (ev) => {
          clearTimeout(typing);
          // as typed: a space the reader paused after stays
          const v = ev.target.value.trim() ? ev.target.value : '';
          typing = setTimeout(() => go({ q: v }, { replace: true, keep: '#f-name' }), 300);
        } })));

  const rows = data.items;
  const tbl = table({
    caption: t('parties.title'),
    className: 'parties-table',
    rows,
    download: { name: 'parties', api: '/parties', params: { ...here, after, limit: LIMIT } },
    empty: t('parties.empty'),
    columns: [
      { label: t('col.name'), cell: (p) => [partyLink(p.code, p.name), p.unconfirmed ? [' ', unconfirmedBadge()] : null] },
      { label: t('col.code'), cell: (p) => h('code', null, p.code) },
      { label: t('col.kind'), cell: (p) => label('party_kind', p.kind) },
      { label: t('col.un_group'), cell: (p) => (p.un_group ? label('un_group', p.un_group) : h('span', { class: 'muted' }, '—')) },
      { label: t('col.admitted'), cell: (p) => dateCell(p.admitted), class: 'nowrap' },
    ],
  });
  const shown = h('p', { class: 'muted small', role: 'status' },
    q || memberOf ? t(rows.length === 1 ? 'parties.found_one' : 'parties.found', { n: fmtNumber(rows.length) }) : t('parties.shown', { n: fmtNumber(rows.length) }));

  if (data.next) prevOf.set(data.next, after);
  const prevHref = after ? withQuery('/parties', { ...here, after: prevOf.get(after) || '' }) : null;
  const nextHref = data.next ? withQuery('/parties', { ...here, after: data.next }) : null;

  return {
    title: t('parties.title'),
    node: h('div', { class: 'page' },
      pageHeader({ title: t('parties.title'), sub: t('parties.intro') }),
      filters, shown, tbl, pager({ prevHref, nextHref })),
  };
}
