// A document under negotiation: its paragraphs with their numbers (square
// brackets shown as language not agreed), the amendments beside the
// paragraph they target, any two revisions compared, its decisions with a
// countdown, and the panels of what the signed-in delegation may do.

import { h } from '../h.js';
import { refresh } from '../router.js';
import { get, seg } from '../api.js';
import { label, t } from '../i18n.js';
import { badge, enc, facts, pageHeader, partyLink, section, table, tlpBadge, withQuery } from '../ui.js';
import { actForm, bracketed, countdown, field, history, isSecretariat, live, myParty } from '../neg.js';
import { decisionPanel } from './decision.js';

function amendmentItem(a, doc, isPen, refresh) {
  const tools = isPen && a.status === 'proposed' && doc.status === 'drafting' ? h('div', { class: 'amend-tools' },
    actForm({ label: t('neg.accept'), type: 'amendment.accept', testid: `accept-${a.id}`, fields: [], body: () => ({ amendment: a.id }), onDone: refresh }),
    actForm({ label: t('neg.reject'), type: 'amendment.reject', testid: `reject-${a.id}`,
      fields: field(`why-${a.id}`, t('neg.reason'), h('input', { id: `why-${a.id}`, name: 'reason', required: true })),
      body: (el) => ({ amendment: a.id, reason: el.reason.value }), onDone: refresh })) : null;
  return h('li', { class: `amendment amendment-${a.status}`, 'data-testid': 'amendment' },
    h('p', null, badge(label('amend_status', a.status), `status-${a.status}`), ' ',
      t('neg.amendment_by', { n: a.id }), ' ', partyLink(a.party), ': ', label('amend_action', a.action),
      a.text ? [' — ', h('q', null, bracketed(a.text))] : null),
    h('p', { class: 'small' }, a.explanation),
    a.reason ? h('p', { class: 'small muted' }, t('neg.reason'), ': ', a.reason) : null,
    tools);
}

function paragraphs(doc, isPen, refresh) {
  const amends = doc.amendments || [];
  return h('ol', { class: 'paragraphs', 'data-testid': 'paragraphs' }, (doc.paragraphs || []).map((p) => {
    const mine = amends.filter((a) => a.paragraph === p.id && a.status === 'proposed');
    return h('li', { class: `para para-${p.part}`, id: `para-${p.id}`, 'data-pid': p.id },
      h('span', { class: 'para-num' }, p.number), ' ',
      h('span', { class: 'para-text' }, bracketed(p.text)),
      mine.length ? h('ul', { class: 'amendments-beside' }, mine.map((a) => amendmentItem(a, doc, isPen, refresh))) : null);
  }));
}

function diffView(diff) {
  return h('ol', { class: 'diff', 'data-testid': 'diff' }, diff.paragraphs.map((p) => h('li', { class: `diff-${p.op}` },
    h('span', { class: 'para-num' }, p.number_b || p.number_a), ' ', badge(label('diff_op', p.op), `diff-badge-${p.op}`), ' ',
    p.words ? p.words.map((w) => (w.op === '=' ? w.text : h(w.op === '+' ? 'ins' : 'del', null, w.text))) : null)));
}

function amendPanel(doc, refresh) {
  const me = myParty();
  if (!me || doc.status !== 'drafting' || ['submission', 'call_for_views'].includes(doc.kind)) return null;
  return section(t('neg.propose'), 'propose-h', actForm({
    label: t('neg.propose_button'), type: 'amendment.propose', testid: 'amend-form',
    fields: [
      field('am-para', t('neg.paragraph'), h('select', { id: 'am-para', name: 'paragraph' },
        (doc.paragraphs || []).map((p) => h('option', { value: p.id }, `${p.number}: ${p.text.slice(0, 60)}`)))),
      field('am-action', t('neg.action'), h('select', { id: 'am-action', name: 'action' },
        ['replace', 'insert_after', 'delete'].map((a) => h('option', { value: a }, label('amend_action', a))))),
      field('am-text', t('neg.new_text'), h('textarea', { id: 'am-text', name: 'text', rows: 3 })),
      field('am-why', t('neg.explanation'), h('textarea', { id: 'am-why', name: 'explanation', rows: 2, required: true })),
    ],
    body: (el) => {
      const b = { document: doc.id, paragraph: el.paragraph.value, action: el.action.value, explanation: el.explanation.value };
      if (b.action !== 'delete') b.text = el.text.value;
      if (b.action === 'insert_after') b.new_id = `p${Date.now().toString(36)}`;
      return b;
    },
    onDone: refresh,
  }));
}

function openPanel(doc, refresh) {
  if (doc.status !== 'drafting' || ['submission', 'call_for_views'].includes(doc.kind)) return null;
  const soon = new Date(Date.now() + 3_600_000).toISOString().slice(0, 16);
  return section(t('neg.open_decision'), 'open-h', h('p', { class: 'small muted' }, t('neg.chair_only')), actForm({
    label: t('neg.open_button'), type: 'decision.open', testid: 'open-form',
    fields: [
      field('op-proc', t('neg.procedure'), h('select', { id: 'op-proc', name: 'procedure' },
        ['silence', 'vote'].map((p) => h('option', { value: p }, label('procedure', p))))),
      field('op-due', t('neg.deadline_utc'), h('input', { id: 'op-due', name: 'deadline', type: 'datetime-local', value: soon, required: true })),
      field('op-obj', t('neg.on_objection'), h('select', { id: 'op-obj', name: 'on_objection' },
        ['fail', 'return'].map((p) => h('option', { value: p }, label('on_objection', p))))),
    ],
    body: (el) => {
      const b = { document: doc.id, procedure: el.procedure.value, deadline: new Date(`${el.deadline.value}Z`).toISOString() };
      if (b.procedure === 'silence') b.on_objection = el.on_objection.value;
      return b;
    },
    onDone: refresh,
  }));
}

export default async function documentPage({ params, query, signal }) {
  const q = query.get('revision');
  const doc = await get(`/documents/${seg(params.id)}`, q != null ? { revision: q } : null, signal);
  const from = query.get('compare');
  const diff = from != null ? await get(`/documents/${seg(params.id)}/diff`, { from, to: doc.shown_revision }, signal) : null;
  const me = myParty();
  const isPen = (me && me === doc.penholder) || isSecretariat();
  const open = (doc.decisions || []).find((d) => d.status === 'open');
  const revs = doc.revisions || [];
  const node = h('article', { class: 'page' },
    pageHeader({
      kicker: label('doc_kind', doc.kind),
      title: doc.title,
      badges: [doc.symbol ? badge(doc.symbol, 'badge-code') : null, badge(label('doc_status', doc.status), `status-${doc.status}`),
        doc.tlp !== 'TLP:CLEAR' ? tlpBadge(doc.tlp) : null],
    }),
    live(signal, refresh),
    facts([
      [t('col.forum'), h('a', { href: `/negotiate/${enc(doc.forum)}` }, doc.forum)],
      [t('neg.penholder'), partyLink(doc.penholder)],
      [t('neg.revision'), doc.shown_revision ? `Rev.${doc.shown_revision}` : t('neg.original')],
      [t('neg.outcome'), doc.instrument ? h('a', { href: `/instruments/${enc(doc.instrument)}` }, t('neg.instrument')) : null],
      [t('neg.file'), [h('a', { href: withQuery(`/api/v1/documents/${enc(doc.id)}/print`, { revision: doc.shown_revision }), 'data-testid': 'print-link' }, t('neg.print')), ' · ',
        h('a', { href: withQuery(`/api/v1/documents/${enc(doc.id)}/text`, { revision: doc.shown_revision }) }, t('neg.plain'))]],
    ]),
    revs.length > 1 ? h('nav', { class: 'revisions small', 'aria-label': t('neg.revisions') }, t('neg.revisions'), ': ',
      revs.map((r) => [h('a', { href: `/documents/${enc(doc.id)}?revision=${r.n}`, 'aria-current': r.n === doc.shown_revision ? 'page' : null }, r.n ? `Rev.${r.n}` : t('neg.original')), ' ']),
      doc.shown_revision > 0 ? h('a', { href: `/documents/${enc(doc.id)}?revision=${doc.shown_revision}&compare=${doc.shown_revision - 1}`, 'data-testid': 'compare-link' }, t('neg.compare_prev')) : null) : null,
    open ? section(t('neg.open_now'), 'now-h', h('p', null, h('a', { href: `/decisions/${open.id}` }, label('procedure', open.procedure)), ' — ', countdown(open.due, signal)),
      decisionPanel(open, refresh)) : null,
    diff ? section(t('neg.diff_title', { a: from, b: doc.shown_revision }), 'diff-h', diffView(diff)) : null,
    section(t('neg.text'), 'text-h', paragraphs(doc, isPen, refresh)),
    amendPanel(doc, refresh),
    (me && me === doc.chair) || isSecretariat() ? openPanel(doc, refresh) : null,
    (doc.submissions || []).length || doc.kind === 'call_for_views' ? section(t('neg.submissions'), 'subs-h', table({
      caption: t('neg.submissions'), rows: doc.submissions, empty: t('neg.no_submissions'),
      columns: [
        { label: t('col.title'), cell: (s) => h('a', { href: `/documents/${enc(s.id)}` }, s.title) },
        { label: t('col.party'), cell: (s) => partyLink(s.party) },
        { label: 'TLP', cell: (s) => tlpBadge(s.tlp) },
      ],
    })) : null,
    section(t('neg.amendments'), 'amends-h', table({
      caption: t('neg.amendments'),
      download: { name: `amendments-${doc.id}`, api: `/documents/${enc(doc.id)}/amendments` },
      rows: doc.amendments, empty: t('neg.no_amendments'),
      columns: [
        { label: '#', cell: (a) => String(a.id) },
        { label: t('neg.paragraph'), cell: (a) => a.paragraph },
        { label: t('neg.action'), cell: (a) => label('amend_action', a.action) },
        { label: t('col.party'), cell: (a) => partyLink(a.party) },
        { label: t('neg.status'), cell: (a) => badge(label('amend_status', a.status), `status-${a.status}`) },
      ],
    })),
    section(t('neg.decisions'), 'ddecs-h', table({
      caption: t('neg.decisions'), rows: doc.decisions, empty: t('neg.no_decisions'),
      columns: [
        { label: t('neg.decision'), cell: (d) => h('a', { href: `/decisions/${d.id}` }, t('neg.decision_n', { n: d.id })) },
        { label: t('neg.procedure'), cell: (d) => label('procedure', d.procedure) },
        { label: t('neg.status'), cell: (d) => badge(label('dec_status', d.status), `status-${d.status}`) },
      ],
    })),
    section(t('neg.history'), 'dhist-h', history(doc.history)));
  return { title: doc.title, node };
}
