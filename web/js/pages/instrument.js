// One instrument: what it says, how it was adopted (or why it failed), the
// norms and commitments, the recorded vote and who joined it.

import { h, replace } from '../h.js';
import { worldMap } from '../worldmap.js';
import { tr } from '../loc.js';
import { get, seg } from '../api.js';
import { fmtNumber, label, t } from '../i18n.js';
import {
  badge, dateCell, downloads, facts, restrictedBadge, translationNote, forumLink, inlineSources, logLink, noteCallout, outcomeBadge, pageHeader, partyLink,
  section, sourcesSection, unconfirmedBadge, unconfirmedCallout, voteTotals, table, voteBadge,
} from '../ui.js';
import { recordVerify, verifyControl } from '../verifybox.js';

function failedCallout(i) {
  if (i.outcome !== 'failed') return null;
  return h('div', { class: 'callout callout-fail', role: 'note' },
    h('p', { class: 'callout-title' }, badge(label('outcome', 'failed'), 'badge-fail'), ' ', t('instrument.failed_title')),
    i.outcome_reason ? h('p', null, h('strong', null, t('instrument.failed_reason')), ' ', tr('instrument', i.id, 'outcome_reason', i.outcome_reason)) : null);
}

function normsSection(norms) {
  if (!norms.length) return null;
  return section(t('instrument.norms_n', { n: fmtNumber(norms.length) }), 'norms-h',
    h('ol', { class: 'norm-list' }, norms.map((n) => h('li', null,
      h('span', { class: 'norm-code', 'aria-hidden': 'true' }, n.code),
      h('a', { href: `/norms/${encodeURIComponent(n.id)}` }, h('span', { class: 'sr-only' }, `(${n.code}) `), tr('norm', n.id, 'title', n.title)),
      badge(label('norm_relation', n.relation), n.relation === 'establishes' ? 'badge-info' : 'badge-plain')))));
}

function commitmentsSection(id, list) {
  if (!list.length) return null;
  return section(t('instrument.commitments_n', { n: fmtNumber(list.length) }), 'commitments-h',
    h('ol', { class: 'commitments' }, list.map((c) => h('li', { id: `c-${c.id}` }, tr('instrument', id, `commitment:${c.id}`, c.text)))));
}

function voteBar(yes, no, abstain, absent) {
  const total = yes + no + abstain + absent;
  if (!total) return null;
  const part = (n, cls) => {
    const el = h('span', { class: `bar-part ${cls}` });
    el.style.flexGrow = String(n); // CSSOM, allowed by the CSP (unlike style="")
    return el;
  };
  // an image to a screen reader, with the numbers as its name
  return h('div', { class: 'vote-bar', role: 'img', 'aria-label': t('instrument.vote_bar', {
    yes: fmtNumber(yes), no: fmtNumber(no), abstain: fmtNumber(abstain), absent: fmtNumber(absent) }) },
  part(yes, 'vt-yes-bg'), part(no, 'vt-no-bg'), part(abstain, 'vt-abstain-bg'), part(absent, 'vt-absent-bg'));
}

function voteSection(i, map) {
  const v = i.vote;
  if (!v) return null;
  const lists = { yes: v.yes || [], no: v.no || [], abstain: v.abstain || [], absent: v.absent || [] };
  const official = i.vote_totals;
  const counted = { yes: lists.yes.length, no: lists.no.length, abstain: lists.abstain.length };
  const differs = official && (official.yes !== counted.yes || official.no !== counted.no || official.abstain !== counted.abstain);
  const cols = ['yes', 'no', 'abstain', 'absent'].map((k) => h('section', { class: `vote-col vote-col-${k}`, 'aria-labelledby': `vc-${k}` },
    h('h3', { id: `vc-${k}` }, label('vote', k), ' ', h('span', { class: 'count' }, fmtNumber(lists[k].length))),
    lists[k].length
      ? h('ul', { class: 'vote-names', tabindex: '0', 'aria-labelledby': `vc-${k}` }, lists[k].map((p) => h('li', { dataset: { name: fold(`${p.name} ${tr('party', p.code, 'name', p.name)} ${p.code}`) } }, partyLink(p.code, p.name))))
      : h('p', { class: 'muted' }, t('common.none'))));
  const filter = h('input', { id: 'vote-filter', type: 'search', autocomplete: 'off', placeholder: t('instrument.vote_filter_ph'),
    oninput: (ev) => {
      const needle = fold(ev.target.value.trim());
      for (const li of wrap.querySelectorAll('.vote-names li')) li.hidden = !!needle && !li.dataset.name.includes(needle);
    } });
  const wrap = h('div', { class: 'vote-cols' }, cols);
  const t0 = official || counted;
  return section(t('instrument.vote'), 'vote-h',
    h('p', { class: 'vote-head' },
      v.date ? [t('instrument.vote_on'), ' ', dateCell(v.date), '. '] : null,
      official ? [t('instrument.official_totals'), ' ', voteTotals(official)] : null),
    voteBar(t0.yes || 0, t0.no || 0, t0.abstain || 0, lists.absent.length),
    h('p', { class: 'legend small' },
      h('span', { class: 'key vt-yes-bg' }), label('vote', 'yes'), ' ',
      h('span', { class: 'key vt-no-bg' }), label('vote', 'no'), ' ',
      h('span', { class: 'key vt-abstain-bg' }), label('vote', 'abstain'), ' ',
      h('span', { class: 'key vt-absent-bg' }), label('vote', 'absent')),
    h('p', { class: 'small muted' }, t('instrument.absent_explain')),
    differs ? h('p', { class: 'small muted' }, t('instrument.vote_lists_differ', {
      yes: counted.yes, no: counted.no, abstain: counted.abstain })) : null,
    h('div', { class: 'field narrow-field' }, h('label', { for: 'vote-filter' }, t('instrument.vote_filter')), filter),
    downloads({ name: `${i.id}-vote`, api: `/instruments/${seg(i.id)}/vote` }),
    map,
    wrap,
    v.sources && v.sources.length ? h('p', { class: 'small' }, t('instrument.vote_sources'), ' ', inlineSources(v.sources)) : null,
    v.log_idx != null ? voteRecorded(v.log_idx) : null);
}

function voteRecorded(idx) {
  const { button, result } = verifyControl(idx, { compact: true });
  return h('div', { class: 'verify verify-inline', dataset: { entry: String(idx) } },
    h('p', { class: 'small' }, t('common.recorded_in'), ' ', logLink(idx), ' ', button), result);
}

function partiesSection(parties) {
  if (!parties.length) return null;
  const by = new Map();
  for (const p of parties) {
    if (!by.has(p.relation)) by.set(p.relation, []);
    by.get(p.relation).push(p);
  }
  return section(t('instrument.parties'), 'parties-h', [...by].map(([rel, list]) => h('section', { class: 'sub', 'aria-labelledby': `rel-${rel}` },
    h('h3', { id: `rel-${rel}` }, label('relation_plural', rel), ' ', h('span', { class: 'count' }, fmtNumber(list.length))),
    h('ul', { class: 'chips' }, list.map((p) => h('li', null, partyLink(p.code, p.name),
      p.date ? h('span', { class: 'small muted' }, ' · ', dateCell(p.date)) : null))))));
}

/*
 * The vote as a world map, coloured by each State's vote, and the same as
 * a table (for screen readers, and for the small States the map's scale
 * leaves out).
 */
async function voteMap(i, states) {
  const v = i.vote;
  const byCode = new Map();
  for (const k of ['yes', 'no', 'abstain', 'absent']) for (const p of v[k] || []) byCode.set(p.code, k);
  const byNumeric = new Map(states.filter((p) => p.numeric).map((p) => [p.numeric, p]));
  const counts = ['yes', 'no', 'abstain', 'absent'].map((k) => (v[k] || []).length);
  const map = await worldMap({
    classOf: (num) => (byNumeric.get(num) && byCode.get(byNumeric.get(num).code) ? `vt-${byCode.get(byNumeric.get(num).code)}-bg` : null),
    titleOf: (num) => {
      const p = byNumeric.get(num);
      if (!p) return null;
      const vote = byCode.get(p.code);
      return `${tr('party', p.code, 'name', p.name)}: ${vote ? label('vote', vote) : t('instrument.map_not_member')}`;
    },
    credit: t('instrument.map_credit'),
    name: t('instrument.map_name', { yes: fmtNumber(counts[0]), no: fmtNumber(counts[1]), abstain: fmtNumber(counts[2]), absent: fmtNumber(counts[3]) }),
  });
  const nameOf = new Map(states.map((p) => [p.code, p.name]));
  const rows = [...byCode.entries()].map(([code, vote]) => ({ code, vote, name: nameOf.get(code) || code }))
    .map((r) => ({ ...r, shown: tr('party', r.code, 'name', r.name) }))
    .sort((a, b) => a.shown.localeCompare(b.shown));
  return h('div', { class: 'vote-map' },
    map,
    map ? h('p', { class: 'legend small' }, ['yes', 'no', 'abstain', 'absent'].map((k) => [h('span', { class: `key vt-${k}-bg` }), label('vote', k), ' ']),
      h('span', { class: 'key vt-none' }), t('instrument.map_none')) : null,
    h('details', { class: 'map-table' },
      h('summary', null, t('instrument.map_table')),
      table({ caption: t('instrument.map_table'), rows, className: 'vote-table',
        columns: [
          { label: t('col.name'), cell: (r) => partyLink(r.code, r.name) },
          { label: t('col.vote'), cell: (r) => voteBadge(r.vote) },
        ] })));
}

/* Text for matching names: lower case, without accents. */
function fold(s) {
  return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLocaleLowerCase();
}

/*
 * Pick two or more States and see their votes side by side over every
 * recorded vote, with the share of identical votes: over the votes where
 * both cast yes, no or abstain.  The choice is in the address (?compare=).
 */
function compareSection(i, states, query) {
  const picked = (query.get('compare') || '').split(',').filter((c) => /^[A-Z]{3}$/.test(c) && states.some((p) => p.code === c));
  const name = (code) => tr('party', code, 'name', (states.find((p) => p.code === code) || {}).name || code);
  const box = h('div', { class: 'compare-out', 'aria-live': 'polite' });
  const chips = h('ul', { class: 'chips' });
  const input = h('input', { id: 'cmp-add', list: 'cmp-states', autocomplete: 'off', placeholder: t('compare.placeholder') });
  const list = h('datalist', { id: 'cmp-states' }, states.map((p) => h('option', { value: `${name(p.code)} (${p.code})` })));
  const note = h('p', { class: 'small', role: 'status' });
  let votes = null;

  function save() {
    const u = new URL(location.href);
    if (picked.length) u.searchParams.set('compare', picked.join(','));
    else u.searchParams.delete('compare');
    history.replaceState(history.state, '', u.pathname + u.search);
  }
  async function draw() {
    replace(chips, picked.map((c) => h('li', null, name(c), ' ',
      h('button', { type: 'button', class: 'link-button', 'aria-label': t('compare.remove', { name: name(c) }),
        onclick: () => { picked.splice(picked.indexOf(c), 1); save(); draw(); } }, '×'))));
    if (picked.length < 2) {
      replace(box, h('p', { class: 'muted small' }, t('compare.pick')));
      return;
    }
    if (!votes) {
      const all = await get('/instruments', { limit: 200 });
      const ids = all.items.filter((x) => x.adoption === 'recorded_vote').map((x) => x.id);
      votes = await Promise.all(ids.map((id) => get(`/instruments/${seg(id)}/vote`).catch(() => null)));
      votes = votes.filter(Boolean).map((v) => ({ ...v, of: new Map(v.items.map((r) => [r.code, r.vote])) }));
    }
    const cast = (v, c) => ['yes', 'no', 'abstain'].includes(v.of.get(c));
    const share = (a, b) => {
      const both = votes.filter((v) => cast(v, a) && cast(v, b));
      const same = both.filter((v) => v.of.get(a) === v.of.get(b)).length;
      return { same, n: both.length };
    };
    const pct = ({ same, n }) => (n ? `${Math.round((100 * same) / n)} %` : '—');
    const pairs = [];
    for (let x = 0; x < picked.length; x++) for (let y = x + 1; y < picked.length; y++) pairs.push([picked[x], picked[y]]);
    replace(box,
      h('div', { class: 'table-wrap' }, h('table', { class: 'data compare-table' },
        h('caption', null, t('compare.caption')),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('col.instrument')), picked.map((c) => h('th', { scope: 'col' }, name(c))))),
        h('tbody', null, votes.map((v) => h('tr', { class: v.instrument === i.id ? 'highlight' : null },
          h('th', { scope: 'row' }, h('a', { href: `/instruments/${seg(v.instrument)}` }, v.symbol || v.instrument), ' ', h('span', { class: 'small muted' }, v.date)),
          picked.map((c) => h('td', null, v.of.get(c) ? voteBadge(v.of.get(c)) : h('span', { class: 'muted' }, '—')))))))),
      h('ul', { class: 'agreement' }, pairs.map(([a, b]) => {
        const s = share(a, b);
        return h('li', null, t('compare.share', { a: name(a), b: name(b), same: fmtNumber(s.same), n: fmtNumber(s.n), pct: pct(s) }));
      })),
      h('p', { class: 'small muted' }, t('compare.how')));
  }
  function add(ev) {
    ev.preventDefault();
    // "China (CHN)" from the list, a code, or a name in either language
    // (case and accents aside)
    const typed = fold(input.value.trim());
    const m = /\(([A-Z]{3})\)\s*$/.exec(input.value) || /^([A-Za-z]{3})$/.exec(input.value.trim());
    const byName = states.filter((p) => fold(p.name) === typed || fold(name(p.code)) === typed);
    const starts = states.filter((p) => fold(p.name).startsWith(typed) || fold(name(p.code)).startsWith(typed));
    const code = m ? m[1].toUpperCase() : byName.length === 1 ? byName[0].code : starts.length === 1 ? starts[0].code : null;
    if (!code) {
      note.textContent = typed ? t('compare.unknown', { text: input.value.trim() }) : '';
      return;
    }
    note.textContent = '';
    if (code && states.some((p) => p.code === code) && !picked.includes(code)) {
      picked.push(code);
      save();
      draw();
    }
    input.value = '';
    input.focus();
  }
  draw();
  return section(t('compare.title'), 'compare-h',
    h('p', null, t('compare.intro')),
    h('form', { class: 'filters compare-form', onsubmit: add },
      h('div', { class: 'field grow' }, h('label', { for: 'cmp-add' }, t('compare.add_label')), input, list),
      h('button', { type: 'submit', class: 'button secondary' }, t('compare.add'))),
    note, chips, box);
}

/* An outcome of a negotiation here: its document, and the reservations,
 * dissociations and explanations of vote of the decision that made it. */
async function negotiatedSection(i, signal) {
  // an outcome of the flow names its act as its source; the record's own
  // instruments were not negotiated here (and have no document to ask for)
  if (!(i.sources || []).some((s) => /^Détente transparency log, entry \d+ \((decision\.close|statement\.open)\)$/.test(s.title))) return null;
  let doc;
  try {
    doc = await get(`/documents/${seg(i.id)}`, null, signal);
  } catch {
    return null;
  }
  const last = (doc.decisions || []).find((d) => d.status !== 'open');
  const dec = last ? await get(`/decisions/${last.id}`, null, signal) : null;
  const stances = dec ? (dec.stances || []).filter((s) => s.kind !== 'vote') : [];
  return section(t('instrument.negotiated'), 'negotiated-h',
    h('p', null, h('a', { href: `/documents/${seg(doc.id)}` }, t('instrument.negotiated_text')),
      dec ? [' · ', h('a', { href: `/decisions/${dec.id}` }, t('neg.decision_n', { n: dec.id }))] : null),
    stances.length ? table({
      caption: t('neg.stances'), rows: stances, columns: [
        { label: t('col.party'), cell: (x) => x.name || x.party },
        { label: t('neg.stance'), cell: (x) => label('stance', x.kind) },
        { label: t('neg.statement'), cell: (x) => [x.text || '', x.paragraphs ? ` (${x.paragraphs.join(', ')})` : ''] },
      ] }) : null,
    dec && (dec.explanations || []).length ? table({
      caption: t('neg.explanations'), rows: dec.explanations, columns: [
        { label: t('col.party'), cell: (x) => x.name || x.party },
        { label: t('neg.timing'), cell: (x) => label('timing', x.timing) },
        { label: t('neg.statement'), cell: (x) => x.text },
      ] }) : null);
}

export default async function instrument({ params, query, signal }) {
  // an id, or a symbol (the API redirects a symbol to the id); the address
  // then becomes the canonical one
  const i = await get(`/instruments/${seg(params.id)}`, null, signal);
  if (i.id !== params.id) history.replaceState(history.state, '', `/instruments/${seg(i.id)}${location.search}`);
  const states = i.vote ? (await get('/parties', { kind: 'state', limit: 200 }, signal)).items : [];
  const map = i.vote ? await voteMap(i, states) : null;
  const negotiated = await negotiatedSection(i, signal);
  const node = h('article', { class: ['page record', i.outcome === 'failed' ? 'is-failed' : null] },
    pageHeader({
      kicker: label('instrument_kind', i.kind),
      title: i.symbol ? [h('span', { class: 'symbol' }, i.symbol), ' ', tr('instrument', i.id, 'title', i.title)] : tr('instrument', i.id, 'title', i.title),
      badges: [i.symbol ? badge(i.symbol, 'badge-code') : null, restrictedBadge(i), outcomeBadge(i.outcome),
        badge(i.binding ? t('instrument.binding') : t('instrument.non_binding'), 'badge-plain'),
        i.unconfirmed ? unconfirmedBadge() : null],
    }),
    translationNote('instrument', i.id),
    failedCallout(i),
    unconfirmedCallout(i),
    facts([
      [t('instrument.symbol'), i.symbol ? h('code', null, i.symbol) : null],
      [t('col.date'), i.date ? dateCell(i.date) : null],
      [t('col.forum'), i.forum ? forumLink(i.forum, i.forum_name) : null, { wide: true }],
      [t('col.outcome'), outcomeBadge(i.outcome)],
      [t('col.adoption'), i.adoption ? [label('adoption', i.adoption), i.vote_totals ? [' ', voteTotals(i.vote_totals)] : null] : null],
      [t('instrument.legal_force'), i.binding ? t('instrument.binding') : t('instrument.non_binding')],
      [t('common.recorded_in'), logLink(i.log_idx)],
    ]),
    // the vote first: for a resolution put to a vote it is what readers
    // come for
    voteSection(i, map),
    i.vote ? compareSection(i, states, query) : null,
    i.summary ? section(t('instrument.summary'), 'summary-h', h('p', { class: 'summary' }, tr('instrument', i.id, 'summary', i.summary))) : null,
    noteCallout(i),
    recordVerify(i.log_idx),
    normsSection(i.norms || []),
    commitmentsSection(i.id, i.commitments || []),
    negotiated,
    partiesSection(i.parties || []),
    sourcesSection(i.sources));
  return { title: i.symbol || tr('instrument', i.id, 'title', i.title), node };
}
