// Reads of the historical record loaded by `detente init --demo`: health,
// stats, parties, forums, instruments, norms, the timeline and search.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertSources, req, startServer, walk } from './_helpers.mjs';

let srv;
let url;

before(async () => {
  srv = await startServer({ demo: true });
  url = srv.url;
});
after(async () => {
  await srv?.stop();
});

const utf8cmp = (a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('service', () => {
  test('health says ok, with the version and the log size', async () => {
    const r = await req(url, '/api/v1/health');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.equal(r.json.status, 'ok');
    assert.match(r.json.version, /^\d+\.\d+\.\d+/);
    assert.ok(Number.isInteger(r.json.log_size) && r.json.log_size > 700, `log_size ${r.json.log_size}`);
  });

  test('stats count 193+2 states, 11 norms and 6 recorded votes', async () => {
    const r = await req(url, '/api/v1/stats');
    assert.equal(r.status, 200);
    assert.equal(r.json.states, 195);
    assert.equal(r.json.norms, 11);
    assert.equal(r.json.recorded_votes, 6);
    assert.equal(r.json.states + r.json.organisations, 211);
    const h = await req(url, '/api/v1/health');
    assert.equal(r.json.log_size, h.json.log_size);
    const inst = await req(url, '/api/v1/instruments?limit=200');
    assert.equal(r.json.instruments, inst.json.items.length);
    const forums = await req(url, '/api/v1/forums?limit=200');
    assert.equal(r.json.forums, forums.json.items.length);
  });

  test('act-types lists the act types with their labels', async () => {
    const r = await req(url, '/api/v1/act-types');
    assert.equal(r.status, 200);
    const types = Object.fromEntries(r.json.items.map((t) => [t.type, t.tlp]));
    assert.equal(types['party.register'], 'TLP:CLEAR');
    assert.equal(types['user.add'], 'TLP:AMBER+STRICT');
    assert.equal(types['token.create'], 'TLP:RED');
    for (const t of r.json.items) assert.ok(t.summary.length > 0);
  });
});

describe('parties', () => {
  test('every page walked with after=next gives 211 parties, no duplicates, sorted by name', async () => {
    const { items, pages } = await walk(url, '/api/v1/parties', 25);
    assert.equal(items.length, 211);
    assert.equal(pages, Math.ceil(211 / 25));
    const codes = items.map((p) => p.code);
    assert.equal(new Set(codes).size, 211, 'no duplicates');
    for (let i = 1; i < items.length; i++) {
      const c = utf8cmp(items[i - 1].name, items[i].name) || utf8cmp(items[i - 1].code, items[i].code);
      assert.ok(c < 0, `sorted by name: ${items[i - 1].name} before ${items[i].name}`);
    }
    for (const p of items) {
      assert.match(p.code, /^[A-Z0-9-]{2,16}$/);
      assert.ok(['state', 'observer_state', 'organisation', 'group'].includes(p.kind), p.kind);
    }
    assert.equal(items.filter((p) => p.kind === 'state' || p.kind === 'observer_state').length, 195);
    assert.equal(items.filter((p) => p.kind === 'state').length, 193);
  });

  test('the default page has 50 parties and the same order as pages of 200', async () => {
    const d = await req(url, '/api/v1/parties');
    assert.equal(d.json.items.length, 50);
    assert.equal(d.json.next, d.json.items[49].code);
    const big = await req(url, '/api/v1/parties?limit=200');
    assert.equal(big.json.items.length, 200);
    assert.deepEqual(
      d.json.items.map((p) => p.code),
      big.json.items.slice(0, 50).map((p) => p.code),
    );
    const rest = await req(url, `/api/v1/parties?limit=200&after=${big.json.next}`);
    assert.equal(rest.json.items.length, 11);
    assert.equal(rest.json.next, null);
  });

  test('group=WEOG gives only WEOG states', async () => {
    const { items } = await walk(url, '/api/v1/parties?group=WEOG', 10);
    assert.ok(items.length >= 28, `${items.length} WEOG parties`);
    for (const p of items) assert.equal(p.un_group, 'WEOG', p.code);
    const codes = items.map((p) => p.code);
    for (const c of ['FRA', 'DEU', 'GBR', 'CAN', 'AUS']) assert.ok(codes.includes(c), c);
    assert.ok(!codes.includes('IDN'));
  });

  test('kind=organisation gives only organisations', async () => {
    const r = await req(url, '/api/v1/parties?kind=organisation&limit=200');
    assert.equal(r.status, 200);
    assert.ok(r.json.items.length > 0);
    for (const p of r.json.items) assert.equal(p.kind, 'organisation', p.code);
    const codes = r.json.items.map((p) => p.code);
    assert.ok(codes.includes('ASEAN'));
    assert.ok(!codes.includes('USA'));
    const both = await req(url, '/api/v1/parties?kind=state&group=Asia-Pacific&limit=200');
    assert.ok(both.json.items.length > 0);
    for (const p of both.json.items) {
      assert.equal(p.kind, 'state');
      assert.equal(p.un_group, 'Asia-Pacific');
    }
  });

  test('IDN: memberships include ASEAN; voted yes on A/RES/73/27', async () => {
    const r = await req(url, '/api/v1/parties/IDN');
    assert.equal(r.status, 200);
    const p = r.json;
    assert.equal(p.code, 'IDN');
    assert.equal(p.name, 'Indonesia');
    assert.equal(p.un_group, 'Asia-Pacific');
    const orgs = p.memberships.map((m) => m.code);
    assert.ok(orgs.includes('ASEAN'), `memberships: ${orgs}`);
    const asean = p.memberships.find((m) => m.code === 'ASEAN');
    assert.equal(asean.role, 'member');
    assertSources(asean, 'IDN in ASEAN');
    const v = p.votes.find((x) => x.instrument === 'a-res-73-27');
    assert.ok(v, 'a vote on A/RES/73/27');
    assert.equal(v.vote, 'yes');
    assert.equal(v.symbol, 'A/RES/73/27');
    assertSources(p, 'IDN');
  });

  test('USA voted no on A/RES/73/27', async () => {
    const r = await req(url, '/api/v1/parties/USA');
    assert.equal(r.status, 200);
    const v = r.json.votes.find((x) => x.instrument === 'a-res-73-27');
    assert.ok(v);
    assert.equal(v.vote, 'no');
  });

  test('an organisation lists its members', async () => {
    const r = await req(url, '/api/v1/parties/ASEAN');
    assert.equal(r.status, 200);
    const members = r.json.members.map((m) => m.code);
    assert.ok(members.includes('IDN'));
    assert.ok(members.length >= 10);
  });
});

describe('forums', () => {
  test('the forums list walks in pages and forum detail lists members', async () => {
    const { items } = await walk(url, '/api/v1/forums', 4);
    const ids = items.map((f) => f.id);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');
    const all = await req(url, '/api/v1/forums?limit=200');
    assert.deepEqual(ids, all.json.items.map((f) => f.id));
    assert.ok(ids.includes('gge-2014-2015') && ids.includes('un-ga'));
    const f = await req(url, '/api/v1/forums/gge-2014-2015');
    assert.equal(f.status, 200);
    assert.equal(f.json.kind, 'expert_group');
    assert.equal(f.json.members.length, 20);
    assert.equal(f.json.members.length, items.find((x) => x.id === 'gge-2014-2015').member_count);
    assert.ok(f.json.instruments.some((i) => i.id === 'a-70-174'));
  });

  test('kind=expert_group gives only expert groups', async () => {
    const r = await req(url, '/api/v1/forums?kind=expert_group&limit=200');
    assert.equal(r.status, 200);
    assert.ok(r.json.items.length >= 5);
    for (const f of r.json.items) assert.equal(f.kind, 'expert_group');
  });
});

describe('instruments', () => {
  test('A/70/174 establishes 11 norms', async () => {
    const r = await req(url, '/api/v1/instruments/a-70-174');
    assert.equal(r.status, 200);
    assert.equal(r.json.symbol, 'A/70/174');
    assert.equal(r.json.norms.length, 11);
    for (const n of r.json.norms) assert.equal(n.relation, 'establishes', n.id);
    assert.equal(new Set(r.json.norms.map((n) => n.id)).size, 11);
  });

  test('the 2017 GGE failed, with a reason', async () => {
    const r = await req(url, '/api/v1/instruments/gge-2016-2017-outcome');
    assert.equal(r.status, 200);
    assert.equal(r.json.outcome, 'failed');
    assert.equal(typeof r.json.outcome_reason, 'string');
    assert.ok(r.json.outcome_reason.length > 20);
    assert.equal(r.json.forum, 'gge-2016-2017');
  });

  test('the 2019 joint statement has 27 signatories', async () => {
    const r = await req(url, '/api/v1/instruments/js-2019-responsible-state-behavior');
    assert.equal(r.status, 200);
    assert.equal(r.json.kind, 'joint_statement');
    const signatories = r.json.parties.filter((p) => p.relation === 'signatory');
    assert.equal(signatories.length, 27);
    assert.equal(new Set(signatories.map((p) => p.code)).size, 27);
    assert.ok(signatories.some((p) => p.code === 'USA'));
  });

  test('the US-China agreement has 5 commitments and its two parties', async () => {
    const r = await req(url, '/api/v1/instruments/us-china-2015');
    assert.equal(r.status, 200);
    assert.equal(r.json.commitments.length, 5);
    for (const c of r.json.commitments) assert.ok(c.text.length > 0);
    assert.deepEqual(r.json.parties.map((p) => p.code).sort(), ['CHN', 'USA']);
  });

  test('A/RES/73/27: totals 119/46/14 and per-state lists of the same sizes', async () => {
    const r = await req(url, '/api/v1/instruments/a-res-73-27');
    assert.equal(r.status, 200);
    assert.equal(r.json.adoption, 'recorded_vote');
    assert.deepEqual(r.json.vote_totals, { yes: 119, no: 46, abstain: 14 });
    assert.equal(r.json.vote.yes.length, 119);
    assert.equal(r.json.vote.no.length, 46);
    assert.equal(r.json.vote.abstain.length, 14);
    const all = [...r.json.vote.yes, ...r.json.vote.no, ...r.json.vote.abstain].map((p) => p.code);
    assert.equal(new Set(all).size, 119 + 46 + 14, 'no state votes twice');
    assert.ok(r.json.vote.yes.some((p) => p.code === 'IDN'));
    assert.ok(r.json.vote.no.some((p) => p.code === 'USA'));
    assertSources(r.json.vote, 'the vote on A/RES/73/27');
  });

  test('A/RES/73/27: the 14 members that did not vote are absent, each a member on 2018-12-05', async () => {
    const r = await req(url, '/api/v1/instruments/a-res-73-27');
    const absent = r.json.vote.absent;
    assert.equal(absent.length, 14);
    const voted = new Set([...r.json.vote.yes, ...r.json.vote.no, ...r.json.vote.abstain].map((p) => p.code));
    for (const a of absent) {
      assert.ok(!voted.has(a.code), `${a.code} did not vote`);
      const p = await req(url, `/api/v1/parties/${a.code}`);
      assert.equal(p.json.kind, 'state');
      assert.ok(p.json.admitted <= '2018-12-05', `${a.code} was a member on the day`);
      assert.equal(p.json.votes.find((v) => v.instrument === 'a-res-73-27').vote, 'absent', `${a.code}'s page counts it`);
    }
    assert.equal(voted.size + absent.length, 193, 'every member state is in one group');
    // South Sudan (2011) is counted on 2018 votes, not on one before it
    const ssd = await req(url, '/api/v1/parties/SSD');
    for (const v of ssd.json.votes) assert.ok(v.date >= '2011-07-14');
  });

  test('an instrument by its symbol: 308 to its id, with the slashes as they are or encoded', async () => {
    for (const path of ['/api/v1/instruments/A/RES/73/27', '/api/v1/instruments/A%2FRES%2F73%2F27']) {
      const r = await fetch(url + path, { redirect: 'manual' });
      assert.equal(r.status, 308, path);
      assert.equal(r.headers.get('location'), '/api/v1/instruments/a-res-73-27');
      const followed = await fetch(url + path); // as a client follows it
      assert.equal(followed.status, 200);
      assert.equal((await followed.json()).id, 'a-res-73-27');
    }
    const spaced = await fetch(url + '/api/v1/instruments/' + encodeURIComponent('Regulation (EU) 2019/796'));
    assert.equal(spaced.status, 200);
    assert.equal((await spaced.json()).symbol, 'Regulation (EU) 2019/796');
    // a symbol's vote, with its format
    const v = await fetch(`${url}/api/v1/instruments/A/RES/73/27/vote?format=csv`, { redirect: 'manual' });
    assert.equal(v.status, 308);
    assert.equal(v.headers.get('location'), '/api/v1/instruments/a-res-73-27/vote?format=csv');
    assert.match(await (await fetch(`${url}/api/v1/instruments/A/RES/73/27/vote?format=csv`)).text(), /^code,name,vote\r\n/);
    assert.equal((await req(url, '/api/v1/instruments/a-res-73-27?format=csv')).status, 400);
    // case aside: a symbol typed in lower case, a party code too
    assert.equal((await fetch(`${url}/api/v1/instruments/a/res/73/27`)).url.endsWith('/api/v1/instruments/a-res-73-27'), true);
    const lower = await fetch(`${url}/api/v1/parties/idn`, { redirect: 'manual' });
    assert.equal(lower.status, 308);
    assert.equal(lower.headers.get('location'), '/api/v1/parties/IDN');
    const missing = await req(url, '/api/v1/instruments/A/RES/99/999');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.detail, 'no instrument has the symbol "A/RES/99/999"');
  });

  test('filters: kind and forum', async () => {
    const r = await req(url, '/api/v1/instruments?kind=resolution&limit=200');
    assert.ok(r.json.items.length >= 10);
    for (const i of r.json.items) assert.equal(i.kind, 'resolution');
    const f = await req(url, '/api/v1/instruments?forum=gge-2014-2015');
    assert.deepEqual(f.json.items.map((i) => i.id), ['a-70-174']);
    const { items } = await walk(url, '/api/v1/instruments', 7);
    assert.equal(new Set(items.map((i) => i.id)).size, items.length);
    for (let i = 1; i < items.length; i++)
      assert.ok(utf8cmp(items[i - 1].date, items[i].date) <= 0, 'sorted by date');
  });
});

describe('norms', () => {
  test('the 11 norms; each detail lists A/70/174 as establishing it', async () => {
    const r = await req(url, '/api/v1/norms');
    assert.equal(r.status, 200);
    assert.equal(r.json.items.length, 11);
    assert.equal(r.json.next, null);
    const { items } = await walk(url, '/api/v1/norms', 3);
    assert.deepEqual(items.map((n) => n.id), r.json.items.map((n) => n.id));
    for (const n of r.json.items) {
      const d = await req(url, `/api/v1/norms/${n.id}`);
      assert.equal(d.status, 200);
      const a = d.json.instruments.find((i) => i.id === 'a-70-174');
      assert.ok(a, `${n.id} lists A/70/174`);
      assert.equal(a.relation, 'establishes');
      assert.equal(a.symbol, 'A/70/174');
    }
  });
});

describe('timeline', () => {
  test('newest first, walked by cursor without duplicates', async () => {
    const { items, pages } = await walk(url, '/api/v1/timeline', 9);
    assert.ok(pages > 3);
    const keys = items.map((t) => t.key);
    assert.equal(new Set(keys).size, keys.length, 'no duplicates');
    for (let i = 1; i < items.length; i++) {
      assert.ok(utf8cmp(keys[i - 1], keys[i]) > 0, `keys descend: ${keys[i - 1]} then ${keys[i]}`);
      assert.ok(items[i - 1].date.slice(0, 4) >= items[i].date.slice(0, 4), 'years descend');
    }
    for (const t of items) assert.ok(['instrument', 'forum'].includes(t.kind));
    const inst = await req(url, '/api/v1/instruments?limit=200');
    assert.equal(items.filter((t) => t.kind === 'instrument').length, inst.json.items.length);
    const all = await req(url, '/api/v1/timeline?limit=200');
    assert.deepEqual(all.json.items.map((t) => t.key), keys);
    assert.equal(all.json.next, null);
    // the practice forums of init --demo open today; the record's newest is 2025
    const record = items.filter((t) => !String(t.ref).startsWith('practice-'));
    assert.ok(record[0].date.startsWith('2025'), `newest first: ${record[0].date}`);
    assert.ok(items.slice(0, items.length - record.length).every((t) => t.kind === 'forum'));
  });
});

describe('search', () => {
  test('"A/70/174" finds that instrument first', async () => {
    const r = await req(url, '/api/v1/search?q=' + encodeURIComponent('A/70/174'));
    assert.equal(r.status, 200);
    assert.equal(r.json.q, 'A/70/174');
    assert.ok(r.json.items.length >= 1);
    assert.equal(r.json.items[0].kind, 'instrument');
    assert.equal(r.json.items[0].id, 'a-70-174');
    const times = [];
    for (let i = 0; i < 20; i++) {
      const t0 = process.hrtime.bigint();
      const x = await req(url, '/api/v1/search?q=' + encodeURIComponent('A/70/174'));
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      assert.equal(x.status, 200);
    }
    times.sort((a, b) => a - b);
    console.log(`search "A/70/174": median ${((times[9] + times[10]) / 2).toFixed(2)} ms over 20 runs (not asserted)`);
  });

  test('search finds parties and norms; limit caps the hits; odd input is not an error', async () => {
    const r = await req(url, '/api/v1/search?q=Indonesia');
    assert.ok(r.json.items.some((h) => h.kind === 'party' && h.id === 'IDN'));
    const l = await req(url, '/api/v1/search?q=and&limit=3');
    assert.equal(l.json.items.length, 3);
    for (const q of ['"', 'AND (', '*', 'NEAR(', '-', "'"]) {
      const x = await req(url, '/api/v1/search?q=' + encodeURIComponent(q));
      assert.equal(x.status, 200, `q=${q}: ${x.text}`);
      assert.ok(Array.isArray(x.json.items));
    }
  });
});

describe('Bahasa Indonesia', () => {
  test('translations: State names from iso-codes, the record’s texts unofficial', async () => {
    const r = await req(url, '/api/v1/translations?lang=id');
    assert.equal(r.status, 200);
    const { party, norm, instrument, forum } = r.json.items;
    assert.equal(party.BRA.name, 'Brasil');
    assert.equal(party.DEU.name, 'Jerman');
    // Indonesia's usage where iso-codes differs
    assert.equal(party.TLS.name, 'Timor-Leste');
    assert.equal(party.CHN.name, 'Tiongkok');
    assert.equal(party.IRN.name, 'Iran');
    assert.equal(party.BRA.unofficial, undefined, 'iso-codes names are not the project’s own');
    assert.equal(party.EU.name, 'Uni Eropa');
    assert.equal(party.EU.unofficial, true);
    const states = (await req(url, '/api/v1/parties?limit=200&kind=state')).json.items;
    for (const p of states) assert.ok(party[p.code]?.name, `${p.code} has an Indonesian name`);
    assert.match(norm['gge2015-f'].text, /infrastruktur kritis/);
    assert.equal(norm['gge2015-f'].unofficial, true);
    assert.equal(Object.keys(norm).length, 11);
    assert.equal(Object.keys(instrument).length, 42);
    assert.ok(instrument['a-70-174'].title && instrument['a-70-174'].summary);
    assert.ok(Object.keys(instrument['us-china-2015']).some((k) => k.startsWith('commitment:')));
    assert.equal(Object.keys(forum).length, 15);
    assertProblemish(await req(url, '/api/v1/translations?lang=xx'));
    assertProblemish(await req(url, '/api/v1/translations'));
  });

  test('search finds the record in both languages, one hit per record', async () => {
    const ik = await req(url, `/api/v1/search?q=${encodeURIComponent('infrastruktur kritis')}`);
    assert.ok(ik.json.items.some((i) => i.kind === 'norm' && i.id === 'gge2015-f'), ik.text);
    const br = await req(url, '/api/v1/search?q=Brasil');
    assert.deepEqual(br.json.items.map((i) => [i.kind, i.id]), [['party', 'BRA']]);
    const gge = await req(url, '/api/v1/search?q=GGE&limit=100');
    const keys = gge.json.items.map((i) => `${i.kind}/${i.id}`);
    assert.equal(new Set(keys).size, keys.length, 'no record twice');
  });
});

function assertProblemish(r) {
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.type, 'urn:detente:problem:validation');
}

describe('sources', () => {
  test('every party, forum, instrument and norm has at least one source', async () => {
    const lists = [
      ['parties', 'code'],
      ['forums', 'id'],
      ['instruments', 'id'],
      ['norms', 'id'],
    ];
    let n = 0;
    let expected = 0;
    for (const [path, key] of lists) {
      const { items } = await walk(url, `/api/v1/${path}`, 200);
      expected += items.length;
      const docs = await Promise.all(items.map((it) => req(url, `/api/v1/${path}/${it[key]}`)));
      for (const d of docs) {
        assert.equal(d.status, 200);
        assertSources(d.json, `${path}/${d.json[key]}`);
        if (Number.isInteger(d.json.log_idx)) n++;
        for (const m of d.json.memberships || []) assertSources(m, `${path}/${d.json[key]} membership ${m.code}`);
        if (d.json.vote) assertSources(d.json.vote, `${path}/${d.json[key]} vote`);
      }
    }
    assert.equal(n, expected);
    assert.ok(expected >= 211 + 11);
  });
});
