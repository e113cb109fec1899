// One party: a State, an observer State, an organisation or a group.

import { h } from '../h.js';
import { tr } from '../loc.js';
import { get, seg } from '../api.js';
import { fmtNumber, label, t } from '../i18n.js';
import {
  badge, dateCell, facts, forumLink, inlineSources, instrumentTitleCell, logLink, noteCallout, pageHeader,
  partyLink, section, sourcesSection, span, table, unconfirmedBadge, unconfirmedCallout, voteBadge,
} from '../ui.js';
import { recordVerify } from '../verifybox.js';

function voteSummary(votes) {
  const n = { yes: 0, no: 0, abstain: 0, absent: 0 };
  for (const v of votes) if (n[v.vote] != null) n[v.vote]++;
  return h('p', { class: 'vote-summary' },
    voteBadge('yes'), ' ', fmtNumber(n.yes), ' · ', voteBadge('no'), ' ', fmtNumber(n.no), ' · ',
    voteBadge('abstain'), ' ', fmtNumber(n.abstain), ' · ', voteBadge('absent'), ' ', fmtNumber(n.absent));
}

export default async function party({ params, signal }) {
  const p = await get(`/parties/${seg(params.code)}`, null, signal);
  const isOrg = p.kind === 'organisation' || p.kind === 'group';
  const current = (m) => !m.until;

  const memberships = table({
    caption: t('party.memberships'),
    download: { name: `party-${p.code}-memberships` },
    rows: p.memberships || [],
    empty: t('party.no_memberships'),
    columns: [
      { label: t('col.organisation'), cell: (m) => [partyLink(m.code, m.name), m.unconfirmed ? [' ', unconfirmedBadge(m.note)] : null] },
      { label: t('col.kind'), cell: (m) => label('party_kind', m.kind) },
      { label: t('col.role'), cell: (m) => label('role', m.role) },
      { label: t('col.since'), cell: (m) => dateCell(m.since), class: 'nowrap' },
      { label: t('col.until'), cell: (m) => (m.until ? dateCell(m.until) : h('span', { class: 'muted' }, t('common.current'))), class: 'nowrap' },
      { label: t('col.sources'), cell: (m) => [inlineSources(m.sources), m.note && !m.unconfirmed ? h('span', { class: 'small muted block' }, m.note) : null] },
    ],
  });

  const members = (p.members || []).map((m) => ({ ...m, __class: current(m) ? null : 'former' }));
  const membersTable = table({
    caption: t('party.members'),
    download: { name: `party-${p.code}-members` },
    rows: members,
    empty: t('party.no_members'),
    columns: [
      { label: t('col.member'), cell: (m) => [partyLink(m.code, m.name), m.unconfirmed ? [' ', unconfirmedBadge(m.note)] : null] },
      { label: t('col.code'), cell: (m) => h('code', null, m.code) },
      { label: t('col.role'), cell: (m) => label('role', m.role) },
      { label: t('col.since'), cell: (m) => dateCell(m.since), class: 'nowrap' },
      { label: t('col.until'), cell: (m) => (m.until ? dateCell(m.until) : h('span', { class: 'muted' }, t('common.current'))), class: 'nowrap' },
    ],
  });

  const votes = p.votes || [];
  const votesTable = table({
    caption: t('party.votes'),
    download: { name: `party-${p.code}-votes` },
    className: 'votes-table',
    rows: votes.map((v) => ({ ...v, __class: `row-${v.vote}` })),
    empty: t('party.no_votes'),
    columns: [
      { label: t('col.instrument'), cell: (v) => instrumentTitleCell(v) },
      { label: t('col.date'), cell: (v) => dateCell(v.date), class: 'nowrap' },
      { label: t('col.vote'), cell: (v) => voteBadge(v.vote) },
    ],
  });

  const instruments = table({
    caption: t('party.instruments'),
    download: { name: `party-${p.code}-instruments` },
    rows: p.instruments || [],
    empty: t('party.no_instruments'),
    columns: [
      { label: t('col.instrument'), cell: (i) => instrumentTitleCell(i) },
      { label: t('col.kind'), cell: (i) => label('instrument_kind', i.kind) },
      { label: t('col.relation'), cell: (i) => badge(label('relation', i.relation), 'badge-plain') },
      { label: t('col.date'), cell: (i) => dateCell(i.date), class: 'nowrap' },
    ],
  });

  const forums = table({
    caption: t('party.forums'),
    download: { name: `party-${p.code}-forums` },
    rows: p.forums || [],
    empty: t('party.no_forums'),
    columns: [
      { label: t('col.forum'), cell: (f) => forumLink(f.id, f.name) },
      { label: t('col.kind'), cell: (f) => label('forum_kind', f.kind) },
      { label: t('col.role'), cell: (f) => label('role', f.role) },
      { label: t('col.period'), cell: (f) => span(f.start, f.end) || h('span', { class: 'muted' }, '—'), class: 'nowrap' },
    ],
  });

  const node = h('article', { class: 'page record' },
    pageHeader({
      kicker: label('party_kind', p.kind),
      title: tr('party', p.code, 'name', p.name),
      badges: [badge(p.code, 'badge-code'), p.unconfirmed ? unconfirmedBadge() : null],
    }),
    unconfirmedCallout(p),
    noteCallout(p),
    facts([
      [t('col.code'), h('code', null, p.code)],
      [t('party.alpha2'), p.alpha2 ? h('code', null, p.alpha2) : null],
      [t('party.numeric'), p.numeric ? h('code', null, p.numeric) : null],
      [t('col.un_group'), p.un_group ? label('un_group', p.un_group) : null],
      [t('party.admitted'), p.admitted ? dateCell(p.admitted) : null],
      [t('common.recorded_in'), logLink(p.log_idx)],
    ]),
    p.description ? h('p', { class: 'description' }, p.description) : null,
    recordVerify(p.log_idx),
    isOrg ? section(t('party.members_n', { n: fmtNumber(members.filter(current).length) }), 'members-h', membersTable) : null,
    !isOrg || votes.length ? section(t('party.votes'), 'votes-h',
      h('p', { class: 'muted' }, t('party.votes_intro')),
      votes.length ? voteSummary(votes) : null, votesTable) : null,
    section(t('party.memberships'), 'memberships-h', memberships),
    section(t('party.instruments'), 'instruments-h', instruments),
    section(t('party.forums'), 'forums-h', forums),
    sourcesSection(p.sources));
  return { title: tr('party', p.code, 'name', p.name), node };
}
