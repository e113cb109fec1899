// One norm: its text, the instruments that establish and affirm it, and the
// parties that endorsed it (derived from their votes and signatures).

import { h } from '../h.js';
import { tr } from '../loc.js';
import { get, seg } from '../api.js';
import { fmtNumber, label, t } from '../i18n.js';
import {
  badge, dateCell, facts, instrumentTitleCell, logLink, noteCallout, pageHeader, partyLink, section,
  sourcesSection, table, translationNote, unconfirmedBadge, unconfirmedCallout,
} from '../ui.js';
import { recordVerify } from '../verifybox.js';

export default async function norm({ params, signal }) {
  const n = await get(`/norms/${seg(params.id)}`, null, signal);
  const endorsers = n.endorsed_by || [];
  const filter = h('input', { id: 'endorser-filter', type: 'search', autocomplete: 'off', placeholder: t('instrument.vote_filter_ph'),
    oninput: (ev) => {
      const needle = ev.target.value.trim().toLocaleLowerCase();
      for (const li of list.querySelectorAll('li')) li.hidden = !!needle && !li.dataset.name.includes(needle);
    } });
  const list = h('ul', { class: 'chips' }, endorsers.map((p) => h('li', { dataset: { name: `${p.name} ${p.code}`.toLocaleLowerCase() } }, partyLink(p.code, p.name))));
  const node = h('article', { class: 'page record' },
    pageHeader({
      kicker: t('norm.kicker', { code: n.code }),
      title: tr('norm', n.id, 'title', n.title),
      badges: [n.unconfirmed ? unconfirmedBadge() : null],
    }),
    unconfirmedCallout(n),
    translationNote('norm', n.id),
    h('blockquote', { class: 'norm-text' }, h('p', null, tr('norm', n.id, 'text', n.text))),
    h('p', { class: 'small muted' }, t('norm.paraphrase')),
    noteCallout(n),
    facts([[t('common.recorded_in'), logLink(n.log_idx)]]),
    recordVerify(n.log_idx),
    section(t('norm.instruments'), 'ni-h', table({
      caption: t('norm.instruments'),
      download: { name: `norm-${n.id}-instruments` },
      rows: n.instruments || [],
      empty: t('norm.no_instruments'),
      columns: [
        { label: t('col.instrument'), cell: (i) => instrumentTitleCell(i) },
        { label: t('col.kind'), cell: (i) => label('instrument_kind', i.kind) },
        { label: t('col.date'), cell: (i) => dateCell(i.date), class: 'nowrap' },
        { label: t('col.relation'), cell: (i) => badge(label('norm_relation', i.relation), i.relation === 'establishes' ? 'badge-info' : 'badge-plain') },
      ],
    })),
    section(t('norm.endorsed_n', { n: fmtNumber(endorsers.length) }), 'ne-h',
      h('p', { class: 'muted' }, t('norm.endorsed_intro')),
      endorsers.length ? [h('div', { class: 'field narrow-field' }, h('label', { for: 'endorser-filter' }, t('instrument.vote_filter')), filter), list]
        : h('p', { class: 'muted' }, t('common.none'))),
    sourcesSection(n.sources));
  return { title: t('norm.doc_title', { code: n.code, title: tr('norm', n.id, 'title', n.title) }), node };
}
