// One instrument: what it says, how it was adopted (or why it failed), the
// norms and commitments, the recorded vote and who joined it.

import { h } from '../h.js';
import { tr } from '../loc.js';
import { get, seg } from '../api.js';
import { fmtNumber, label, t } from '../i18n.js';
import {
  badge, dateCell, downloads, facts, restrictedBadge, translationNote, forumLink, inlineSources, logLink, noteCallout, outcomeBadge, pageHeader, partyLink,
  section, sourcesSection, unconfirmedBadge, unconfirmedCallout, voteTotals,
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

function voteSection(i) {
  const v = i.vote;
  if (!v) return null;
  const lists = { yes: v.yes || [], no: v.no || [], abstain: v.abstain || [], absent: v.absent || [] };
  const official = i.vote_totals;
  const counted = { yes: lists.yes.length, no: lists.no.length, abstain: lists.abstain.length };
  const differs = official && (official.yes !== counted.yes || official.no !== counted.no || official.abstain !== counted.abstain);
  const cols = ['yes', 'no', 'abstain', 'absent'].map((k) => h('section', { class: `vote-col vote-col-${k}`, 'aria-labelledby': `vc-${k}` },
    h('h3', { id: `vc-${k}` }, label('vote', k), ' ', h('span', { class: 'count' }, fmtNumber(lists[k].length))),
    lists[k].length
      ? h('ul', { class: 'vote-names', tabindex: '0', 'aria-labelledby': `vc-${k}` }, lists[k].map((p) => h('li', { dataset: { name: `${p.name} ${p.code}`.toLocaleLowerCase() } }, partyLink(p.code, p.name))))
      : h('p', { class: 'muted' }, t('common.none'))));
  const filter = h('input', { id: 'vote-filter', type: 'search', autocomplete: 'off', placeholder: t('instrument.vote_filter_ph'),
    oninput: (ev) => {
      const needle = ev.target.value.trim().toLocaleLowerCase();
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

export default async function instrument({ params, signal }) {
  // an id, or a symbol (the API redirects a symbol to the id); the address
  // then becomes the canonical one
  const i = await get(`/instruments/${seg(params.id)}`, null, signal);
  if (i.id !== params.id) history.replaceState(history.state, '', `/instruments/${seg(i.id)}${location.search}`);
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
    voteSection(i),
    i.summary ? section(t('instrument.summary'), 'summary-h', h('p', { class: 'summary' }, tr('instrument', i.id, 'summary', i.summary))) : null,
    noteCallout(i),
    recordVerify(i.log_idx),
    normsSection(i.norms || []),
    commitmentsSection(i.id, i.commitments || []),
    partiesSection(i.parties || []),
    sourcesSection(i.sources));
  return { title: i.symbol || tr('instrument', i.id, 'title', i.title), node };
}
