// One forum: mandate, membership and decision rules, members, outcomes.

import { h } from '../h.js';
import { tr } from '../loc.js';
import { get, seg } from '../api.js';
import { fmtNumber, label, t } from '../i18n.js';
import {
  badge, dateCell, enc, facts, forumLink, instrumentTitleCell, logLink, noteCallout, outcomeBadge, pageHeader,
  partyLink, section, sourcesSection, span, table, translationNote, unconfirmedBadge, unconfirmedCallout,
} from '../ui.js';
import { recordVerify } from '../verifybox.js';

/* established_by is an instrument symbol (e.g. "A/RES/68/243"); link it to
 * the search page, and to the instrument itself once search has found it. */
function establishedBy(symbol) {
  const a = h('a', { href: `/search?q=${enc(symbol)}` }, symbol);
  get('/search', { q: symbol, limit: 5 })
    .then((r) => {
      const hit = (r.items || []).find((it) => it.kind === 'instrument' && (it.title === symbol || it.title.startsWith(`${symbol} `)));
      if (hit) a.setAttribute('href', `/instruments/${enc(hit.id)}`);
    })
    .catch(() => { /* the search link stays */ });
  return a;
}

export default async function forum({ params, signal }) {
  const f = await get(`/forums/${seg(params.id)}`, null, signal);
  const members = f.members || [];
  const instruments = f.instruments || [];

  const node = h('article', { class: 'page record' },
    pageHeader({
      kicker: label('forum_kind', f.kind),
      title: tr('forum', f.id, 'name', f.name),
      badges: [f.short_name ? badge(f.short_name, 'badge-code') : null, f.unconfirmed ? unconfirmedBadge() : null],
    }),
    unconfirmedCallout(f),
    facts([
      [t('col.kind'), label('forum_kind', f.kind)],
      [t('forum.parent'), f.parent ? forumLink(f.parent, f.parent_name) : null, { wide: true }],
      [t('col.period'), span(f.start, f.end)],
      [t('forum.established_by'), f.established_by ? establishedBy(f.established_by) : null],
      [t('forum.decision_rule'), f.decision_rule ? label('decision_rule', f.decision_rule) : null],
      [t('common.recorded_in'), logLink(f.log_idx)],
    ]),
    noteCallout(f),
    recordVerify(f.log_idx),
    translationNote('forum', f.id),
    f.mandate ? section(t('forum.mandate'), 'mandate-h', h('p', null, tr('forum', f.id, 'mandate', f.mandate))) : null,
    f.membership_rule ? section(t('forum.membership_rule'), 'mrule-h', h('p', null, f.membership_rule)) : null,
    section(t('forum.outcomes'), 'outcomes-h', table({
      caption: t('forum.outcomes'),
      download: { name: `forum-${f.id}-outcomes` },
      rows: instruments.map((i) => ({ ...i, __class: i.outcome === 'failed' ? 'row-failed' : null })),
      empty: t('forum.no_outcomes'),
      columns: [
        { label: t('col.instrument'), cell: (i) => instrumentTitleCell(i) },
        { label: t('col.kind'), cell: (i) => label('instrument_kind', i.kind) },
        { label: t('col.date'), cell: (i) => dateCell(i.date), class: 'nowrap' },
        { label: t('col.outcome'), cell: (i) => outcomeBadge(i.outcome) },
      ],
    })),
    (f.children || []).length ? section(t('forum.children'), 'children-h', table({
      download: { name: `forum-${f.id}-children` },
      caption: t('forum.children'),
      rows: f.children,
      columns: [
        { label: t('col.forum'), cell: (c) => forumLink(c.id, c.name) },
        { label: t('col.kind'), cell: (c) => label('forum_kind', c.kind) },
        { label: t('col.period'), cell: (c) => span(c.start, c.end) || h('span', { class: 'muted' }, '—'), class: 'nowrap' },
      ],
    })) : null,
    section(t('forum.members_n', { n: fmtNumber(members.length) }), 'members-h',
      members.length ? null : h('p', { class: 'muted' }, t('forum.no_members')),
      members.length ? h('ul', { class: 'chips' }, members.map((m) => h('li', { class: m.role === 'chair' ? 'chair' : null },
        partyLink(m.code, m.name),
        m.role && m.role !== 'member' ? [' ', badge(label('role', m.role), m.role === 'chair' ? 'badge-info' : 'badge-plain')] : null))) : null),
    sourcesSection(f.sources));
  return { title: f.short_name || f.name, node };
}
