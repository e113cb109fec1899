// Bad input: each request gets an RFC 9457 problem document of the right
// status and type, and changes nothing (the log's size stays the same).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { SOURCES, assertProblem, logSize, makeToken, rawRequest, req, startServer } from './_helpers.mjs';

const OPERATOR = { username: 'err-operator', password: 'operator-password-1', role: 'operator' };
const DELEGATE = { username: 'err-delegate', password: 'delegate-password-1', role: 'delegate', party: 'USA' };

let srv;
let url;
let opToken;
let delToken;

before(async () => {
  srv = await startServer({ demo: true, users: [OPERATOR, DELEGATE] });
  url = srv.url;
  opToken = await makeToken(url, OPERATOR.username, OPERATOR.password, 'errors-op');
  delToken = await makeToken(url, DELEGATE.username, DELEGATE.password, 'errors-del');
});
after(async () => {
  await srv?.stop();
});

/** Runs send(), checks the problem, and that the log did not grow. */
async function refused(status, type, send) {
  const before = await logSize(url);
  const res = await send();
  const doc = assertProblem(res, status, type);
  assert.equal(await logSize(url), before, 'the refused request changed nothing');
  return { res, doc };
}

const party = (over = {}) => ({
  type: 'party.register',
  body: { code: 'XTA', name: 'Testland A', kind: 'state', un_group: 'WEOG', sources: SOURCES, ...over },
});

const act = (json, token = opToken) => req(url, '/api/v1/acts', { json, token });

describe('routing', () => {
  test('an unknown API route is 404 not-found', async () => {
    const { doc } = await refused(404, 'not-found', () => req(url, '/api/v1/nowhere'));
    assert.equal(doc.instance, '/api/v1/nowhere');
    await refused(404, 'not-found', () => req(url, '/api/v2/health'));
    await refused(404, 'not-found', () => req(url, '/api/v1/parties/USA/extra'));
  });

  test('paths and queries that are not UTF-8 get a problem, and the server stays up', async () => {
    // A detail cut mid-character (%.64s of a 65-byte id) and bytes that are
    // not UTF-8 once percent-decoded: jansson refuses such strings.
    const { doc } = await refused(404, 'not-found', () => req(url, `/api/v1/keys/${'a'.repeat(63)}%C3%A9`));
    assert.doesNotThrow(() => JSON.stringify(doc));
    await refused(404, 'not-found', () => req(url, '/api/v1/keys/%ff'));
    await refused(404, 'not-found', () => req(url, '/api/v1/nowhere%ff%fe'));
    await refused(404, 'not-found', () => req(url, '/api/v1/parties/%C3'));
    for (const path of ['/api/v1/search?q=%ff', '/api/v1/parties?after=%ff', '/api/v1/log/proof/inclusion?leaf_hash=%ff&size=1']) {
      const r = await req(url, path);
      assert.ok([200, 400, 404].includes(r.status), `${path}: ${r.status}`);
    }
    assert.equal((await req(url, '/api/v1/health')).status, 200);
  });

  test('a wrong method is 405 method-not-allowed with an Allow header', async () => {
    const r1 = await refused(405, 'method-not-allowed', () => req(url, '/api/v1/parties', { method: 'DELETE' }));
    assert.equal(r1.res.headers.get('allow'), 'GET');
    const r2 = await refused(405, 'method-not-allowed', () => req(url, '/api/v1/session', { method: 'PUT', body: '{}' }));
    assert.deepEqual(r2.res.headers.get('allow').split(/,\s*/).sort(), ['DELETE', 'GET', 'POST']);
    const r3 = await refused(405, 'method-not-allowed', () => req(url, '/api/v1/acts'));
    assert.equal(r3.res.headers.get('allow'), 'POST');
    const r4 = await refused(405, 'method-not-allowed', () => req(url, '/api/v1/tokens/tok-1', { method: 'GET' }));
    assert.equal(r4.res.headers.get('allow'), 'DELETE');
  });

  test('a wrong method on a web UI path is 405 with an Allow header', async () => {
    // RFC 9110 §15.5.6: a 405 response MUST carry Allow.
    for (const [path, method] of [['/', 'POST'], ['/index.html', 'PUT'], ['/parties/IDN', 'DELETE']]) {
      const { res } = await refused(405, 'method-not-allowed', () => req(url, path, { method, body: method === 'DELETE' ? undefined : 'x' }));
      const allow = res.headers.get('allow');
      assert.ok(allow, `${method} ${path}: an Allow header`);
      assert.ok(allow.split(/,\s*/).includes('GET'), `${method} ${path}: Allow ${allow}`);
    }
  });

  test('a query parameter on a route that takes none is 400 validation', async () => {
    const { doc } = await refused(400, 'validation', () => req(url, '/api/v1/health?x=1'));
    assert.match(doc.detail, /"x"/);
    await refused(400, 'validation', () => req(url, '/api/v1/parties/IDN?limit=1'));
    await refused(400, 'validation', () => req(url, '/api/v1/log/checkpoint?size=3'));
  });

  test('an unknown query parameter next to allowed ones is 400 validation', async () => {
    const { doc } = await refused(400, 'validation', () => req(url, '/api/v1/parties?colour=blue'));
    assert.match(doc.detail, /colour/);
    await refused(400, 'validation', () => req(url, '/api/v1/parties?limit=5&colour=blue'));
    await refused(400, 'validation', () => req(url, '/api/v1/norms?kind=x'));
    await refused(400, 'validation', () => req(url, '/api/v1/search?q=a&page=2'));
    await refused(400, 'validation', () => req(url, '/api/v1/log/entries?start=0&count=5'));
    // a part of an allowed name is not allowed
    await refused(400, 'validation', () => req(url, '/api/v1/parties?lim=5'));
  });
});

describe('lists', () => {
  for (const limit of ['0', 'abc', '999', '-1', '201', '1.5', '', '10abc']) {
    test(`limit=${limit} is 400 validation`, async () => {
      await refused(400, 'validation', () => req(url, `/api/v1/parties?limit=${limit}`));
    });
  }

  test('search: limit over 100, no q, a q over 200 bytes are 400', async () => {
    await refused(400, 'validation', () => req(url, '/api/v1/search?q=a&limit=101'));
    await refused(400, 'validation', () => req(url, '/api/v1/search'));
    await refused(400, 'validation', () => req(url, '/api/v1/search?q='));
    await refused(400, 'validation', () => req(url, `/api/v1/search?q=${'a'.repeat(201)}`));
  });

  test('a bad cursor is 400 validation', async () => {
    await refused(400, 'validation', () => req(url, '/api/v1/parties?after=not%20a%20code'));
    await refused(400, 'validation', () => req(url, '/api/v1/parties?after=usa'));
    await refused(400, 'validation', () => req(url, '/api/v1/forums?after=UN-GA'));
    await refused(400, 'validation', () => req(url, '/api/v1/instruments?after=A%2F70%2F174'));
    await refused(400, 'validation', () => req(url, '/api/v1/timeline?after=garbage'));
    await refused(400, 'validation', () => req(url, '/api/v1/timeline?after=2015-13-01%7Ci%7Ca-70-174'));
    await refused(400, 'validation', () => req(url, '/api/v1/timeline?after=2015%7Cx%7Ca-70-174'));
  });

  test('a well-formed cursor that no page gave is 400, not an empty last page', async () => {
    await refused(400, 'validation', () => req(url, '/api/v1/parties?after=ZZZ'));
    await refused(400, 'validation', () => req(url, '/api/v1/instruments?after=no-such-instrument'));
    await refused(400, 'validation', () => req(url, '/api/v1/forums?after=no-such-forum'));
  });

  test('a bad filter is 400 validation', async () => {
    await refused(400, 'validation', () => req(url, '/api/v1/parties?group=Nordic'));
    await refused(400, 'validation', () => req(url, '/api/v1/parties?kind=Bad%20Kind'));
    await refused(400, 'validation', () => req(url, '/api/v1/instruments?forum=UN%20GA'));
  });

  test('unknown records are 404 not-found', async () => {
    await refused(404, 'not-found', () => req(url, '/api/v1/parties/ZZZ'));
    await refused(404, 'not-found', () => req(url, '/api/v1/parties/lowercase'));
    await refused(404, 'not-found', () => req(url, '/api/v1/forums/no-such-forum'));
    await refused(404, 'not-found', () => req(url, '/api/v1/instruments/no-such-instrument'));
    await refused(404, 'not-found', () => req(url, '/api/v1/norms/gge2015-z'));
  });
});

describe('bodies', () => {
  test('malformed JSON is 400 malformed', async () => {
    for (const body of ['{', '{"type": }', 'nul', '{"a":1} x', '', '[]', '"party.register"', '{"a":"\u0000"}'.replace('\u0000', '\\u0000')]) {
      await refused(400, 'malformed', () =>
        req(url, '/api/v1/acts', { body, token: opToken, headers: { 'Content-Type': 'application/json' } }),
      );
    }
  });

  test('JSON nested deeper than 16 is 400 malformed; 16 deep is read', async () => {
    const nest = (n) => '{"a":'.repeat(n - 1) + '{}' + '}'.repeat(n - 1);
    const send = (n) =>
      req(url, '/api/v1/acts', { body: nest(n), token: opToken, headers: { 'Content-Type': 'application/json' } });
    await refused(400, 'malformed', () => send(17));
    await refused(400, 'malformed', () => send(200));
    // 16 levels parse; the frame then fails validation instead
    await refused(400, 'validation', () => send(16));
    const deepArray = '{"type":"party.register","body":' + '['.repeat(40) + ']'.repeat(40) + '}';
    await refused(400, 'malformed', () =>
      req(url, '/api/v1/acts', { body: deepArray, token: opToken, headers: { 'Content-Type': 'application/json' } }),
    );
  });

  test('duplicate keys are 400 malformed', async () => {
    const body = '{"type":"party.register","type":"norm.define","body":{}}';
    await refused(400, 'malformed', () =>
      req(url, '/api/v1/acts', { body, token: opToken, headers: { 'Content-Type': 'application/json' } }),
    );
    const inner = JSON.stringify(party()).replace('"code":"XTA"', '"code":"XTA","code":"XTB"');
    await refused(400, 'malformed', () =>
      req(url, '/api/v1/acts', { body: inner, token: opToken, headers: { 'Content-Type': 'application/json' } }),
    );
    await refused(400, 'malformed', () =>
      req(url, '/api/v1/session', {
        body: '{"username":"a","username":"b","password":"x"}',
        headers: { 'Content-Type': 'application/json' },
      }),
    );
  });

  test('an unknown field is 400 validation', async () => {
    await refused(400, 'validation', () => act({ ...party(), extra: 1 }));
    const { doc } = await refused(400, 'validation', () => act(party({ colour: 'blue' })));
    assert.match(doc.detail, /colour/);
    await refused(400, 'validation', () =>
      req(url, '/api/v1/session', { json: { username: 'x', password: 'y', remember: true } }),
    );
    await refused(400, 'validation', () => req(url, '/api/v1/tokens', { json: { name: 'x', scope: 'all' }, token: opToken }));
  });

  test('a wrong type is 400 validation', async () => {
    await refused(400, 'validation', () => act(party({ name: 5 })));
    await refused(400, 'validation', () => act(party({ sources: 'a source' })));
    await refused(400, 'validation', () => act(party({ kind: 'empire' })));
    await refused(400, 'validation', () => act({ type: 5, body: {} }));
    await refused(400, 'validation', () => act({ type: 'party.register', body: [] }));
    await refused(400, 'validation', () => act({ type: 'party.register' }));
    await refused(400, 'validation', () => req(url, '/api/v1/session', { json: { username: 'x', password: 7 } }));
    await refused(400, 'validation', () => req(url, '/api/v1/tokens', { json: { name: ['x'] }, token: opToken }));
  });

  test('an over-long string or list is 400 validation', async () => {
    await refused(400, 'validation', () => act(party({ name: 'x'.repeat(201) })));
    await refused(400, 'validation', () => act(party({ description: 'x'.repeat(4001) })));
    await refused(400, 'validation', () => act(party({ sources: Array(21).fill(SOURCES[0]) })));
    await refused(400, 'validation', () => act(party({ sources: [] })));
    // (the act type's length is not checked as such: an over-long one is an unknown type)
    await refused(400, null, () => act({ type: 'x'.repeat(65), body: {} }));
    await refused(400, 'validation', () => req(url, '/api/v1/session', { json: { username: 'u'.repeat(65), password: 'y' } }));
    await refused(400, 'validation', () => req(url, '/api/v1/tokens', { json: { name: 'n'.repeat(101) }, token: opToken }));
  });

  test('a body over the cap is 413 too-large (300 KiB to /acts, 5 KiB to /session)', async () => {
    const big = JSON.stringify(party({ description: 'x'.repeat(300 * 1024) }));
    await refused(413, 'too-large', () =>
      rawRequest(url, '/api/v1/acts', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${opToken}` },
        body: big,
      }),
    );
    await refused(413, 'too-large', () =>
      req(url, '/api/v1/acts', { body: big, token: opToken, headers: { 'Content-Type': 'application/json' } }).catch(
        (e) => {
          throw new Error(`fetch failed on a 413: ${e.cause?.code || e.message}`);
        },
      ),
    );
    const login = JSON.stringify({ username: 'err-operator', password: 'p'.repeat(5 * 1024) });
    await refused(413, 'too-large', () =>
      rawRequest(url, '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: login }),
    );
  });

  test('a chunked body over the cap is 413 too-large', async () => {
    // No Content-Length: the server counts while it reads.
    const { Readable } = await import('node:stream');
    const chunk = Buffer.alloc(64 * 1024, 'x');
    await refused(413, 'too-large', () =>
      fetch(url.replace(/\/$/, '') + '/api/v1/acts', {
        method: 'POST',
        duplex: 'half',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${opToken}` },
        body: Readable.toWeb(Readable.from([Buffer.from('{"type":"party.register","body":{"description":"'), chunk, chunk, chunk, chunk, chunk, Buffer.from('"}}')])),
      }).then(async (r) => {
        const text = await r.text();
        return { status: r.status, headers: r.headers, text, json: JSON.parse(text) };
      }),
    );
  });

  test('a body without Content-Type: application/json is 415 media-type', async () => {
    const body = new TextEncoder().encode(JSON.stringify(party()));
    await refused(415, 'media-type', () => req(url, '/api/v1/acts', { body, token: opToken }));
    await refused(415, 'media-type', () =>
      req(url, '/api/v1/acts', { body: JSON.stringify(party()), token: opToken, headers: { 'Content-Type': 'text/plain' } }),
    );
    await refused(415, 'media-type', () =>
      req(url, '/api/v1/session', {
        body: 'username=a&password=b',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
    );
  });

  test('a Content-Type with parameters is the same type; another type is 415', async () => {
    const r = await req(url, '/api/v1/acts', {
      body: JSON.stringify(party({ code: 'XCH' })),
      token: opToken,
      headers: { 'Content-Type': 'Application/JSON; charset=utf-8' },
    });
    assert.equal(r.status, 201, r.text);
    const { doc } = await refused(415, 'media-type', () =>
      req(url, '/api/v1/acts', { body: JSON.stringify(party()), token: opToken, headers: { 'Content-Type': 'application/jsonx' } }),
    );
    assert.match(doc.detail, /application\/json/);
  });

  test('an Accept header that takes none of the route\'s media types is 406 not-acceptable', async () => {
    const { doc } = await refused(406, 'not-acceptable', () => req(url, '/api/v1/parties', { headers: { Accept: 'text/html' } }));
    assert.match(doc.detail, /application\/json/);
    await refused(406, 'not-acceptable', () => req(url, '/api/v1/health', { headers: { Accept: 'application/json;q=0' } }));
    await refused(406, 'not-acceptable', () => req(url, '/api/v1/log/checkpoint', { headers: { Accept: 'application/json' } }));
    // a write is refused before it is made
    await refused(406, 'not-acceptable', () =>
      req(url, '/api/v1/acts', { json: party({ code: 'XAD' }), token: opToken, headers: { Accept: 'image/png' } }),
    );
    for (const accept of ['*/*', 'application/*', 'application/json', 'text/html, application/json;q=0.5', '']) {
      const r = await req(url, '/api/v1/health', { headers: { Accept: accept } });
      assert.equal(r.status, 200, `Accept: ${accept}`);
      assert.match(r.headers.get('content-type'), /^application\/json/);
    }
    const r = await req(url, '/api/v1/log/checkpoint', { headers: { Accept: 'text/*' } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/plain/);
  });

  test('a body on a GET is 400', async () => {
    const { res } = await refused(400, 'validation', () =>
      rawRequest(url, '/api/v1/health', { method: 'GET', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' }),
    );
    assert.match(res.json.detail, /body/);
    await refused(400, 'validation', () =>
      rawRequest(url, '/api/v1/tokens/tok-0000000000000000', {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${opToken}` },
        body: 'x',
      }),
    );
  });
});

describe('credentials and acts', () => {
  test('no credentials is 401 unauthorized', async () => {
    await refused(401, 'unauthorized', () => act(party(), null));
    await refused(401, 'unauthorized', () => req(url, '/api/v1/tokens'));
    await refused(401, 'unauthorized', () => req(url, '/api/v1/users'));
    await refused(401, 'unauthorized', () => req(url, '/api/v1/session'));
  });

  test('a bad bearer token is 401 unauthorized', async () => {
    for (const t of ['dtk_' + '0'.repeat(64), 'dtk_short', 'nonsense', opToken.slice(0, -1) + (opToken.endsWith('0') ? '1' : '0')]) {
      await refused(401, 'unauthorized', () => act(party(), t));
    }
    await refused(401, 'unauthorized', () =>
      req(url, '/api/v1/tokens', { headers: { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }),
    );
  });

  test('a delegate posting party.register is 403 forbidden', async () => {
    await refused(403, 'forbidden', () => act(party(), delToken));
    await refused(403, 'forbidden', () => req(url, '/api/v1/users', { token: delToken }));
  });

  test('an unknown act type is 400 unknown-act-type', async () => {
    const { doc } = await refused(400, 'unknown-act-type', () => act({ type: 'party.annex', body: {} }));
    assert.match(doc.detail, /party\.annex/);
  });

  test('secret-carrying act types are refused on /acts', async () => {
    await refused(400, 'validation', () =>
      act({ type: 'user.add', body: { username: 'sneaky', role: 'operator' } }),
    );
    await refused(400, 'validation', () => act({ type: 'token.create', body: { id: 'tok-x', name: 'x' } }));
    await refused(400, 'validation', () => act({ type: 'token.revoke', body: { id: 'tok-x' } }));
  });

  test('a record act referring to an unknown party, forum or norm is 400 unknown-reference', async () => {
    await refused(400, 'unknown-reference', () =>
      act({ type: 'membership.add', body: { organisation: 'ASEAN', member: 'XQZ', role: 'member', sources: SOURCES } }),
    );
    await refused(400, 'unknown-reference', () =>
      act({ type: 'membership.add', body: { organisation: 'NOPE', member: 'USA', role: 'member', sources: SOURCES } }),
    );
    await refused(400, 'unknown-reference', () =>
      act({
        type: 'forum.establish',
        body: {
          id: 'test-forum-x',
          name: 'Test forum',
          kind: 'bilateral',
          mandate: 'm',
          membership_rule: 'r',
          decision_rule: 'consensus',
          members: [{ party: 'XQZ', role: 'member' }],
          sources: SOURCES,
        },
      }),
    );
    const inst = {
      id: 'test-instrument-x',
      title: 'Test',
      kind: 'report',
      date: '2020',
      binding: false,
      outcome: 'adopted',
      summary: 's',
      sources: SOURCES,
    };
    await refused(400, 'unknown-reference', () => act({ type: 'instrument.record', body: { ...inst, forum: 'no-such-forum' } }));
    await refused(400, 'unknown-reference', () =>
      act({ type: 'instrument.record', body: { ...inst, norms: [{ norm: 'no-such-norm', relation: 'affirms' }] } }),
    );
  });

  test('instrument.join naming an unknown party is 400 unknown-reference', async () => {
    await refused(400, 'unknown-reference', () =>
      act({
        type: 'instrument.join',
        body: { instrument: 'a-70-174', parties: [{ party: 'XQZ', relation: 'signatory' }], sources: SOURCES },
      }),
    );
  });

  test('instrument.join naming an unknown instrument is 400 unknown-reference', async () => {
    await refused(400, 'unknown-reference', () =>
      act({
        type: 'instrument.join',
        body: { instrument: 'no-such-instrument', parties: [{ party: 'USA', relation: 'signatory' }], sources: SOURCES },
      }),
    );
  });

  test('vote.record naming an unknown party is 400 unknown-reference', async () => {
    await refused(400, 'unknown-reference', () =>
      act({
        type: 'vote.record',
        body: { instrument: 'a-70-174', date: '2015', yes: ['XQZ'], no: [], abstain: [], sources: SOURCES },
      }),
    );
  });

  test('a duplicate party is 409 conflict', async () => {
    await refused(409, 'conflict', () =>
      act(party({ code: 'USA', name: 'United States of America', un_group: 'WEOG' })),
    );
    await refused(409, 'conflict', () => act(party({ code: 'IDN', name: 'Indonesia again' })));
  });

  test('after all that, a valid act is still accepted', async () => {
    const before = await logSize(url);
    const r = await act(party({ code: 'XTZ', name: 'Testland Z' }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.index, before);
    assert.equal(await logSize(url), before + 1);
  });
});
