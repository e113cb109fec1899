// Sessions (cookie + CSRF), the sign-in rate limit, API tokens, users, and
// the act endpoint as an operator.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { SOURCES, assertProblem, login, logSize, req, startServer } from './_helpers.mjs';

const OPERATOR = { username: 'auth-operator', password: 'operator-password-1', role: 'operator' };
const DELEGATE = { username: 'auth-delegate', password: 'delegate-password-1', role: 'delegate', party: 'IDN' };
const VICTIM = { username: 'auth-locked', password: 'locked-password-1', role: 'observer' };

let srv;
let url;

before(async () => {
  srv = await startServer({ demo: true, users: [OPERATOR, DELEGATE, VICTIM] });
  url = srv.url;
});
after(async () => {
  await srv?.stop();
});

describe('password sessions', () => {
  test('sign-in sets an HttpOnly SameSite=Strict cookie, not Secure over plain HTTP', async () => {
    const s = await login(url, OPERATOR.username, OPERATOR.password);
    const attrs = s.setCookie.split(';').map((a) => a.trim().toLowerCase());
    assert.match(s.setCookie, /^detente_session=[0-9a-f]{64};/);
    assert.ok(attrs.includes('httponly'), s.setCookie);
    assert.ok(attrs.includes('samesite=strict'), s.setCookie);
    assert.ok(attrs.includes('path=/'), s.setCookie);
    assert.ok(!attrs.includes('secure'), `no Secure over plain HTTP: ${s.setCookie}`);
    assert.match(s.csrf, /^[0-9a-f]{64}$/);
    assert.deepEqual(s.res.json.user, { username: OPERATOR.username, party: null, role: 'operator' });
    assert.match(s.res.headers.get('cache-control'), /private|no-store/);
  });

  test('GET /session returns the user and the CSRF token', async () => {
    const s = await login(url, DELEGATE.username, DELEGATE.password);
    const r = await req(url, '/api/v1/session', { cookie: s.cookie });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.user, { username: DELEGATE.username, party: 'IDN', role: 'delegate' });
    assert.equal(r.json.csrf_token, s.csrf);
  });

  test('a write with the cookie needs X-CSRF-Token', async () => {
    const s = await login(url, DELEGATE.username, DELEGATE.password);
    const size = await logSize(url);
    const no = await req(url, '/api/v1/tokens', { json: { name: 'csrf-less' }, cookie: s.cookie });
    assertProblem(no, 403, 'csrf');
    const wrong = await req(url, '/api/v1/tokens', { json: { name: 'csrf-wrong' }, cookie: s.cookie, csrf: 'a'.repeat(64) });
    assertProblem(wrong, 403, 'csrf');
    const other = await login(url, OPERATOR.username, OPERATOR.password);
    const crossed = await req(url, '/api/v1/tokens', { json: { name: 'csrf-crossed' }, cookie: s.cookie, csrf: other.csrf });
    assertProblem(crossed, 403, 'csrf');
    assert.equal(await logSize(url), size, 'nothing was written');
    const ok = await req(url, '/api/v1/tokens', { json: { name: 'csrf-ok' }, cookie: s.cookie, csrf: s.csrf });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(await logSize(url), size + 1);
  });

  test('sign-out needs the CSRF token, then clears the cookie and ends the session', async () => {
    const s = await login(url, DELEGATE.username, DELEGATE.password);
    const no = await req(url, '/api/v1/session', { method: 'DELETE', cookie: s.cookie });
    assertProblem(no, 403, 'csrf');
    assert.equal((await req(url, '/api/v1/session', { cookie: s.cookie })).status, 200, 'still signed in');
    const out = await req(url, '/api/v1/session', { method: 'DELETE', cookie: s.cookie, csrf: s.csrf });
    assert.equal(out.status, 204);
    const cleared = out.headers.get('set-cookie') || '';
    assert.match(cleared, /^detente_session=;/);
    assert.match(cleared, /Max-Age=0/i);
    const after = await req(url, '/api/v1/session', { cookie: s.cookie });
    assertProblem(after, 401, 'unauthorized');
    const write = await req(url, '/api/v1/tokens', { json: { name: 'late' }, cookie: s.cookie, csrf: s.csrf });
    assertProblem(write, 401, 'unauthorized');
  });

  test('a wrong password or an unknown user is 401, without a cookie', async () => {
    const r = await req(url, '/api/v1/session', { json: { username: OPERATOR.username, password: 'not-the-password' } });
    assertProblem(r, 401, 'unauthorized');
    assert.equal(r.headers.get('set-cookie'), null);
    const u = await req(url, '/api/v1/session', { json: { username: 'nobody-here', password: 'whatever-password' } });
    assertProblem(u, 401, 'unauthorized');
    assert.equal(u.json.detail, r.json.detail, 'the same answer for an unknown user');
    const forged = await req(url, '/api/v1/session', { cookie: `detente_session=${'0'.repeat(64)}` });
    assertProblem(forged, 401, 'unauthorized');
  });

  test('5 wrong passwords for one account: then 429 with Retry-After, even with the right one', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await req(url, '/api/v1/session', { json: { username: VICTIM.username, password: `wrong-password-${i}` } });
      assertProblem(r, 401, 'unauthorized');
    }
    const locked = await req(url, '/api/v1/session', { json: { username: VICTIM.username, password: VICTIM.password } });
    assertProblem(locked, 429, 'rate-limited');
    const ra = locked.headers.get('retry-after');
    assert.ok(ra !== null, 'a Retry-After header');
    assert.ok(Number(ra) > 0, `Retry-After ${ra}`);
    assert.equal(locked.headers.get('set-cookie'), null);
    // other accounts are not locked
    await login(url, OPERATOR.username, OPERATOR.password);
  });
});

describe('API tokens', () => {
  let s;
  let tok;

  before(async () => {
    s = await login(url, DELEGATE.username, DELEGATE.password);
  });

  test('create: dtk_ token shown once, then listed without its secret', async () => {
    const r = await req(url, '/api/v1/tokens', { json: { name: 'laptop' }, cookie: s.cookie, csrf: s.csrf });
    assert.equal(r.status, 201, r.text);
    assert.match(r.json.token, /^dtk_[0-9a-f]{64}$/);
    assert.match(r.json.id, /^tok-[0-9a-f]{16}$/);
    assert.equal(r.json.name, 'laptop');
    assert.ok(Number.isInteger(r.json.index));
    assert.match(r.json.leaf_hash, /^[A-Za-z0-9+/]{43}=$/);
    tok = r.json;
    const list = await req(url, '/api/v1/tokens', { cookie: s.cookie });
    assert.equal(list.status, 200);
    const mine = list.json.items.find((t) => t.id === tok.id);
    assert.ok(mine, 'listed');
    assert.equal(mine.name, 'laptop');
    assert.equal(mine.revoked_ms, null);
    assert.ok(!list.text.includes(tok.token), 'the secret is not in the list');
    assert.ok(!list.text.includes(tok.token.slice(4)), 'nor its hex part');
    assert.ok(!Object.keys(mine).includes('token'));
    // the log entry of token.create does not hold the secret either
    const e = await req(url, `/api/v1/log/entries?start=${tok.index}&end=${tok.index + 1}`, { cookie: s.cookie });
    assert.equal(e.status, 200);
    assert.ok(!e.text.includes(tok.token.slice(4)), 'the secret is not in the log');
    assert.ok(!Buffer.from(e.json.items[0].entry || '', 'base64').toString().includes(tok.token.slice(4)));
  });

  test('the token works as a bearer token; it lists only its user’s tokens', async () => {
    const me = await req(url, '/api/v1/session', { token: tok.token });
    assert.equal(me.status, 200);
    assert.equal(me.json.user.username, DELEGATE.username);
    assert.equal(me.json.csrf_token, null);
    const list = await req(url, '/api/v1/tokens', { token: tok.token });
    assert.equal(list.status, 200);
    assert.ok(list.json.items.some((t) => t.id === tok.id));
    const op = await login(url, OPERATOR.username, OPERATOR.password);
    const opList = await req(url, '/api/v1/tokens', { cookie: op.cookie });
    assert.ok(!opList.json.items.some((t) => t.id === tok.id), 'not in another user’s list');
    // no CSRF token needed with a bearer token
    const t2 = await req(url, '/api/v1/tokens', { json: { name: 'from-bearer' }, token: tok.token });
    assert.equal(t2.status, 201, t2.text);
  });

  test('revoking someone else’s token is refused; an unknown one is 404', async () => {
    const op = await login(url, OPERATOR.username, OPERATOR.password);
    const opTok = await req(url, '/api/v1/tokens', { json: { name: 'operator-token' }, cookie: op.cookie, csrf: op.csrf });
    assert.equal(opTok.status, 201);
    const size = await logSize(url);
    const r = await req(url, `/api/v1/tokens/${opTok.json.id}`, { method: 'DELETE', token: tok.token });
    assert.ok([403, 404].includes(r.status), `got ${r.status}`);
    assertProblem(r, r.status, r.status === 403 ? 'forbidden' : 'not-found');
    assert.equal(await logSize(url), size);
    assert.equal((await req(url, '/api/v1/session', { token: opTok.json.token })).status, 200, 'still valid');
    const u = await req(url, '/api/v1/tokens/tok-0000000000000000', { method: 'DELETE', token: tok.token });
    assertProblem(u, 404, 'not-found');
    const bad = await req(url, '/api/v1/tokens/NOT_A_SLUG', { method: 'DELETE', token: tok.token });
    assertProblem(bad, 404, 'not-found');
  });

  test('revoke: 204, then the token is 401 and listed as revoked; revoking again is 404', async () => {
    const r = await req(url, `/api/v1/tokens/${tok.id}`, { method: 'DELETE', cookie: s.cookie, csrf: s.csrf });
    assert.equal(r.status, 204, r.text);
    const me = await req(url, '/api/v1/session', { token: tok.token });
    assertProblem(me, 401, 'unauthorized');
    const list = await req(url, '/api/v1/tokens', { cookie: s.cookie });
    const mine = list.json.items.find((t) => t.id === tok.id);
    assert.ok(mine && Number.isInteger(mine.revoked_ms), 'listed as revoked');
    const again = await req(url, `/api/v1/tokens/${tok.id}`, { method: 'DELETE', cookie: s.cookie, csrf: s.csrf });
    assertProblem(again, 404, 'not-found');
  });

  test('an operator may revoke another user’s token', async () => {
    const t = await req(url, '/api/v1/tokens', { json: { name: 'to-be-revoked' }, cookie: s.cookie, csrf: s.csrf });
    assert.equal(t.status, 201);
    const op = await login(url, OPERATOR.username, OPERATOR.password);
    const r = await req(url, `/api/v1/tokens/${t.json.id}`, { method: 'DELETE', cookie: op.cookie, csrf: op.csrf });
    assert.equal(r.status, 204, r.text);
    assertProblem(await req(url, '/api/v1/session', { token: t.json.token }), 401, 'unauthorized');
  });
});

describe('users', () => {
  test('an operator lists and enrols users; the new user can sign in', async () => {
    const op = await login(url, OPERATOR.username, OPERATOR.password);
    const list = await req(url, '/api/v1/users', { cookie: op.cookie });
    assert.equal(list.status, 200);
    const names = list.json.items.map((u) => u.username);
    for (const u of [OPERATOR, DELEGATE, VICTIM]) assert.ok(names.includes(u.username), u.username);
    assert.ok(!list.text.includes('argon2'), 'no password hashes');
    const size = await logSize(url);
    const r = await req(url, '/api/v1/users', {
      json: { username: 'new-delegate', password: 'new-delegate-pw-1', role: 'delegate', party: 'FRA', display_name: 'New' },
      cookie: op.cookie,
      csrf: op.csrf,
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.username, 'new-delegate');
    assert.equal(r.json.role, 'delegate');
    assert.equal(r.json.party, 'FRA');
    assert.equal(r.json.password, undefined, 'the password is not echoed');
    assert.ok(!r.text.includes('new-delegate-pw-1'));
    assert.equal(r.json.index, size);
    assert.match(r.json.leaf_hash, /^[A-Za-z0-9+/]{43}=$/);
    assert.ok(!Number.isNaN(Date.parse(r.json.time)));
    const s = await login(url, 'new-delegate', 'new-delegate-pw-1');
    assert.deepEqual(s.res.json.user, { username: 'new-delegate', party: 'FRA', role: 'delegate' });
    const dup = await req(url, '/api/v1/users', {
      json: { username: 'new-delegate', password: 'another-password', role: 'observer' },
      cookie: op.cookie,
      csrf: op.csrf,
    });
    assertProblem(dup, 409, 'conflict');
    const short = await req(url, '/api/v1/users', {
      json: { username: 'short-pw', password: 'short', role: 'observer' },
      cookie: op.cookie,
      csrf: op.csrf,
    });
    assertProblem(short, 400, 'validation');
    const role = await req(url, '/api/v1/users', {
      json: { username: 'bad-role', password: 'long-enough-pw', role: 'king' },
      cookie: op.cookie,
      csrf: op.csrf,
    });
    assertProblem(role, 400, 'validation');
    const noParty = await req(url, '/api/v1/users', {
      json: { username: 'no-such-party', password: 'long-enough-pw', role: 'delegate', party: 'XQZ' },
      cookie: op.cookie,
      csrf: op.csrf,
    });
    assertProblem(noParty, 400, 'unknown-reference');
    assert.equal(await logSize(url), size + 1, 'only the good request was logged');
  });

  test('a delegate may neither list nor enrol users (403)', async () => {
    const s = await login(url, DELEGATE.username, DELEGATE.password);
    const size = await logSize(url);
    assertProblem(await req(url, '/api/v1/users', { cookie: s.cookie }), 403, 'forbidden');
    const r = await req(url, '/api/v1/users', {
      json: { username: 'sneaky-op', password: 'sneaky-password', role: 'operator' },
      cookie: s.cookie,
      csrf: s.csrf,
    });
    assertProblem(r, 403, 'forbidden');
    assert.equal(await logSize(url), size);
    assert.equal((await req(url, '/api/v1/session', { json: { username: 'sneaky-op', password: 'sneaky-password' } })).status, 401);
  });
});

describe('acts', () => {
  test('an operator registers a party: 201 with index and leaf_hash, shown in the log and the record', async () => {
    const op = await login(url, OPERATOR.username, OPERATOR.password);
    const size = await logSize(url);
    const body = {
      code: 'XTS',
      name: 'Testland',
      kind: 'state',
      alpha2: null,
      un_group: 'WEOG',
      admitted: '2030-01-01',
      description: 'A party made by the API tests.',
      sources: SOURCES,
    };
    const r = await req(url, '/api/v1/acts', { json: { type: 'party.register', body }, cookie: op.cookie, csrf: op.csrf });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.type, 'party.register');
    assert.equal(r.json.index, size);
    assert.match(r.json.leaf_hash, /^[A-Za-z0-9+/]{43}=$/);
    assert.match(r.json.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    assert.equal(await logSize(url), size + 1);

    const e = await req(url, `/api/v1/log/entries?start=${r.json.index}&end=${r.json.index + 1}`);
    assert.equal(e.status, 200);
    assert.equal(e.json.items.length, 1);
    const entry = e.json.items[0];
    assert.equal(entry.index, r.json.index);
    assert.equal(entry.leaf_hash, r.json.leaf_hash);
    assert.equal(entry.type, 'party.register');
    assert.equal(entry.user, OPERATOR.username);
    assert.equal(entry.tlp, 'TLP:CLEAR');
    assert.equal(entry.act.type, 'party.register');
    assert.deepEqual(entry.act.body, body);
    assert.equal(entry.act.user, OPERATOR.username);

    const p = await req(url, '/api/v1/parties/XTS');
    assert.equal(p.status, 200);
    assert.equal(p.json.name, 'Testland');
    assert.equal(p.json.log_idx, r.json.index);
    const again = await req(url, '/api/v1/acts', { json: { type: 'party.register', body }, cookie: op.cookie, csrf: op.csrf });
    assertProblem(again, 409, 'conflict');
  });
});
