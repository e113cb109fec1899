// Served over TLS (libmicrohttpd with GnuTLS): the session cookie is
// Secure and answers carry Strict-Transport-Security.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request } from 'node:https';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { run, serve } from '../lib/server.mjs';

let dir;
let db;
let srv;
let ca;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'detente-tls-'));
  db = join(dir, 'tls.db');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ed25519', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'cert.key'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  ca = readFileSync(join(dir, 'cert.pem'));
  await run(['init', '--db', db]);
  await run(['user', 'add', 'tlsuser', '--role', 'delegate', '--db', db], { input: 'tls-user-password\n' });
});

after(async () => {
  await srv?.stop();
  await rm(dir, { recursive: true, force: true });
});

function get(url, path, { method = 'GET', body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url + path, { method, ca, headers: body ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('TLS: HSTS on every answer and a Secure session cookie', async () => {
  srv = await serve(db, { args: ['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'cert.key')] });
  assert.match(srv.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const h = await get(srv.url, '/api/v1/health');
  assert.equal(h.status, 200);
  assert.match(h.headers['strict-transport-security'], /max-age=\d+/);
  const s = await get(srv.url, '/api/v1/session', { method: 'POST', body: JSON.stringify({ username: 'tlsuser', password: 'tls-user-password' }) });
  assert.equal(s.status, 200, s.text);
  const cookie = [].concat(s.headers['set-cookie'])[0];
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(cookie, /; Secure/);
});

test('a TLS certificate without its key is bad usage', async () => {
  await assert.rejects(run(['serve', '--db', db, '--listen', '127.0.0.1:0', '--tls-cert', join(dir, 'cert.pem')]), /give both --tls-cert and --tls-key/);
});
