// One negotiating forum: its seats, documents, decisions and history, and
// what the signed-in delegation may do there (join, table a document).

import { h } from '../h.js';
import { refresh } from '../router.js';
import { get, seg } from '../api.js';
import { fmtNumber, label, t } from '../i18n.js';
import { badge, enc, facts, forumLink, pageHeader, partyLink, section, table } from '../ui.js';
import { actForm, field, history, live, myParty } from '../neg.js';

function joinPanel(f, refresh) {
  const me = myParty();
  if (!me || f.membership === 'fixed' || (f.seats || []).some((s) => s.party === me)) return null;
  return actForm({
    label: t('neg.join', { party: me }), type: 'forum.join', testid: 'join-form',
    fields: field('join-role', t('neg.role'), h('select', { id: 'join-role', name: 'role' },
      h('option', { value: 'member' }, label('role', 'member')), h('option', { value: 'observer' }, label('role', 'observer')))),
    body: (el) => ({ forum: f.id, role: el.role.value }),
    onDone: refresh,
  });
}

/* Paragraphs typed one per line: "PP text" for preambular ones. */
function paragraphsFrom(text) {
  return text.split(/\n+/).map((l) => l.trim()).filter(Boolean).map((l, i) => {
    const pre = /^PP\s+/i.test(l);
    return { id: `p${i + 1}`, part: pre ? 'preambular' : 'operative', text: l.replace(/^(PP|OP)\s+/i, '') };
  });
}

function tablePanel(f, refresh) {
  const me = myParty();
  const seat = (f.seats || []).find((s) => s.party === me);
  if (!seat || seat.role === 'observer') return null;
  return section(t('neg.table_doc'), 'table-h', actForm({
    label: t('neg.table'), type: 'document.table', testid: 'table-form',
    fields: [
      field('doc-id', t('neg.doc_id'), h('input', { id: 'doc-id', name: 'id', required: true, pattern: '[a-z0-9-]{1,64}' })),
      field('doc-title', t('col.title'), h('input', { id: 'doc-title', name: 'title', required: true })),
      field('doc-kind', t('col.kind'), h('select', { id: 'doc-kind', name: 'kind' },
        ['resolution', 'report', 'decision', 'joint_statement', 'agreement', 'call_for_views'].map((k) => h('option', { value: k }, label('doc_kind', k))))),
      field('doc-text', t('neg.paragraphs_hint'), h('textarea', { id: 'doc-text', name: 'text', rows: 6, required: true })),
    ],
    body: (el) => ({ id: el.id.value, forum: f.id, kind: el.kind.value, title: el.title.value, paragraphs: paragraphsFrom(el.text.value) }),
    onDone: refresh,
  }));
}

export default async function negotiation({ params, signal }) {
  const f = await get(`/negotiations/${seg(params.id)}`, null, signal);
  const node = h('article', { class: 'page' },
    pageHeader({
      kicker: label('forum_kind', f.kind),
      title: f.name,
      badges: [f.practice ? badge(t('neg.practice'), 'badge-warn') : null],
      sub: f.practice ? t('neg.practice_note') : null,
    }),
    live(signal, refresh),
    facts([
      [t('neg.membership'), label('neg_membership', f.membership)],
      [t('forum.decision_rule'), label('neg_rule', f.decision_rule)],
      [t('neg.quorum'), f.quorum ? fmtNumber(f.quorum) : t('neg.no_quorum')],
      [t('neg.chair'), f.chair ? partyLink(f.chair) : null],
      [t('neg.record'), forumLink(f.id, f.name)],
    ]),
    h('p', null, f.mandate),
    joinPanel(f, refresh),
    section(t('neg.documents'), 'docs-h', table({
      caption: t('neg.documents'),
      download: { name: `negotiation-${f.id}-documents` },
      rows: f.documents,
      empty: t('neg.no_documents'),
      columns: [
        { label: t('col.title'), cell: (d) => h('a', { href: `/documents/${enc(d.id)}` }, d.title) },
        { label: t('col.kind'), cell: (d) => label('doc_kind', d.kind) },
        { label: t('neg.penholder'), cell: (d) => partyLink(d.penholder) },
        { label: t('neg.revision'), cell: (d) => (d.revision ? `Rev.${d.revision}` : t('neg.original')) },
        { label: t('neg.status'), cell: (d) => badge(label('doc_status', d.status), `status-${d.status}`) },
      ],
    })),
    tablePanel(f, refresh),
    section(t('neg.decisions'), 'decs-h', table({
      caption: t('neg.decisions'),
      rows: f.decisions,
      empty: t('neg.no_decisions'),
      columns: [
        { label: t('neg.decision'), cell: (d) => h('a', { href: `/decisions/${d.id}` }, t('neg.decision_n', { n: d.id })) },
        { label: t('neg.document'), cell: (d) => h('a', { href: `/documents/${enc(d.document)}` }, d.document) },
        { label: t('neg.procedure'), cell: (d) => label('procedure', d.procedure) },
        { label: t('neg.deadline'), cell: (d) => h('time', { datetime: d.due }, d.due) },
        { label: t('neg.status'), cell: (d) => badge(label('dec_status', d.status), `status-${d.status}`) },
      ],
    })),
    section(t('neg.seats_n', { n: fmtNumber((f.seats || []).length) }), 'seats-h',
      h('ul', { class: 'chips' }, (f.seats || []).map((s) => h('li', { class: s.role === 'chair' ? 'chair' : null },
        partyLink(s.party, s.name), s.role !== 'member' ? [' ', badge(label('role', s.role), 'badge-plain')] : null)))),
    section(t('neg.history'), 'hist-h', history(f.history)));
  return { title: f.name, node };
}
