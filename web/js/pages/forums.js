// Forums: where States negotiate — the General Assembly, the GGEs, the
// OEWGs, regional and bilateral fora.

import { h } from '../h.js';
import { tr } from '../loc.js';
import { get } from '../api.js';
import { fmtNumber, label, t } from '../i18n.js';
import { forumLink, pageHeader, pager, select, span, table, unconfirmedBadge, withQuery } from '../ui.js';

const KINDS = ['plenary', 'expert_group', 'open_ended', 'regional', 'plurilateral', 'bilateral'];
const LIMIT = 100;
const prevOf = new Map();

export default async function forums({ query, signal, navigate }) {
  const kind = KINDS.includes(query.get('kind')) ? query.get('kind') : '';
  const after = query.get('after') || '';
  const data = await get('/forums', { kind, after, limit: LIMIT }, signal);
  const names = new Map(data.items.map((f) => [f.id, f.short_name || f.name]));

  const filters = h('form', { class: 'filters', onsubmit: (ev) => ev.preventDefault() },
    select({ id: 'f-kind', name: 'kind', labelText: t('forums.filter_kind'), value: kind,
      options: [['', t('common.all')], ...KINDS.map((k) => [k, label('forum_kind', k)])],
      onchange: (ev) => navigate(withQuery('/forums', { kind: ev.target.value })) }));

  const tbl = table({
    caption: t('forums.title'),
    rows: data.items,
    download: { name: 'forums', api: '/forums', params: { kind, after, limit: LIMIT } },
    empty: t('forums.empty'),
    columns: [
      { label: t('col.forum'), cell: (f) => [
        h('a', { href: `/forums/${encodeURIComponent(f.id)}`, class: 'ititle' },
          f.short_name ? [h('span', { class: 'symbol' }, f.short_name), ' '] : null, h('span', null, tr('forum', f.id, 'name', f.name))),
        f.unconfirmed ? [' ', unconfirmedBadge()] : null] },
      { label: t('col.kind'), cell: (f) => label('forum_kind', f.kind) },
      { label: t('forum.parent'), cell: (f) => (f.parent ? forumLink(f.parent, names.get(f.parent)) : h('span', { class: 'muted' }, '—')) },
      { label: t('col.period'), cell: (f) => span(f.start, f.end) || h('span', { class: 'muted' }, '—'), class: 'nowrap' },
      { label: t('forum.decision_rule'), cell: (f) => label('decision_rule', f.decision_rule) },
      { label: t('col.members'), cell: (f) => (f.member_count ? fmtNumber(f.member_count) : h('span', { class: 'muted' }, '—')), class: 'num' },
    ],
  });

  if (data.next) prevOf.set(data.next, after);
  return {
    title: t('forums.title'),
    node: h('div', { class: 'page' },
      pageHeader({ title: t('forums.title'), sub: t('forums.intro') }),
      filters, tbl,
      pager({
        prevHref: after ? withQuery('/forums', { kind, after: prevOf.get(after) || '' }) : null,
        nextHref: data.next ? withQuery('/forums', { kind, after: data.next }) : null,
      })),
  };
}
