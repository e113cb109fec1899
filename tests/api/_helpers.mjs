// Helpers shared by the API tests: HTTP requests (fetch, and node:http where
// fetch cannot express the request), problem-document checks, sign-in.
// The server itself is started by tests/lib/server.mjs (startServer).
// req() differs from tests/lib's api(): it sends a body without adding a
// Content-Type (for the 415 tests) and gives {status, headers, text, json}.
import assert from 'node:assert/strict';
import http from 'node:http';

import { detenteBin } from '../lib/server.mjs';

export { startServer } from '../lib/server.mjs';

/** The binary under test: $DETENTE_BIN, else build/detente. */
export const BIN = detenteBin();

export const PROBLEM = 'urn:detente:problem:';

/** Strips the trailing slash of a server URL. */
export function base(url) {
  return String(url).replace(/\/+$/, '');
}

/**
 * One request.  opts: method, headers, json (an object sent as JSON),
 * body (raw), token (bearer), cookie, csrf.  Answers {status, headers, text,
 * json} (json is null when the body is not JSON).
 */
export async function req(url, path, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['Content-Type'] = 'application/json';
  }
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.Cookie = opts.cookie;
  if (opts.csrf) headers['X-CSRF-Token'] = opts.csrf;
  const res = await fetch(base(url) + path, {
    method: opts.method || (body !== undefined ? 'POST' : 'GET'),
    headers,
    body,
    redirect: 'manual',
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * A request through node:http, for what fetch refuses to send (a body on a
 * GET) or chokes on (a server that answers before reading a large body).
 * Answers {status, headers, text, json}.
 */
export function rawRequest(url, path, { method = 'GET', headers = {}, body } = {}) {
  const u = new URL(base(url)); // the path is sent as is, not normalised
  headers = { ...headers };
  // node:http sends a GET's body without Content-Length unless told.
  if (body !== undefined && !Object.keys(headers).some((h) => /^(content-length|transfer-encoding)$/i.test(h)))
    headers['Content-Length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: u.hostname, port: u.port, path, method, headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let json = null;
          try {
            json = JSON.parse(text);
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    // The server may answer and close before it reads the whole body (413):
    // a failed write is not a failed test, a missing answer is.
    r.on('error', (e) => {
      if (!['EPIPE', 'ECONNRESET'].includes(e.code)) reject(e);
    });
    if (body !== undefined) r.end(body);
    else r.end();
  });
}

/** Asserts that res is an RFC 9457 problem document of status and type. */
export function assertProblem(res, status, type) {
  const where = `${status} ${type}: got ${res.status} ${res.text.slice(0, 300)}`;
  assert.equal(res.status, status, where);
  const ct = typeof res.headers.get === 'function' ? res.headers.get('content-type') : res.headers['content-type'];
  assert.match(ct || '', /^application\/problem\+json/, `Content-Type of ${where}`);
  assert.ok(res.json && typeof res.json === 'object', `a JSON body: ${where}`);
  assert.equal(typeof res.json.type, 'string', where);
  assert.equal(typeof res.json.title, 'string', where);
  assert.ok(res.json.title.length > 0, where);
  assert.equal(res.json.status, status, where);
  assert.equal(typeof res.json.detail, 'string', where);
  assert.ok(res.json.detail.length > 0, where);
  if (type) assert.equal(res.json.type, PROBLEM + type, where);
  return res.json;
}

/** The log's size, from /api/v1/health. */
export async function logSize(url) {
  const r = await req(url, '/api/v1/health');
  assert.equal(r.status, 200);
  assert.equal(typeof r.json.log_size, 'number');
  return r.json.log_size;
}

/** Signs in; answers {cookie, csrf, res}. */
export async function login(url, username, password) {
  const res = await req(url, '/api/v1/session', { json: { username, password } });
  assert.equal(res.status, 200, `sign-in of ${username}: ${res.text}`);
  const setCookie = res.headers.get('set-cookie') || '';
  const m = setCookie.match(/detente_session=([^;]*)/);
  assert.ok(m, `a session cookie in ${setCookie}`);
  return { cookie: `detente_session=${m[1]}`, csrf: res.json.csrf_token, setCookie, res };
}

/** Signs in and creates an API token; answers the secret. */
export async function makeToken(url, username, password, name = 'test') {
  const s = await login(url, username, password);
  const res = await req(url, '/api/v1/tokens', { json: { name }, cookie: s.cookie, csrf: s.csrf });
  assert.equal(res.status, 201, res.text);
  return res.json.token;
}

/** Fetches every page of a list by following next. */
export async function walk(url, path, limit) {
  const items = [];
  const cursors = [];
  let after = null;
  for (let pages = 0; pages < 1000; pages++) {
    const sep = path.includes('?') ? '&' : '?';
    const q = `${sep}limit=${limit}` + (after === null ? '' : `&after=${encodeURIComponent(after)}`);
    const r = await req(url, path + q);
    assert.equal(r.status, 200, `${path}${q}: ${r.text}`);
    assert.ok(Array.isArray(r.json.items));
    assert.ok(r.json.items.length <= limit, 'a page holds at most limit items');
    items.push(...r.json.items);
    if (r.json.next === null) return { items, pages: pages + 1, cursors };
    assert.equal(r.json.items.length, limit, 'a page before the last is full');
    cursors.push(r.json.next);
    after = r.json.next;
  }
  throw new Error('more than 1000 pages');
}

/** Sources of a record: at least one, each with a title. */
export function assertSources(rec, what) {
  assert.ok(Array.isArray(rec.sources), `${what} has sources`);
  assert.ok(rec.sources.length >= 1, `${what} has at least one source`);
  for (const s of rec.sources) {
    assert.equal(typeof s.title, 'string', `${what}: a source has a title`);
    assert.ok(s.title.length > 0);
    if (s.url !== undefined && s.url !== null) assert.match(s.url, /^https?:\/\/\S+$/, `${what}: source url`);
  }
}

/** Minimal sources for acts the tests submit. */
export const SOURCES = [{ title: 'API test', url: 'https://example.org/test' }];

/** Parses RFC 4180 text strictly: CRLF records, quoted fields. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
        assert.ok([',', '\r', undefined].includes(text[i]), `a quote ends a field at ${i}`);
      } else {
        field += c;
        i++;
      }
    } else if (c === '"') {
      assert.equal(field, '', `a quote opens a field at ${i}`);
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r') {
      assert.equal(text[i + 1], '\n', `CRLF at ${i}`);
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      assert.notEqual(c, '\n', `a bare LF only inside quotes, at ${i}`);
      field += c;
      i++;
    }
  }
  assert.equal(field, '', 'the text ends with CRLF');
  assert.equal(row.length, 0);
  return rows;
}
