// TLP per object: an instrument recorded under each TLP 2.0 label, read by
// each kind of reader, through every list and detail route that can show it
// (and the log and the event stream that carry its act).  Each reader asks
// twice, in an order that puts every kind of reader after every other, so
// that an answer cached for one class of readers would show up in another.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { run } from '../lib/server.mjs';
import { SOURCES, makeToken, req, startServer } from './_helpers.mjs';

const PW = 'tlp-matrix-password';
// The submitter (op1) is an operator of AAA; "the party" is AAA, the source
// of every act; BBB is named as recipient; CCC is another party.
const USERS = [
  { username: 'tlp-owner', password: PW, role: 'operator', party: 'AAA' },
  { username: 'tlp-operator', password: PW, role: 'operator', party: 'ZZZ' },
  { username: 'tlp-party', password: PW, role: 'delegate', party: 'AAA' },
  { username: 'tlp-recipient', password: PW, role: 'delegate', party: 'BBB' },
  { username: 'tlp-other', password: PW, role: 'delegate', party: 'CCC' },
];

const LABELS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'];
const slug = (label) => 'tlpm-' + label.slice(4).toLowerCase().replace('+', '-');

// Who sees an object of each label (TLP 2.0, DESIGN §7): the owner is the
// user who submitted it; TLP:RED is for named people only, and a record act
// names parties, so only its submitter reads it.
const SEES = {
  anonymous: ['TLP:CLEAR'],
  other: ['TLP:CLEAR', 'TLP:GREEN'],
  party: ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT'],
  recipient: ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT'],
  operator: ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT'],
  owner: LABELS,
};
const READERS = Object.keys(SEES);

let srv;
let url;
const tokens = {};
const entryOf = {}; // label -> the log index of its instrument.record

const BOOT = { username: 'tlp-boot', password: PW, role: 'operator' };

before(async () => {
  srv = await startServer({ demo: false, users: [BOOT] });
  url = srv.url;
  // the parties first, then their users (a user's party must exist)
  const boot = await makeToken(url, BOOT.username, BOOT.password, 'tlp');
  for (const code of ['AAA', 'BBB', 'CCC', 'ZZZ', 'PCL', 'PGR', 'PAM', 'PAS', 'PRD']) {
    const r = await req(url, '/api/v1/acts', { json: { type: 'party.register', body: { code, name: `Party ${code}`, kind: 'state', sources: SOURCES } }, token: boot });
    assert.equal(r.status, 201, r.text);
  }
  for (const u of USERS)
    await run(['user', 'add', u.username, '--role', u.role, '--party', u.party, '--db', srv.dbPath], { input: `${u.password}\n` });
  for (const [kind, u] of [
    ['owner', USERS[0]],
    ['operator', USERS[1]],
    ['party', USERS[2]],
    ['recipient', USERS[3]],
    ['other', USERS[4]],
  ])
    tokens[kind] = await makeToken(url, u.username, u.password, 'tlp');
});
after(async () => {
  await srv?.stop();
});

async function act(type, body, token = tokens.owner) {
  const r = await req(url, '/api/v1/acts', { json: { type, body }, token });
  return r;
}

async function as(reader, path) {
  const r = await req(url, path, reader === 'anonymous' ? {} : { token: tokens[reader] });
  assert.equal(r.status === 200 || r.status === 404, true, `${reader} ${path}: ${r.status} ${r.text}`);
  return r;
}

const ids = (items) => new Set((items || []).map((x) => x.id ?? x.ref));

/** What each route shows of the labelled instruments, as a set of labels. */
const ROUTES = {
  'GET /instruments': async (who) => {
    const r = await as(who, '/api/v1/instruments?limit=200&forum=tlpm-forum');
    return ids(r.json.items);
  },
  'GET /instruments/{id}': async (who) => {
    const seen = new Set();
    for (const l of LABELS) {
      const r = await as(who, `/api/v1/instruments/${slug(l)}`);
      if (r.status === 200) {
        assert.equal(r.json.tlp, l, 'the row carries its label');
        seen.add(slug(l));
      }
    }
    return seen;
  },
  'GET /forums/{id}': async (who) => ids((await as(who, '/api/v1/forums/tlpm-forum')).json.instruments),
  'GET /norms/{id}': async (who) => {
    const n = (await as(who, '/api/v1/norms/tlpm-norm')).json;
    const endorsers = new Set(n.endorsed_by.map((p) => p.code));
    // every instrument is joined by its own party; an endorser shows only
    // through an instrument the reader may see
    for (const l of LABELS) assert.equal(endorsers.has(party(l)), ids(n.instruments).has(slug(l)), `endorser of ${l}`);
    return ids(n.instruments);
  },
  'GET /parties/{code}': async (who) => {
    const seen = new Set();
    for (const l of LABELS) {
      const p = (await as(who, `/api/v1/parties/${party(l)}`)).json;
      const inst = ids(p.instruments);
      const votes = new Set(p.votes.map((v) => v.instrument));
      assert.equal(inst.has(slug(l)), votes.has(slug(l)), `${who}: joins and votes of ${l} agree`);
      if (inst.has(slug(l))) seen.add(slug(l));
    }
    return seen;
  },
  'GET /timeline': async (who) => {
    const r = await as(who, '/api/v1/timeline?limit=200');
    return new Set([...ids(r.json.items)].filter((x) => x.startsWith('tlpm-') && x !== 'tlpm-forum'));
  },
  'GET /search': async (who) => {
    const r = await as(who, '/api/v1/search?q=zebrafinch&limit=50');
    return ids(r.json.items);
  },
  'GET /stats': async (who) => {
    const r = await as(who, '/api/v1/stats');
    // the count only: compare it with the number the reader should see
    return new Set(LABELS.slice(0, r.json.instruments).map(slug));
  },
  'GET /log/entries': async (who) => {
    const lo = Math.min(...Object.values(entryOf));
    const r = await as(who, `/api/v1/log/entries?start=${lo}&end=${Math.max(...Object.values(entryOf)) + 1}`);
    const seen = new Set();
    for (const l of LABELS) {
      const e = r.json.items.find((x) => x.index === entryOf[l]);
      assert.equal(e.tlp, l);
      if (!e.redacted) {
        assert.equal(e.act.body.id, slug(l));
        seen.add(slug(l));
      }
    }
    return seen;
  },
  'GET /events': async (who) => {
    // The backlog from the first labelled entry, up to a CLEAR marker
    // appended after them all: every reader sees the marker.
    const lo = Math.min(...Object.values(entryOf));
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 15000);
    const headers = { Accept: 'text/event-stream', 'Last-Event-ID': String(lo - 1) };
    if (who !== 'anonymous') headers.Authorization = `Bearer ${tokens[who]}`;
    const res = await fetch(`${url}/api/v1/events`, { headers, signal: ac.signal });
    assert.equal(res.status, 200);
    const seen = new Set();
    let text = '';
    try {
      for await (const chunk of res.body) {
        text += Buffer.from(chunk).toString('utf8');
        if (text.includes(`id: ${markerIdx}\n`)) break;
      }
    } catch (e) {
      if (e.name !== 'AbortError') throw e;
    } finally {
      clearTimeout(timer);
      ac.abort();
    }
    assert.ok(text.includes(`id: ${markerIdx}\n`), `${who} got the marker`);
    for (const l of LABELS) if (text.includes(`id: ${entryOf[l]}\n`)) seen.add(slug(l));
    return seen;
  },
};

const party = (l) => ({ 'TLP:CLEAR': 'PCL', 'TLP:GREEN': 'PGR', 'TLP:AMBER': 'PAM', 'TLP:AMBER+STRICT': 'PAS', 'TLP:RED': 'PRD' })[l];
let markerIdx;

describe('TLP per object', () => {
  test('setup: an instrument under each label, with its vote and its joiner', async () => {
    let r = await act('forum.establish', {
      id: 'tlpm-forum', name: 'TLP forum', kind: 'bilateral', mandate: 'm', membership_rule: 'r',
      decision_rule: 'consensus', start: '2020-01-01', sources: SOURCES,
    });
    assert.equal(r.status, 201, r.text);
    r = await act('norm.define', { id: 'tlpm-norm', code: 'z', title: 'A norm', text: 'Text.', sources: SOURCES });
    assert.equal(r.status, 201, r.text);
    for (const l of LABELS) {
      r = await act('instrument.record', {
        id: slug(l), symbol: 'TLPM/' + slug(l), title: `Zebrafinch agreement ${l}`, kind: 'agreement', date: '2021-01-01',
        forum: 'tlpm-forum', binding: false, outcome: 'adopted', summary: 'zebrafinch', tlp: l, recipients: ['BBB'],
        norms: [{ norm: 'tlpm-norm', relation: 'affirms' }], sources: SOURCES,
      });
      assert.equal(r.status, 201, r.text);
      entryOf[l] = r.json.index;
      r = await act('instrument.join', { instrument: slug(l), parties: [{ party: party(l), relation: 'signatory' }], tlp: l, recipients: ['BBB'], sources: SOURCES });
      assert.equal(r.status, 201, r.text);
      r = await act('vote.record', { instrument: slug(l), date: '2021-01-02', yes: [party(l)], no: [], abstain: [], tlp: l, recipients: ['BBB'], sources: SOURCES });
      assert.equal(r.status, 201, r.text);
    }
    r = await act('party.register', { code: 'MRK', name: 'Marker', kind: 'state', sources: SOURCES });
    assert.equal(r.status, 201, r.text);
    markerIdx = r.json.index;
  });

  for (const route of Object.keys(ROUTES))
    test(`${route}: each reader sees exactly what the labels allow, however the cache is filled`, async () => {
      for (const who of [...READERS, ...READERS.slice().reverse()]) {
        const seen = await ROUTES[route](who);
        const want = new Set(SEES[who].map(slug));
        assert.deepEqual([...seen].sort(), [...want].sort(), `${route} as ${who}`);
      }
    });

  test('the routes without labelled rows answer every reader alike', async () => {
    for (const path of ['/api/v1/parties?limit=200', '/api/v1/parties/AAA', '/api/v1/forums', '/api/v1/norms', '/api/v1/act-types']) {
      const seen = new Set();
      for (const who of [...READERS, ...READERS.slice().reverse()]) {
        const r = await as(who, path);
        assert.equal(r.status, 200, `${path} as ${who}`);
        // a party's page lists its instruments: AAA joined none
        seen.add(r.text);
      }
      assert.equal(seen.size, 1, `${path}: one answer for all`);
    }
  });

  test('an act about a labelled instrument must be labelled so or stricter', async () => {
    const before = (await req(url, '/api/v1/health')).json.log_size;
    const r = await act('vote.record', { instrument: slug('TLP:AMBER'), date: '2021-02-01', yes: [], no: [], abstain: [], sources: SOURCES });
    assert.equal(r.status, 400, r.text);
    assert.match(r.json.detail, /TLP:AMBER/);
    const j = await act('instrument.join', { instrument: slug('TLP:RED'), parties: [{ party: 'AAA', relation: 'party' }], tlp: 'TLP:AMBER', sources: SOURCES });
    assert.equal(j.status, 400, j.text);
    assert.equal((await req(url, '/api/v1/health')).json.log_size, before, 'nothing was appended');
  });

  test('a label that is not TLP 2.0 is refused and changes nothing', async () => {
    const r = await act('instrument.record', {
      id: 'tlpm-bad', title: 'Bad', kind: 'agreement', date: '2021', binding: false, outcome: 'adopted', summary: 's', tlp: 'TLP:WHITE', sources: SOURCES,
    });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.type, 'urn:detente:problem:validation');
    assert.equal((await req(url, '/api/v1/instruments/tlpm-bad')).status, 404);
  });
});
