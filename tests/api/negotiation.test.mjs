// Negotiation, through the API, replaying history: the 2017 GGE that failed
// (25 seats, three objections), an OEWG that parties join by their own act,
// the General Assembly's recorded vote on A/RES/73/27 (119-46-14, from the
// record's per-state vote) with a separate paragraph vote before it, the
// 2019 joint statement signed by 27 and joined later, a call for views
// answered by three submissions; then the refusals.  Deadlines pass when
// the test moves the scheduler's clock, never by waiting for them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { inAnHour, practiceServer } from '../lib/negotiation.mjs';
import { REPO, run } from '../lib/server.mjs';
import { assertProblem, parseCsv } from './_helpers.mjs';

const record = (f) => JSON.parse(readFileSync(join(REPO, 'data', 'record', f), 'utf8'));
const vote7327 = record('60-votes.json').find((a) => a.body.instrument === 'a-res-73-27').body;
const js2019 = record('70-signatures.json').find((a) => a.body.instrument === 'js-2019-responsible-state-behavior').body.parties.map((p) => p.party);
// The 2016-2017 GGE's 25 members, as widely reported (the record marks the
// figure unconfirmed); Germany chaired.
const GGE = ['AUS', 'BWA', 'BRA', 'CAN', 'CHN', 'CUB', 'EGY', 'EST', 'FIN', 'FRA', 'DEU', 'IND', 'IDN', 'JPN', 'KAZ', 'KEN', 'MEX', 'NLD', 'RUS', 'SEN', 'SRB', 'ESP', 'CHE', 'GBR', 'USA'];
const LATE = 'SGP'; // joins the 2019 statement later (not one of the 27)
const SUBMITTERS = ['IDN', 'BRA', 'KEN'];

const parties = [...new Set([...vote7327.yes, ...vote7327.no, ...vote7327.abstain, ...GGE, ...js2019, LATE, ...SUBMITTERS, 'EU'])];

let n;
let clock = Date.now();
before(async () => {
  n = await practiceServer(parties, { extra: [{ username: 'operator', role: 'operator' }] });
});
after(async () => {
  await n?.stop();
});

/** Moves the clock past every deadline set so far and waits for the close. */
async function pass(id, who) {
  clock += 2 * 3_600_000;
  await n.setClock(clock);
  return n.closed(id, who);
}

const text = (prefix, pp, op) => [
  ...Array.from({ length: pp }, (_, i) => ({ id: `${prefix}-pp${i + 1}`, part: 'preambular', text: `Recalling point ${i + 1} of the ${prefix} text,` })),
  ...Array.from({ length: op }, (_, i) => ({ id: `${prefix}-op${i + 1}`, part: 'operative', text: `Decides on matter ${i + 1} of the ${prefix} text;` })),
];

describe('the 2017 GGE: consensus fails', () => {
  let decision;
  test('the secretariat seats 25 experts; the chair tables and opens silence', async () => {
    await n.ok('secretariat', 'forum.open', {
      id: 'practice-gge-2017', name: 'Practice GGE 2016-2017', kind: 'expert_group', mandate: 'A/RES/70/237',
      membership: 'fixed', decision_rule: 'consensus', seats: GGE.map((p) => ({ party: p, role: p === 'DEU' ? 'chair' : 'member' })),
    });
    const f = await n.request('/api/v1/negotiations/practice-gge-2017');
    assert.equal(f.status, 200, f.text);
    assert.equal(f.json.seats.length, 25);
    assert.equal(f.json.chair, 'DEU');
    await n.ok('DEU', 'document.table', { id: 'practice-gge-2017-report', forum: 'practice-gge-2017', kind: 'report', title: 'Draft report of the Group', paragraphs: text('gge', 2, 3) });
    const r = await n.ok('DEU', 'decision.open', { document: 'practice-gge-2017-report', procedure: 'silence', deadline: inAnHour(clock), on_objection: 'fail' });
    decision = r.index;
  });
  test('three members break silence; an observer-less forum takes no outsider', async () => {
    for (const [p, why] of [['CUB', 'The draft legitimises the use of force in cyberspace.'], ['RUS', 'Self-defence and countermeasures are not agreed.'], ['CHN', 'The text prejudges international law.']])
      await n.ok(p, 'decision.object', { decision, reasons: why });
    assertProblem(await n.act('SGP', 'decision.object', { decision, reasons: 'not seated' }), 403, 'forbidden');
    await n.ok('FRA', 'decision.reserve', { decision, kind: 'reservation', text: 'On paragraph 3.' });
  });
  test('the deadline passes: failed, with its reasons, kept as an instrument', async () => {
    const d = await pass(decision);
    assert.equal(d.status, 'failed');
    assert.deepEqual(d.result.objections.sort(), ['CHN', 'CUB', 'RUS']);
    const i = await n.request('/api/v1/instruments/practice-gge-2017-report');
    assert.equal(i.status, 200, i.text);
    assert.equal(i.json.outcome, 'failed');
    assert.match(i.json.outcome_reason, /Silence broken by 3 members: CHN: .*CUB: .*RUS: /);
    assertProblem(await n.act('CUB', 'decision.object', { decision, reasons: 'late' }), 409, 'decision-closed');
    assertProblem(await n.act('DEU', 'document.revise', { document: 'practice-gge-2017-report', paragraphs: text('gge', 1, 1) }), 409, 'document-closed');
  });
});

describe('an OEWG that parties join by their own act', () => {
  test('member states join; an organisation may not; the joined may amend', async () => {
    await n.ok('secretariat', 'forum.open', { id: 'practice-oewg', name: 'Practice OEWG', kind: 'open_ended', mandate: 'A/RES/73/27', membership: 'un_members', decision_rule: 'consensus', seats: [{ party: 'SGP', role: 'chair' }] });
    for (const p of ['IDN', 'BRA', 'KEN', 'USA']) await n.ok(p, 'forum.join', { forum: 'practice-oewg' });
    assertProblem(await n.act('EU', 'forum.join', { forum: 'practice-oewg' }), 403, 'forbidden');
    assertProblem(await n.act('IDN', 'forum.join', { forum: 'practice-oewg' }), 403, 'forbidden');
    await n.ok('KEN', 'forum.join', { forum: 'practice-gge-2017' }).then(() => assert.fail('a fixed forum took a join'), (e) => assert.match(String(e), /403/));
    await n.ok('SGP', 'document.table', { id: 'practice-oewg-report', forum: 'practice-oewg', kind: 'report', title: 'Draft OEWG report', paragraphs: [
      { id: 'p1', part: 'preambular', text: 'Recognising the [growing] threats,' },
      { id: 'o1', part: 'operative', text: 'States should not conduct or knowingly support ICT activity contrary to their obligations.' },
    ] });
    const am = await n.ok('IDN', 'amendment.propose', { document: 'practice-oewg-report', paragraph: 'p1', action: 'replace', text: 'Recognising the growing threats,', explanation: 'Remove the brackets: the threats are growing.' });
    assertProblem(await n.act('IDN', 'amendment.propose', { document: 'practice-oewg-report', paragraph: 'nope', action: 'delete', explanation: 'x' }), 400, 'validation');
    assertProblem(await n.act('IDN', 'amendment.accept', { amendment: am.index }), 403, 'forbidden');
    assertProblem(await n.act('SGP', 'decision.open', { document: 'practice-oewg-report', procedure: 'silence', deadline: inAnHour(clock) }), 409, 'bracketed-text');
    await n.ok('SGP', 'amendment.accept', { amendment: am.index });
    const doc = await n.request('/api/v1/documents/practice-oewg-report');
    assert.equal(doc.json.revision, 1);
    assert.equal(doc.json.paragraphs[0].text, 'Recognising the growing threats,');
    assert.equal(doc.json.amendments[0].status, 'accepted');
    const diff = await n.request('/api/v1/documents/practice-oewg-report/diff?from=0&to=1');
    assert.equal(diff.status, 200, diff.text);
    const p1 = diff.json.paragraphs.find((p) => p.id === 'p1');
    assert.equal(p1.op, 'changed');
    assert.ok(p1.words.some((w) => w.op === '-' && w.text.includes('[')), JSON.stringify(p1.words));
    const csv = await n.request('/api/v1/documents/practice-oewg-report/amendments?format=csv');
    assert.equal(csv.status, 200);
    assert.equal(parseCsv(csv.text)[1][6], 'Remove the brackets: the threats are growing.');
    const d = await n.ok('SGP', 'decision.open', { document: 'practice-oewg-report', procedure: 'silence', deadline: inAnHour(clock) });
    await n.ok('USA', 'decision.reserve', { decision: d.index, kind: 'dissociation', paragraphs: ['o1'], text: 'We dissociate from OP1.' });
    const closed = await pass(d.index);
    assert.equal(closed.status, 'adopted');
    assert.equal(closed.result.stances[0].kind, 'dissociation');
    const print = await n.request('/api/v1/documents/practice-oewg-report/print');
    assert.equal(print.status, 200);
    assert.match(print.headers.get('content-type'), /^text\/html/);
    assert.match(print.text, /<li>States should not conduct/);
    const plain = await n.request('/api/v1/documents/practice-oewg-report/text');
    assert.match(plain.text, /^practice-oewg-report\nAdopted text\n/);
    assert.match(plain.text, /\n1\. {2}States should not/);
  });
});

describe('the General Assembly: A/RES/73/27 by recorded vote', () => {
  let decision;
  const ids = [];
  test('193 seats, a separate vote on one paragraph, then the whole', async () => {
    await n.ok('secretariat', 'forum.open', { id: 'practice-unga', name: 'Practice First Committee', kind: 'plenary', mandate: 'The Charter', membership: 'un_members', decision_rule: 'majority', seats: [{ party: 'IDN', role: 'chair' }] });
    const voters = [...vote7327.yes, ...vote7327.no, ...vote7327.abstain];
    await Promise.all(voters.filter((p) => p !== 'IDN').map((p) => n.ok(p, 'forum.join', { forum: 'practice-unga' })));
    await n.ok('RUS', 'document.table', { id: 'practice-a-res-73-27', forum: 'practice-unga', kind: 'resolution', symbol: 'A/C.1/73/L.27', title: 'Developments in the field of information and telecommunications in the context of international security', paragraphs: text('res', 2, 3) });
    const r = await n.ok('IDN', 'decision.open', { document: 'practice-a-res-73-27', procedure: 'vote', deadline: inAnHour(clock), separate: [{ paragraph: 'res-op2', requested_by: 'USA' }], symbol: 'A/RES/73/27 (practice)' });
    decision = r.index;
    const cast = async (p, vote, pv) => {
      const x = await n.ok(p, 'vote.cast', { decision, vote, paragraphs: [{ paragraph: 'res-op2', vote: pv }] });
      ids.push(x.index);
    };
    // everyone first votes yes, then changes to the record's vote: every
    // change is an entry, the last one counts
    await Promise.all(vote7327.no.slice(0, 5).map((p) => cast(p, 'yes', 'yes')));
    await Promise.all([
      ...vote7327.yes.map((p) => cast(p, 'yes', 'yes')),
      ...vote7327.no.map((p) => cast(p, 'no', 'no')),
      ...vote7327.abstain.map((p) => cast(p, 'abstain', 'no')),
    ]);
    await n.ok('USA', 'vote.explain', { decision, timing: 'before', text: 'We will vote against.' });
    assertProblem(await n.act('USA', 'vote.cast', { decision, vote: 'no', paragraphs: [{ paragraph: 'res-op2', vote: 'no' }, { paragraph: 'res-op2', vote: 'no' }] }), 400, 'validation');
    assertProblem(await n.act('USA', 'vote.cast', { decision, vote: 'no', paragraphs: [{ paragraph: 'res-op1', vote: 'no' }] }), 400, 'validation');
  });
  test('results are sealed before the close, from everyone, operator too', async () => {
    assertProblem(await n.request(`/api/v1/decisions/${decision}/votes`), 409, 'sealed');
    const d = await n.request(`/api/v1/decisions/${decision}`, { token: n.tokens.secretariat });
    assert.equal(d.json.sealed, true);
    assert.equal(d.json.result, null);
    assert.equal(d.json.stances.length, 0, 'no ballot shows to the secretariat');
    const own = await n.request(`/api/v1/decisions/${decision}`, { token: n.tokens.USA });
    assert.deepEqual(own.json.stances.map((s) => [s.party, s.vote]), [['USA', 'no']], 'a delegation sees its own ballot');
    const entries = await n.request(`/api/v1/log/entries?start=${ids[0]}&end=${ids[0] + 1}`);
    assert.equal(entries.json.items[0].redacted, true, 'a ballot is redacted in the log');
    assert.equal(entries.json.items[0].tlp, 'TLP:RED');
    const hist = await n.request(`/api/v1/decisions/${decision}`);
    assert.ok(!hist.json.history.some((h) => h.act_type === 'vote.cast'), 'no ballot in the public history');
  });
  test('the close: 119-46-14, the paragraph kept, the per-party record', async () => {
    const d = await pass(decision);
    assert.equal(d.status, 'adopted');
    assert.deepEqual([d.result.tally.yes, d.result.tally.no, d.result.tally.abstain], [119, 46, 14]);
    assert.equal(d.result.tally.separate[0].paragraph, 'res-op2');
    assert.equal(d.result.tally.separate[0].result, 'adopted');
    const votes = await n.request(`/api/v1/decisions/${decision}/votes?format=csv`);
    assert.equal(votes.status, 200, votes.text);
    const rows = parseCsv(votes.text);
    assert.equal(rows.length, 1 + 179);
    assert.equal(rows.find((r) => r[0] === 'USA')[2], 'no');
    const i = await n.request('/api/v1/instruments/practice-a-res-73-27');
    assert.equal(i.json.symbol, 'A/RES/73/27 (practice)');
    assert.deepEqual(i.json.vote_totals, { yes: 119, no: 46, abstain: 14 });
    const entries = await n.request(`/api/v1/log/entries?start=${ids[0]}&end=${ids[0] + 1}`);
    assert.equal(entries.json.items[0].tlp, 'TLP:CLEAR', 'the close unseals every ballot');
    assert.equal(entries.json.items[0].act.body.vote, 'yes', 'the first, changed ballot too');
    assertProblem(await n.act('USA', 'vote.cast', { decision, vote: 'yes' }), 409, 'decision-closed');
    await n.ok('USA', 'vote.explain', { decision, timing: 'after', text: 'We voted against.' });
  });
  test('a party votes only for itself; a paragraph not put apart is refused', async () => {
    assertProblem(await n.act('IDN', 'decision.open', { document: 'practice-a-res-73-27', procedure: 'vote', deadline: inAnHour(clock) }), 409, 'document-closed');
    assertProblem(await n.act('SGP', 'decision.open', { document: 'practice-oewg-report', procedure: 'silence', deadline: inAnHour(clock), symbol: 'A/RES/73/27' }), 409, 'document-closed');
  });
});

describe('an amendment put to a recorded vote', () => {
  test('adopted, it makes the next revision; the text goes back to drafting', async () => {
    await n.ok('RUS', 'document.table', { id: 'practice-amend-vote', forum: 'practice-unga', kind: 'resolution', title: 'A draft with a contested paragraph', paragraphs: text('av', 1, 2) });
    const am = await n.ok('USA', 'amendment.propose', { document: 'practice-amend-vote', paragraph: 'av-op2', action: 'delete', explanation: 'Delete OP2.' });
    const d = await n.ok('IDN', 'decision.open', { document: 'practice-amend-vote', procedure: 'vote', deadline: inAnHour(clock), amendment: am.index });
    for (const [p, v] of [['USA', 'yes'], ['GBR', 'yes'], ['RUS', 'no']]) await n.ok(p, 'vote.cast', { decision: d.index, vote: v });
    assertProblem(await n.act('RUS', 'amendment.accept', { amendment: am.index }), 409, 'document-in-decision');
    const closed = await pass(d.index);
    assert.equal(closed.status, 'adopted');
    const doc = await n.request('/api/v1/documents/practice-amend-vote');
    assert.equal(doc.json.status, 'drafting');
    assert.equal(doc.json.revision, 1);
    assert.deepEqual(doc.json.paragraphs.map((p) => p.id), ['av-pp1', 'av-op1']);
    assert.equal(doc.json.amendments[0].status, 'accepted');
  });
});

describe('forums the secretariat sets up', () => {
  test('a forum without seats is seated by the secretariat alone; the operator opens none', async () => {
    await n.ok('secretariat', 'forum.open', { id: 'practice-bilateral', name: 'Practice bilateral', kind: 'bilateral', mandate: 'Talks', membership: 'fixed', decision_rule: 'consensus' });
    let f = await n.request('/api/v1/negotiations/practice-bilateral');
    assert.deepEqual(f.json.seats, []);
    assertProblem(await n.act('USA', 'forum.seat', { forum: 'practice-bilateral', party: 'USA', role: 'chair' }), 403, 'forbidden');
    await n.ok('secretariat', 'forum.seat', { forum: 'practice-bilateral', party: 'USA', role: 'chair' });
    await n.ok('secretariat', 'forum.seat', { forum: 'practice-bilateral', party: 'CHN', role: 'chair' });
    f = await n.request('/api/v1/negotiations/practice-bilateral');
    assert.deepEqual(f.json.seats.map((x) => [x.party, x.role]), [['CHN', 'chair'], ['USA', 'member']], 'one chair: the one before takes a member\'s seat');
    const op = await n.request('/api/v1/acts', { token: n.tokens.operator, json: { type: 'forum.open', body: { id: 'practice-op', name: 'x', kind: 'plenary', mandate: 'x', membership: 'fixed', decision_rule: 'consensus' } } });
    assertProblem(op, 403, 'forbidden');
    await n.ok('USA', 'document.table', { id: 'practice-bilateral-text', forum: 'practice-bilateral', kind: 'agreement', title: 'Draft agreement', paragraphs: text('bi', 0, 1) });
    const doc = await n.request('/api/v1/documents/practice-bilateral-text');
    assert.equal(doc.json.penholder, 'USA');
    assert.equal(doc.json.chair, 'CHN', 'the document names who may open a decision on it');
  });
});

describe('the 2019 joint statement: 27 sign, one joins later', () => {
  test('signatures are acts; the list is public with dates', async () => {
    await n.ok('secretariat', 'forum.open', { id: 'practice-js-2019', name: 'Practice joint statement', kind: 'plurilateral', mandate: 'Like-minded states', membership: 'any_party', decision_rule: 'consensus', seats: [{ party: 'USA', role: 'chair' }] });
    await n.ok('USA', 'document.table', { id: 'practice-js-2019', forum: 'practice-js-2019', kind: 'joint_statement', title: 'Joint Statement on Advancing Responsible State Behavior in Cyberspace', paragraphs: text('js', 1, 2) });
    await n.ok('USA', 'statement.open', { document: 'practice-js-2019', norms: [{ norm: 'gge2015-f', relation: 'affirms' }] });
    await Promise.all(js2019.map((p) => n.ok(p, 'statement.sign', { document: 'practice-js-2019' })));
    assertProblem(await n.act('USA', 'statement.sign', { document: 'practice-js-2019' }), 409, 'conflict');
    await n.ok(LATE, 'statement.sign', { document: 'practice-js-2019' });
    const i = await n.request('/api/v1/instruments/practice-js-2019');
    assert.equal(i.status, 200, i.text);
    assert.equal(i.json.outcome, 'open_for_signature');
    const signed = i.json.parties.filter((p) => p.relation === 'signatory');
    assert.equal(signed.length, 28);
    assert.ok(signed.every((p) => /^\d{4}-\d{2}-\d{2}$/.test(p.date)));
  });
});

describe('a call for views answered by three submissions', () => {
  test('public and labelled submissions, each readable as its label says', async () => {
    await n.ok('secretariat', 'document.table', { id: 'practice-call-73-187', forum: 'practice-unga', kind: 'call_for_views', title: 'Views on countering the criminal use of ICTs', penholder: 'IDN', paragraphs: [{ id: 'q1', part: 'operative', text: 'Member States are invited to submit their views.' }] });
    await n.ok('IDN', 'document.table', { id: 'views-idn', forum: 'practice-unga', kind: 'submission', answers: 'practice-call-73-187', title: 'Views of Indonesia', paragraphs: [{ id: 'v1', part: 'operative', text: 'Indonesia supports capacity building.' }] });
    await n.ok('BRA', 'document.table', { id: 'views-bra', forum: 'practice-unga', kind: 'submission', answers: 'practice-call-73-187', title: 'Views of Brazil', paragraphs: [{ id: 'v1', part: 'operative', text: 'Brazil supports a convention.' }] });
    await n.ok('KEN', 'document.table', { id: 'views-ken', forum: 'practice-unga', kind: 'submission', answers: 'practice-call-73-187', title: 'Views of Kenya', tlp: 'TLP:AMBER', recipients: ['IDN'], paragraphs: [{ id: 'v1', part: 'operative', text: 'Kenya asks for more time.' }] });
    const pub = await n.request('/api/v1/documents/practice-call-73-187');
    assert.deepEqual(pub.json.submissions.map((s) => s.id), ['views-idn', 'views-bra']);
    const idn = await n.request('/api/v1/documents/practice-call-73-187', { token: n.tokens.IDN });
    assert.deepEqual(idn.json.submissions.map((s) => s.id), ['views-idn', 'views-bra', 'views-ken']);
    assertProblem(await n.request('/api/v1/documents/views-ken'), 404, 'not-found');
    assertProblem(await n.act('USA', 'document.table', { id: 'views-usa', forum: 'practice-unga', kind: 'report', title: 'x', tlp: 'TLP:AMBER', paragraphs: [{ id: 'a', part: 'operative', text: 'x' }] }), 400, 'validation');
  });
});

describe('bad input changes nothing', () => {
  test('each refusal is a problem document and the log does not grow', async () => {
    const size = async () => (await n.request('/api/v1/health')).json.log_size;
    const before = await size();
    assertProblem(await n.act('USA', 'vote.cast', { decision: 1, vote: 'yes' }), 404, 'not-found');
    assertProblem(await n.act('USA', 'vote.cast', { decision: 1, vote: 'yes', party: 'RUS' }), 400, 'validation');
    assertProblem(await n.act('USA', 'forum.open', { id: 'x', name: 'x', kind: 'plenary', mandate: 'x', membership: 'fixed', decision_rule: 'consensus' }), 403, 'forbidden');
    assertProblem(await n.act('USA', 'decision.close', { deadline: 'decision:1', due: '2030-01-01T00:00:00Z', decision: 1 }), 403, 'forbidden');
    assertProblem(await n.act('USA', 'document.table', { id: 'bad', forum: 'practice-oewg', kind: 'report', title: 'x', paragraphs: [{ id: 'a', part: 'operative', text: 'x' }, { id: 'a', part: 'operative', text: 'y' }] }), 400, 'validation');
    assertProblem(await n.request('/api/v1/documents/nope'), 404, 'not-found');
    assertProblem(await n.request('/api/v1/decisions/abc'), 404, 'not-found');
    assertProblem(await n.request('/api/v1/documents/practice-oewg-report/diff?from=9'), 400, 'validation');
    assert.equal(await size(), before);
  });
});

describe('the negotiation replays', () => {
  test('log replay rebuilds every negotiation table from the log alone', async () => {
    const { stdout, stderr } = await run(['log', 'replay', '--db', n.dbPath, '--into', join(n.dir, 'replayed.db')]);
    assert.match(stdout + stderr, /the replayed tables equal the database's/);
  });
});
