// GET /api/v1/events: Server-Sent Events, one per new log entry the reader
// may see, the entry's index as the event id, resumable by Last-Event-ID.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { spawn } from 'node:child_process';

import { BIN, SOURCES, assertProblem, logSize, makeToken, req, startServer } from './_helpers.mjs';

const OPERATOR = { username: 'ev-operator', password: 'operator-password-1', role: 'operator' };

let srv;
let url;
let token;

before(async () => {
  srv = await startServer({ demo: false, users: [OPERATOR] });
  url = srv.url;
  token = await makeToken(url, OPERATOR.username, OPERATOR.password, 'events');
});
after(async () => {
  await srv?.stop();
});

const party = (n) => ({
  type: 'party.register',
  body: { code: `Q${String(n).padStart(3, '0')}`, name: `Party ${n}`, kind: 'state', sources: SOURCES },
});

/**
 * Opens the stream and collects events until want() says enough (or the
 * time runs out).  Answers {status, headers, events: [{id, event, data}]}.
 */
async function stream(headers, want, ms = 20000) {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), ms);
  const res = await fetch(`${url}/api/v1/events`, { headers: { Accept: 'text/event-stream', ...headers }, signal: ac.signal });
  const events = [];
  if (res.status !== 200) {
    clearTimeout(timer);
    return { status: res.status, headers: res.headers, text: await res.text(), events };
  }
  const dec = new TextDecoder();
  let pending = '';
  try {
    for await (const chunk of res.body) {
      pending += dec.decode(chunk, { stream: true });
      let cut;
      while ((cut = pending.indexOf('\n\n')) >= 0) {
        const block = pending.slice(0, cut);
        pending = pending.slice(cut + 2);
        const ev = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const i = line.indexOf(':');
          ev[line.slice(0, i)] = line.slice(i + 1).replace(/^ /, '');
        }
        if (ev.event) events.push(ev);
      }
      if (want(events)) break;
    }
  } catch (e) {
    if (e.name !== 'AbortError') throw e;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return { status: res.status, headers: res.headers, events };
}

async function burst(from, n, per = 100) {
  for (let i = 0; i < n; i += per) {
    const acts = [];
    for (let j = i; j < i + per && j < n; j++) acts.push(party(from + j));
    const r = await req(url, '/api/v1/acts/batch', { json: { acts }, token });
    assert.equal(r.status, 201, r.text);
  }
}

describe('the live event stream', () => {
  test('a client connected before a burst of 1000 acts receives all 1000 in order; one that reconnects mid-burst gets the rest once', async () => {
    const start = await logSize(url);
    const entries = (evs) => evs.filter((e) => e.event === 'entry');
    const whole = stream({}, (evs) => entries(evs).length >= 1000);
    // the second reads 300, goes away, and comes back with the last id
    const first = stream({}, (evs) => entries(evs).length >= 300);
    await new Promise((r) => setTimeout(r, 300)); // both are connected
    const posting = burst(0, 1000);
    const part = await first;
    const lastId = entries(part.events).at(-1).id;
    const rest = stream({ 'Last-Event-ID': lastId }, (evs) => Number(entries(evs).at(-1)?.id) >= start + 999);
    await posting;
    const all = await whole;
    assert.equal(all.status, 200);
    assert.match(all.headers.get('content-type'), /^text\/event-stream/);
    const ids = entries(all.events).map((e) => Number(e.id));
    assert.deepEqual(ids, Array.from({ length: 1000 }, (_, i) => start + i));
    const item = JSON.parse(entries(all.events)[0].data);
    assert.equal(item.index, start);
    assert.equal(item.type, 'party.register');
    assert.equal(item.act.body.code, 'Q000');
    const again = [...entries(part.events), ...entries((await rest).events)].map((e) => Number(e.id));
    assert.deepEqual(again, ids, 'every entry once, in order, across the reconnection');
  });

  test('a reader sees only what it may read: an anonymous stream skips a user enrolment', async () => {
    const size = await logSize(url);
    const anon = stream({ 'Last-Event-ID': String(size - 1) }, (evs) => evs.some((e) => e.event === 'entry'), 5000);
    await new Promise((r) => setTimeout(r, 200));
    const u = await req(url, '/api/v1/users', {
      json: { username: 'ev-new', role: 'observer', password: 'observer-password-1' },
      token,
    });
    assert.equal(u.status, 201, u.text);
    await burst(2000, 1, 1);
    const got = (await anon).events.filter((e) => e.event === 'entry');
    assert.equal(got.length, 1);
    assert.equal(JSON.parse(got[0].data).type, 'party.register', 'the TLP:AMBER+STRICT user.add is not sent to the public');
  });

  test('bad Last-Event-ID and Accept: 400 and 406 problems', async () => {
    const size = await logSize(url);
    for (const bad of ['abc', '-1', '1.5', '2x', String(size), '99999999999999999999']) {
      const r = await req(url, '/api/v1/events', { headers: { 'Last-Event-ID': bad } });
      assertProblem(r, 400, 'validation');
    }
    assertProblem(await req(url, '/api/v1/events?last_event_id=x'), 400, 'validation');
    assertProblem(await req(url, '/api/v1/events', { headers: { Accept: 'application/json' } }), 406, 'not-acceptable');
  });

  test('detente events prints what the caller may read, one JSON line each, and stops after --count', async () => {
    const size = await logSize(url);
    await burst(3000, 5, 5);
    const u = await req(url, '/api/v1/users', {
      json: { username: 'ev-cli', role: 'observer', password: 'observer-password-1' },
      token,
    });
    assert.equal(u.status, 201, u.text);
    await burst(3005, 1, 1);
    const follow = (args, env = {}) =>
      new Promise((resolve) => {
        const p = spawn(BIN, ['events', '--server', url, ...args], { env: { ...process.env, DETENTE_TOKEN: '', ...env } });
        let out = '';
        let err = '';
        const timer = setTimeout(() => p.kill('SIGKILL'), 10000);
        p.stdout.on('data', (d) => (out += d));
        p.stderr.on('data', (d) => (err += d));
        p.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, out, err });
        });
      });
    // anonymous: the five, then the party after the (hidden) enrolment
    const anon = await follow(['--from', String(size - 1), '--count', '6']);
    assert.equal(anon.code, 0, anon.err);
    const lines = anon.out.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.act.body.code), ['Q3000', 'Q3001', 'Q3002', 'Q3003', 'Q3004', 'Q3005']);
    assert.ok(lines.every((l, i) => i === 0 || l.index > lines[i - 1].index));
    // the operator's token sees the enrolment too
    const op = await follow(['--from', String(size - 1), '--count', '7', '--token', token]);
    assert.equal(op.code, 0, op.err);
    assert.deepEqual(op.out.trim().split('\n').map((l) => JSON.parse(l).type).slice(5, 7), ['user.add', 'party.register']);
    // bad usage, and a server that refuses
    assert.equal((await follow(['--count', '0'])).code, 2);
    assert.equal((await follow(['--from', 'x'])).code, 2);
    const far = await follow(['--from', String(size + 1000)]);
    assert.equal(far.code, 1);
    assert.match(far.err, /400/);
  });
});
