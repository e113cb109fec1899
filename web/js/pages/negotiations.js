// The forums that negotiate in Détente: practice areas last.

import { h } from '../h.js';
import { get } from '../api.js';
import { fmtNumber, label, t } from '../i18n.js';
import { badge, enc, pageHeader, partyLink, section, table } from '../ui.js';

export default async function negotiations({ signal }) {
  const r = await get('/negotiations', null, signal);
  const node = h('div', { class: 'page' },
    pageHeader({ title: t('neg.title'), sub: t('neg.intro') }),
    section(t('neg.forums'), 'negs-h', table({
      caption: t('neg.forums'),
      download: { name: 'negotiations', api: '/negotiations' },
      rows: r.items,
      empty: t('neg.no_forums'),
      columns: [
        { label: t('col.forum'), cell: (f) => [h('a', { href: `/negotiate/${enc(f.id)}` }, f.name), f.practice ? [' ', badge(t('neg.practice'), 'badge-warn')] : null] },
        { label: t('col.kind'), cell: (f) => label('forum_kind', f.kind) },
        { label: t('neg.membership'), cell: (f) => label('neg_membership', f.membership) },
        { label: t('forum.decision_rule'), cell: (f) => label('neg_rule', f.decision_rule) },
        { label: t('neg.chair'), cell: (f) => (f.chair ? partyLink(f.chair) : '—') },
        { label: t('neg.seats'), cell: (f) => fmtNumber(f.seats), class: 'num' },
        { label: t('neg.documents'), cell: (f) => fmtNumber(f.documents), class: 'num' },
      ],
    })));
  return { title: t('neg.title'), node };
}
