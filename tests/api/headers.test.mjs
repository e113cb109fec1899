// Security headers on API, static and error responses; ETag and 304.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { rawRequest, req, startServer } from './_helpers.mjs';

let srv;
let url;

before(async () => {
  srv = await startServer({ demo: true });
  url = srv.url;
});
after(async () => {
  await srv?.stop();
});

function assertSecurityHeaders(res, what) {
  const csp = res.headers.get('content-security-policy');
  assert.ok(csp, `${what}: a Content-Security-Policy`);
  const directives = Object.fromEntries(
    csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
      const [k, ...v] = d.split(/\s+/);
      return [k, v.join(' ')];
    }),
  );
  assert.equal(directives['frame-ancestors'], "'none'", `${what}: frame-ancestors 'none' in ${csp}`);
  assert.ok(directives['default-src'], `${what}: default-src`);
  assert.ok(!/unsafe-inline|unsafe-eval/.test(directives['script-src'] || directives['default-src']), `${what}: no unsafe scripts`);
  assert.equal(directives['object-src'], "'none'");
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.equal(res.headers.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
  assert.equal(res.headers.get('strict-transport-security'), null, `${what}: no HSTS over plain HTTP`);
}

test('API responses carry the security headers', async () => {
  for (const path of ['/api/v1/health', '/api/v1/parties?limit=1', '/api/v1/instruments/a-70-174', '/api/v1/log/checkpoint']) {
    const r = await req(url, path);
    assert.equal(r.status, 200, path);
    assertSecurityHeaders(r, path);
    assert.match(r.headers.get('cache-control') || '', /no-cache|no-store/, `${path}: Cache-Control`);
  }
});

test('error responses carry them too', async () => {
  for (const [path, opts, status] of [
    ['/api/v1/nowhere', {}, 404],
    ['/api/v1/parties', { method: 'DELETE' }, 405],
    ['/api/v1/tokens', {}, 401],
    ['/api/v1/parties?limit=0', {}, 400],
  ]) {
    const r = await req(url, path, opts);
    assert.equal(r.status, status, path);
    assertSecurityHeaders(r, `${status} ${path}`);
    assert.match(r.headers.get('cache-control') || '', /private|no-store/, `${path}: an error is not cached by proxies`);
  }
});

test('static responses carry them too', async () => {
  const r = await req(url, '/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assertSecurityHeaders(r, '/');
  const deep = await req(url, '/parties/IDN');
  assert.equal(deep.status, 200, 'a deep link is the single page');
  assertSecurityHeaders(deep, '/parties/IDN');
  const missing = await req(url, '/no-such-file.js');
  assert.equal(missing.status, 404);
  assertSecurityHeaders(missing, '/no-such-file.js');
});

test('static paths cannot escape the web directory', async () => {
  const index = (await req(url, '/')).text;
  for (const path of [
    '/../meson.build',
    '/..%2fmeson.build',
    '/%2e%2e/meson.build',
    '/.git/config',
    '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/js/../../meson.build',
    '/js/..%2f..%2fmeson.build',
    '/.%2e/.%2e/meson.build',
  ]) {
    const r = await rawRequest(url, path);
    assert.ok(r.status === 404 || (r.status === 200 && r.text === index), `${path} -> ${r.status} ${r.text.slice(0, 80)}`);
    assert.ok(!r.text.includes('project(') && !r.text.includes('root:'), `${path} leaked a file`);
  }
});

test('GET answers carry a strong ETag; If-None-Match gives 304', async () => {
  for (const path of ['/api/v1/parties/IDN', '/api/v1/stats', '/api/v1/parties?limit=3']) {
    const r = await req(url, path);
    assert.equal(r.status, 200);
    const etag = r.headers.get('etag');
    assert.match(etag || '', /^"[^"]+"$/, `${path}: a strong ETag, got ${etag}`);
    const again = await req(url, path);
    assert.equal(again.headers.get('etag'), etag, 'stable');
    const nm = await req(url, path, { headers: { 'If-None-Match': etag } });
    assert.equal(nm.status, 304, `${path}: 304 with If-None-Match`);
    assert.equal(nm.text, '', '304 has no body');
    assert.equal(nm.headers.get('etag'), etag);
    const list = await req(url, path, { headers: { 'If-None-Match': `"nope", ${etag}` } });
    assert.equal(list.status, 304, 'a list of validators');
    const other = await req(url, path, { headers: { 'If-None-Match': '"0000"' } });
    assert.equal(other.status, 200, 'a stale validator gets the document');
    assert.ok(other.json);
  }
  const a = await req(url, '/api/v1/parties/IDN');
  const b = await req(url, '/api/v1/parties/USA');
  assert.notEqual(a.headers.get('etag'), b.headers.get('etag'));
});

test('HEAD answers like GET without a body', async () => {
  const g = await req(url, '/api/v1/health');
  const h = await req(url, '/api/v1/health', { method: 'HEAD' });
  assert.equal(h.status, 200);
  assert.equal(h.text, '');
  assert.equal(h.headers.get('etag'), g.headers.get('etag'));
});
