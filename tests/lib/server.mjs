// Shared helpers for the API and browser tests: start a throw-away Détente
// server on a free port, and call its API.
//
//   import { startServer, api } from '../lib/server.mjs';
//   const srv = await startServer({
//     users: [{ username: 'alice', password: 'correct horse battery', role: 'delegate', party: 'IDN' }],
//   });
//   const r = await api(srv.url, '/api/v1/stats');   // r.status, r.body
//   await srv.stop();
//
// startServer({ demo = true, users = [], data, web, env, args } = {})
//   Makes a temporary directory, runs `detente init [--demo] --db DIR/t.db`
//   (with `--data` when this checkout has data/record, so the record under
//   test is this checkout's), adds each user with
//   `detente user add NAME --role ROLE [--party CODE] --db DIR/t.db`
//   (the password on standard input), then spawns
//   `detente serve --listen 127.0.0.1:0 --db DIR/t.db --web <repo>/web` and
//   waits for its line `detente: serving http://127.0.0.1:PORT/`; `args`
//   are more arguments to serve (['--threads', '1']).
//   Resolves to { url, dbPath, dir, proc, stop() }:
//     url     "http://127.0.0.1:PORT" (no trailing slash)
//     dbPath  the database file; the log key is next to it (t.key)
//     stop()  sends SIGTERM, waits for the exit (SIGKILL after 5 s) and
//             removes the directory; safe to call twice.
//   The binary is $DETENTE_BIN, else <repo>/build/detente.  $DETENTE_DATA
//   and $DETENTE_WEB override the record and web directories.
//
// serve(dbPath, { key, web, env, args } = {})
//   Serves an existing database and log key (default: next to the database),
//   for tests that make their own with run() or stop and restart a server
//   over the same files:
//   spawns `detente serve --listen 127.0.0.1:0 --db DB [--key KEY] --web DIR`
//   and resolves to { url, proc, stop() } once it is ready.  stop() ends the
//   process only; the files are the caller's.
//
// run(args, { input, env })
//   Runs `detente ARGS...` to completion with `input` on standard input;
//   resolves to { stdout, stderr }, rejects (with stderr) on a non-zero exit.
//
// api(url, path, { method, body, headers, token, cookie, csrf })
//   fetch() with JSON in and out.  `body` (an object) is sent as JSON;
//   `token` becomes `Authorization: Bearer ...`; `cookie` is sent as the
//   Cookie header; `csrf` as X-CSRF-Token.  Resolves to
//   { status, headers, body, text, cookie } where body is the parsed JSON
//   (for application/json and application/problem+json) or the text, and
//   cookie is the name=value part of any Set-Cookie.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export function detenteBin() {
  return process.env.DETENTE_BIN || join(REPO, 'build', 'detente');
}

const live = new Set();
process.on('exit', () => {
  for (const p of live) {
    try {
      p.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

/* Runs the CLI to completion; rejects with its stderr on failure. */
export function run(args, { input, env } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(detenteBin(), args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', reject);
    p.on('close', (code) => {
      if (code === 0) resolve({ stdout: out, stderr: err });
      else reject(new Error(`detente ${args.join(' ')} exited with ${code}: ${err.trim() || out.trim()}`));
    });
    p.stdin.end(input ?? '');
  });
}

export async function startServer({ demo = true, users = [], data, web, env, args } = {}) {
  const bin = detenteBin();
  if (!existsSync(bin)) {
    throw new Error(`no detente binary at ${bin}: build it (meson setup build && ninja -C build) or set DETENTE_BIN`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'detente-test-'));
  const dbPath = join(dir, 't.db');
  let server = null;
  let stopped = false;

  async function stop() {
    if (stopped) return;
    stopped = true;
    if (server) await server.stop();
    await rm(dir, { recursive: true, force: true });
  }

  try {
    const initArgs = ['init', '--db', dbPath];
    if (demo) {
      initArgs.push('--demo');
      const dataDir = data || process.env.DETENTE_DATA || join(REPO, 'data', 'record');
      if (data || process.env.DETENTE_DATA || existsSync(dataDir)) initArgs.push('--data', dataDir);
    }
    await run(initArgs, { env });
    for (const u of users) {
      const args = ['user', 'add', u.username, '--role', u.role || 'delegate', '--db', dbPath];
      if (u.party) args.push('--party', u.party);
      await run(args, { input: `${u.password}\n`, env });
    }

    server = await serve(dbPath, { web, env, args });
    return { url: server.url, dbPath, dir, proc: server.proc, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

export async function serve(dbPath, { key, web, env, args: extra = [] } = {}) {
  const webDir = web || process.env.DETENTE_WEB || join(REPO, 'web');
  const args = ['serve', '--listen', '127.0.0.1:0', '--db', dbPath, '--web', webDir, ...extra];
  if (key) args.push('--key', key);
  const proc = spawn(detenteBin(), args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  live.add(proc);
  let stopped = false;
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  // A server that does not exit cleanly on SIGTERM, or whose sanitizers
  // (ASan, LeakSanitizer, UBSan) said anything, fails the test that
  // stops it.
  async function stop() {
    if (stopped) return;
    stopped = true;
    let killed = false;
    if (proc.exitCode === null && proc.signalCode === null) {
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => { killed = true; proc.kill('SIGKILL'); }, 5000);
      await gone;
      clearTimeout(timer);
    }
    live.delete(proc);
    const sanitizer = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/.test(stderr);
    if (killed || proc.exitCode !== 0 || sanitizer) {
      throw new Error(`detente serve did not stop cleanly (exit ${proc.exitCode ?? proc.signalCode}${killed ? ', killed after 5 s' : ''}):\n${stderr.slice(-4000)}`);
    }
  }
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`detente serve did not start in 15 s: ${err || out}`)), 15000);
      proc.stdout.on('data', (d) => {
        out += d;
        const m = /detente: serving (https?:\/\/[^\s/]+)\/?/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      proc.stderr.on('data', (d) => {
        err += d;
        if (process.env.DETENTE_TEST_VERBOSE) process.stderr.write(d);
      });
      proc.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      proc.on('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`detente serve exited (${code ?? sig}) before it was ready: ${err.trim() || out.trim()}`));
      });
    });
    return { url, proc, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

export async function api(url, path, { method = 'GET', body, headers = {}, token, cookie, csrf } = {}) {
  const h = { Accept: 'application/json, application/problem+json, text/plain', ...headers };
  const init = { method, headers: h, redirect: 'manual' };
  if (body !== undefined) {
    h['Content-Type'] = h['Content-Type'] || 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  if (token) h.Authorization = `Bearer ${token}`;
  if (cookie) h.Cookie = cookie;
  if (csrf) h['X-CSRF-Token'] = csrf;
  const res = await fetch(url + path, init);
  const text = await res.text();
  const ct = res.headers.get('content-type') || '';
  let parsed = text;
  if (/json/.test(ct) && text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  const sc = res.headers.get('set-cookie');
  return { status: res.status, headers: res.headers, body: parsed, text, cookie: sc ? sc.split(';')[0] : null };
}
