// Instruments: reports, resolutions, decisions, agreements, statements.

import { h } from '../h.js';
import { get } from '../api.js';
import { fmtNumber, label, t } from '../i18n.js';
import {
  badge, dateCell, forumLink, instrumentTitleCell, outcomeBadge, pageHeader, pager, select, table, unconfirmedBadge,
  voteTotals, withQuery,
} from '../ui.js';

const KINDS = ['resolution', 'report', 'decision', 'outcome', 'joint_statement', 'agreement', 'convention', 'toolbox', 'sanctions_regime'];
const LIMIT = 100;
const prevOf = new Map();

export default async function instruments({ query, signal, navigate }) {
  const kind = KINDS.includes(query.get('kind')) ? query.get('kind') : '';
  const forum = query.get('forum') || '';
  const votesOnly = query.get('votes') === '1';
  const after = query.get('after') || '';
  const [data, fl] = await Promise.all([
    get('/instruments', { kind, forum, after, limit: LIMIT }, signal),
    get('/forums', { limit: 200 }, signal).catch(() => ({ items: [] })),
  ]);
  const fname = new Map(fl.items.map((f) => [f.id, f.short_name || f.name]));
  const here = { kind, forum, votes: votesOnly ? '1' : '' };

  const filters = h('form', { class: 'filters', onsubmit: (ev) => ev.preventDefault() },
    select({ id: 'f-kind', name: 'kind', labelText: t('instruments.filter_kind'), value: kind,
      options: [['', t('common.all')], ...KINDS.map((k) => [k, label('instrument_kind', k)])],
      onchange: (ev) => navigate(withQuery('/instruments', { ...here, kind: ev.target.value })) }),
    h('div', { class: 'field check' },
      h('input', { id: 'f-votes', type: 'checkbox', checked: votesOnly,
        onchange: (ev) => navigate(withQuery('/instruments', { ...here, votes: ev.target.checked ? '1' : '' })) }),
      h('label', { for: 'f-votes' }, t('instruments.only_votes'))),
    forum ? h('p', { class: 'field active-filter' }, t('instruments.in_forum'), ' ', forumLink(forum, fname.get(forum)), ' ',
      h('a', { href: withQuery('/instruments', { ...here, forum: '' }), class: 'small' }, t('common.clear_filter'))) : null);

  const rows = data.items
    .filter((i) => !votesOnly || i.adoption === 'recorded_vote')
    .map((i) => ({ ...i, __class: i.outcome === 'failed' ? 'row-failed' : null }));
  const tbl = table({
    caption: t('instruments.title'),
    rows,
    // the votes-only filter is the page's own: then the rows it shows
    download: votesOnly ? { name: 'instruments-recorded-votes' }
      : { name: 'instruments', api: '/instruments', params: { kind, forum, after, limit: LIMIT } },
    empty: t('instruments.empty'),
    columns: [
      { label: t('col.instrument'), cell: (i) => [instrumentTitleCell(i), i.unconfirmed ? [' ', unconfirmedBadge()] : null] },
      { label: t('col.date'), cell: (i) => dateCell(i.date), class: 'nowrap' },
      { label: t('col.kind'), cell: (i) => label('instrument_kind', i.kind) },
      { label: t('col.forum'), cell: (i) => (i.forum ? forumLink(i.forum, fname.get(i.forum)) : '—') },
      { label: t('col.outcome'), cell: (i) => [outcomeBadge(i.outcome), i.binding ? [' ', badge(t('instrument.binding'), 'badge-plain')] : null] },
      { label: t('col.adoption'), cell: (i) => [i.adoption ? label('adoption', i.adoption) : h('span', { class: 'muted' }, '—'),
        i.vote_totals ? [' ', voteTotals(i.vote_totals)] : null] },
    ],
  });

  if (data.next) prevOf.set(data.next, after);
  return {
    title: t('instruments.title'),
    node: h('div', { class: 'page' },
      pageHeader({ title: t('instruments.title'), sub: t('instruments.intro') }),
      filters,
      h('p', { class: 'muted small' }, t('instruments.shown', { n: fmtNumber(rows.length) })),
      tbl,
      pager({
        prevHref: after ? withQuery('/instruments', { ...here, after: prevOf.get(after) || '' }) : null,
        nextHref: data.next ? withQuery('/instruments', { ...here, after: data.next }) : null,
      })),
  };
}
