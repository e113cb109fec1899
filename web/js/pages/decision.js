// A decision: a silence procedure or a recorded vote.  Before the close a
// delegation sees its own ballot only (the server seals the others, from
// everyone); after it, the outcome, every party's vote and the
// explanations.

import { h } from '../h.js';
import { refresh } from '../router.js';
import { get, seg } from '../api.js';
import { fmtNumber, label, t } from '../i18n.js';
import { badge, enc, facts, pageHeader, partyLink, section, table, voteBadge } from '../ui.js';
import { actForm, countdown, field, history, live, myParty } from '../neg.js';

const choice = (id, name) => h('select', { id, name }, ['yes', 'no', 'abstain'].map((v) => h('option', { value: v }, label('vote', v))));

/* What the signed-in delegation may do on an open decision. */
export function decisionPanel(d, refresh) {
  if (!myParty() || d.status !== 'open') return null;
  if (d.procedure === 'silence') {
    return h('div', { class: 'panels' },
      actForm({ label: t('neg.break_silence'), type: 'decision.object', testid: 'object-form',
        fields: field(`obj-${d.id}`, t('neg.reasons'), h('textarea', { id: `obj-${d.id}`, name: 'reasons', rows: 2, required: true })),
        body: (el) => ({ decision: d.id, reasons: el.reasons.value }), onDone: refresh }),
      actForm({ label: t('neg.join_reserve'), type: 'decision.reserve', testid: 'reserve-form',
        fields: [
          field(`rk-${d.id}`, t('neg.how'), h('select', { id: `rk-${d.id}`, name: 'kind' },
            ['reservation', 'dissociation'].map((k) => h('option', { value: k }, label('stance', k))))),
          field(`rp-${d.id}`, t('neg.paragraph_ids'), h('input', { id: `rp-${d.id}`, name: 'paragraphs' })),
          field(`rt-${d.id}`, t('neg.statement'), h('textarea', { id: `rt-${d.id}`, name: 'text', rows: 2, required: true })),
        ],
        body: (el) => {
          const b = { decision: d.id, kind: el.kind.value, text: el.text.value };
          const ps = el.paragraphs.value.split(/[\s,]+/).filter(Boolean);
          if (ps.length) b.paragraphs = ps;
          return b;
        }, onDone: refresh }));
  }
  const sep = d.separate || [];
  return h('div', { class: 'panels' }, actForm({
    label: t('neg.cast'), type: 'vote.cast', testid: 'vote-form',
    fields: [
      ...sep.map((s) => field(`sv-${d.id}-${s.paragraph}`, t('neg.separate_on', { p: s.paragraph }), choice(`sv-${d.id}-${s.paragraph}`, `sep_${s.paragraph}`))),
      field(`v-${d.id}`, t('neg.vote_whole'), choice(`v-${d.id}`, 'vote')),
    ],
    body: (el) => {
      const b = { decision: d.id, vote: el.vote.value };
      if (sep.length) b.paragraphs = sep.map((s) => ({ paragraph: s.paragraph, vote: el[`sep_${s.paragraph}`].value }));
      return b;
    }, onDone: refresh }),
  actForm({ label: t('neg.explain'), type: 'vote.explain', testid: 'explain-form',
    fields: field(`ex-${d.id}`, t('neg.explanation'), h('textarea', { id: `ex-${d.id}`, name: 'text', rows: 2, required: true })),
    body: (el) => ({ decision: d.id, timing: 'before', text: el.text.value }), onDone: refresh }));
}

function tallyView(r) {
  const tl = r.tally;
  return h('div', { class: 'tally', 'data-testid': 'tally' },
    (tl.separate || []).map((s) => h('p', null, t('neg.separate_result', { p: s.paragraph }), ' ',
      `${fmtNumber(s.yes)}–${fmtNumber(s.no)}–${fmtNumber(s.abstain)}`, ' ', badge(label('result', s.result))))
    , h('p', { class: 'tally-whole' }, t('neg.whole_result'), ' ',
      h('strong', null, `${fmtNumber(tl.yes)}–${fmtNumber(tl.no)}–${fmtNumber(tl.abstain)}`), ' ', badge(label('result', tl.result))));
}

export default async function decision({ params, signal }) {
  const d = await get(`/decisions/${seg(params.id)}`, null, signal);
  const closed = d.status !== 'open';
  const votes = closed && d.procedure === 'vote' ? await get(`/decisions/${seg(params.id)}/votes`, null, signal) : null;
  const stances = d.stances || [];
  const node = h('article', { class: 'page' },
    pageHeader({
      kicker: label('procedure', d.procedure),
      title: t('neg.decision_on', { title: d.document_title }),
      badges: [badge(label('dec_status', d.status), `status-${d.status}`)],
    }),
    live(signal, refresh),
    facts([
      [t('neg.document'), h('a', { href: `/documents/${enc(d.document)}?revision=${d.revision}` }, `${d.document} (${d.revision ? `Rev.${d.revision}` : t('neg.original')})`)],
      [t('neg.deadline'), closed ? h('time', { datetime: d.due }, d.due) : countdown(d.due, signal)],
      [t('neg.electorate'), fmtNumber((d.electorate || []).length)],
      d.procedure === 'silence' ? [t('neg.on_objection'), label('on_objection', d.on_objection)] : null,
    ].filter(Boolean)),
    d.sealed ? h('p', { class: 'callout', 'data-testid': 'sealed' }, t('neg.sealed')) : null,
    decisionPanel(d, refresh),
    closed && d.result && d.result.tally ? section(t('neg.result'), 'res-h', tallyView(d.result)) : null,
    votes ? section(t('neg.votes'), 'votes-h', table({
      caption: t('neg.votes'),
      download: { name: `decision-${d.id}-votes`, api: `/decisions/${d.id}/votes` },
      rows: votes.items, columns: [
        { label: t('col.party'), cell: (v) => partyLink(v.party, v.name) },
        { label: t('neg.vote'), cell: (v) => voteBadge(v.vote) },
      ],
    })) : null,
    d.procedure === 'silence' || !closed ? section(t('neg.stances'), 'st-h', table({
      caption: t('neg.stances'), rows: stances, empty: d.procedure === 'vote' ? t('neg.no_ballot') : t('neg.silence_holds'),
      columns: [
        { label: t('col.party'), cell: (s) => partyLink(s.party, s.name) },
        { label: t('neg.stance'), cell: (s) => (s.kind === 'vote' ? voteBadge(s.vote) : label('stance', s.kind)) },
        { label: t('neg.statement'), cell: (s) => [s.text || '', s.paragraphs && s.kind !== 'vote' ? ` (${s.paragraphs.join(', ')})` : ''] },
      ],
    })) : null,
    section(t('neg.explanations'), 'ex-h', table({
      caption: t('neg.explanations'), rows: d.explanations, empty: t('neg.no_explanations'),
      columns: [
        { label: t('col.party'), cell: (x) => partyLink(x.party, x.name) },
        { label: t('neg.timing'), cell: (x) => label('timing', x.timing) },
        { label: t('neg.statement'), cell: (x) => x.text },
      ],
    })),
    section(t('neg.history'), 'dh-h', history(d.history)));
  return { title: t('neg.decision_n', { n: d.id }), node };
}
