// The negotiation figure of issue 10: 193 delegations each cast a vote, a
// party-signed act (a DSSE envelope signed by the delegation's own Ed25519
// key) over HTTP, all in one burst; every receipt must come back and the
// tally, once the scheduler closes the vote, must equal the votes cast.
// Beside it, in the same run, the same number of acts in one batch
// (POST /api/v1/acts/batch) as the reference.  Prints figures, asserts
// nothing but correctness.
//
//   node bench/vote_burst.mjs [RUNS]      (needs build/detente)
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { practiceServer } from '../tests/lib/negotiation.mjs';
import { REPO } from '../tests/lib/server.mjs';

const RUNS = Number(process.argv[2] || 5);
const PT = 'application/vnd.detente.act.v1+json';
const members = JSON.parse(readFileSync(join(REPO, 'data', 'record', '10-parties.json'), 'utf8'))
  .filter((a) => a.body.kind === 'state' && a.body.admitted).map((a) => a.body.code);

const pae = (type, body) => Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);
function envelope(key, user, party, type, body) {
  const act = { v: 1, type, time: new Date().toISOString(), party, user, salt: randomBytes(16).toString('base64'), tlp: type === 'vote.cast' ? 'TLP:RED' : 'TLP:CLEAR', body };
  const payload = Buffer.from(JSON.stringify(act));
  return { payloadType: PT, payload: payload.toString('base64'), signatures: [{ keyid: key.id, sig: sign(null, pae(PT, payload), key.priv).toString('base64') }] };
}
function newKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
  return { priv: privateKey, pub, id: 'ed25519:' + createHash('sha256').update(pub).digest('hex').slice(0, 16) };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const n = await practiceServer(members);
try {
  const keys = {};
  await Promise.all(members.map(async (p) => {
    keys[p] = newKey();
    const user = `del-${p.toLowerCase()}`;
    const r = await n.request('/api/v1/acts', { token: n.tokens[p], json: envelope(keys[p], user, p, 'key.register', { key_id: keys[p].id, public_key: keys[p].pub.toString('base64') }) });
    if (r.status !== 201) throw new Error(`key.register ${p}: ${r.text}`);
  }));
  await n.ok('secretariat', 'forum.open', { id: 'bench-ga', name: 'Bench plenary', kind: 'plenary', mandate: 'bench', membership: 'fixed', decision_rule: 'majority', seats: members.map((p) => ({ party: p, role: p === 'IDN' ? 'chair' : 'member' })) });
  const burst = [];
  const batch = [];
  let clock = Date.now();
  for (let run = 0; run < RUNS; run++) {
    const doc = `bench-res-${run}`;
    await n.ok('IDN', 'document.table', { id: doc, forum: 'bench-ga', kind: 'resolution', title: 'Bench', paragraphs: [{ id: 'o1', part: 'operative', text: 'Decides.' }] });
    const dec = (await n.ok('IDN', 'decision.open', { document: doc, procedure: 'vote', deadline: new Date(clock + 3_600_000).toISOString() })).index;
    const choice = (i) => ['yes', 'no', 'abstain'][i % 3];
    const envs = members.map((p, i) => envelope(keys[p], `del-${p.toLowerCase()}`, p, 'vote.cast', { decision: dec, vote: choice(i) }));
    const t0 = performance.now();
    const rs = await Promise.all(members.map((p, i) => n.request('/api/v1/acts', { token: n.tokens[p], json: envs[i] })));
    const ms = performance.now() - t0;
    const ok = rs.filter((r) => r.status === 201).length;
    if (ok !== members.length) throw new Error(`${members.length - ok} ballots refused: ${rs.find((r) => r.status !== 201).text}`);
    burst.push(ms);
    // the reference: as many acts, in one batch, by one delegation
    const items = members.map(() => ({ type: 'vote.explain', body: { decision: dec, timing: 'before', text: 'Bench explanation.' } }));
    const t1 = performance.now();
    const b = await n.request('/api/v1/acts/batch', { token: n.tokens.IDN, json: { acts: items } });
    batch.push(performance.now() - t1);
    if (b.status !== 201 && b.status !== 200) throw new Error(`batch: ${b.text}`);
    clock += 2 * 3_600_000;
    await n.setClock(clock);
    const d = await n.closed(dec);
    const t = d.result.tally;
    const want = { yes: 0, no: 0, abstain: 0 };
    members.forEach((_, i) => want[choice(i)]++);
    if (t.yes !== want.yes || t.no !== want.no || t.abstain !== want.abstain) throw new Error(`tally ${JSON.stringify(t)} != ${JSON.stringify(want)}`);
  }
  const bm = median(burst);
  const rm = median(batch);
  console.log(`vote_burst_delegations ${members.length}`);
  console.log(`vote_burst_runs ${RUNS}`);
  console.log(`vote_burst_ms_median ${bm.toFixed(1)}`);
  console.log(`vote_burst_acts_per_s ${(members.length / (bm / 1000)).toFixed(0)}`);
  console.log(`batch_ms_median ${rm.toFixed(1)}`);
  console.log(`batch_acts_per_s ${(members.length / (rm / 1000)).toFixed(0)}`);
  console.log('vote_burst_receipts_and_tally ok');
} finally {
  await n.stop();
}
