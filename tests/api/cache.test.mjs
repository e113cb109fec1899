// Public record reads are cached by URL and log size: every act grows the
// log, so no answer may outlive a change, whichever process made it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { api, run, startServer } from '../lib/server.mjs';

let srv;
let token;

before(async () => {
  srv = await startServer({ users: [{ username: 'cacher', password: 'cacher-password', role: 'operator', party: 'USA' }] });
  token = (await run(['token', 'create', '--user', 'cacher', '--db', srv.dbPath])).stdout.trim();
});

after(async () => {
  await srv?.stop();
});

test('an act through the API is seen at once by cached reads', async () => {
  const before = await api(srv.url, '/api/v1/stats');
  const again = await api(srv.url, '/api/v1/stats');
  assert.equal(again.headers.get('etag'), before.headers.get('etag'));
  const list = await api(srv.url, '/api/v1/parties?kind=organisation&limit=200');
  assert.ok(!list.body.items.some((p) => p.code === 'CACHE-1'));
  const r = await api(srv.url, '/api/v1/acts', {
    method: 'POST', token,
    body: { type: 'party.register', body: { code: 'CACHE-1', name: 'Cache test', kind: 'organisation', sources: [{ title: 'test' }] } },
  });
  assert.equal(r.status, 201);
  const after1 = await api(srv.url, '/api/v1/stats');
  assert.equal(after1.body.organisations, before.body.organisations + 1);
  assert.notEqual(after1.headers.get('etag'), before.headers.get('etag'));
  const list2 = await api(srv.url, '/api/v1/parties?kind=organisation&limit=200');
  assert.ok(list2.body.items.some((p) => p.code === 'CACHE-1'));
  // 304 for the client that has the current answer
  const cond = await api(srv.url, '/api/v1/stats', { headers: { 'If-None-Match': after1.headers.get('etag') } });
  assert.equal(cond.status, 304);
});

test('an act by another process (the CLI) is seen too', async () => {
  const h1 = await api(srv.url, '/api/v1/health');
  await run(['user', 'add', 'latecomer', '--role', 'observer', '--db', srv.dbPath], { input: 'latecomer-password\n' });
  const h2 = await api(srv.url, '/api/v1/health');
  assert.equal(h2.body.log_size, h1.body.log_size + 1);
});

test('answers that depend on the caller are not shared', async () => {
  // the public sees the enrolment redacted, the operator sees it whole
  const size = (await api(srv.url, '/api/v1/health')).body.log_size;
  const path = `/api/v1/log/entries?start=${size - 1}&end=${size}`;
  const pub = await api(srv.url, path);
  assert.equal(pub.body.items[0].redacted, true);
  const op = await api(srv.url, path, { token });
  assert.equal(op.body.items[0].type, 'user.add');
  const pub2 = await api(srv.url, path);
  assert.equal(pub2.body.items[0].redacted, true);
});
