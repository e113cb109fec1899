// The detente command line: usage, exit statuses (0 success, 1 failure,
// 2 bad usage) and the refusal to serve a non-loopback address without TLS.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { BIN } from './_helpers.mjs';

let dir;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'detente-cli-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

// The tests name their files; a DETENTE_DB or DETENTE_KEY of the caller must not leak in.
const cleanEnv = { ...process.env };
delete cleanEnv.DETENTE_DB;
delete cleanEnv.DETENTE_KEY;

/** Runs detente with args (in a temporary directory); never waits more than 10 s. */
function run(args, opts = {}) {
  const r = spawnSync(BIN, args, {
    cwd: dir,
    encoding: 'utf8',
    timeout: 10_000,
    input: opts.input ?? '',
    env: cleanEnv,
  });
  assert.equal(r.error, undefined, `detente ${args.join(' ')}: ${r.error}`);
  assert.equal(r.signal, null, `detente ${args.join(' ')} was killed by ${r.signal} (did it hang?)`);
  return r;
}

describe('usage', () => {
  test('no arguments: exit 2 with usage on stderr', () => {
    const r = run([]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /usage: detente COMMAND/);
    assert.equal(r.stdout, '');
  });

  test('an unknown command: exit 2, naming it', () => {
    const r = run(['frobnicate']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /frobnicate/);
    assert.match(r.stderr, /usage/);
  });

  test('an unknown option: exit 2', () => {
    const r = run(['init', '--no-such-option', '--db', join(dir, 'never.db')]);
    assert.equal(r.status, 2, r.stderr);
    assert.ok(!existsSync(join(dir, 'never.db')), 'nothing created');
  });

  test('--help everywhere: exit 0 with text on stdout', () => {
    for (const args of [
      ['--help'],
      ['-h'],
      ['help'],
      ['init', '--help'],
      ['serve', '--help'],
      ['user', '--help'],
      ['user', 'add', '--help'],
      ['user', 'list', '--help'],
      ['token', '--help'],
      ['token', 'create', '--help'],
      ['token', 'list', '--help'],
      ['token', 'revoke', '--help'],
      ['log', '--help'],
      ['log', 'key', '--help'],
      ['log', 'checkpoint', '--help'],
      ['log', 'entries', '--help'],
      ['events', '--help'],
      ['export', '--help'],
      ['version', '--help'],
    ]) {
      const r = run(args);
      assert.equal(r.status, 0, `detente ${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stdout.trim().length > 0, `detente ${args.join(' ')} prints help`);
      if (args[0] !== 'version') assert.match(r.stdout, /usage: detente/, `detente ${args.join(' ')}`);
    }
  });

  test('version prints the version', () => {
    const r = run(['version']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^detente \d+\.\d+\.\d+/);
  });
});

describe('init', () => {
  test('init creates the database and key (0600); a second init on the same db exits 1', () => {
    const db = join(dir, 'twice.db');
    const first = run(['init', '--db', db]);
    assert.equal(first.status, 0, first.stderr);
    assert.ok(existsSync(db));
    assert.ok(existsSync(join(dir, 'twice.key')));
    assert.equal(statSync(db).mode & 0o777, 0o600, 'the database is 0600');
    assert.equal(statSync(join(dir, 'twice.key')).mode & 0o777, 0o600, 'the key is 0600');
    const before = statSync(db).size;
    const second = run(['init', '--db', db]);
    assert.equal(second.status, 1);
    assert.match(second.stderr, /exists/);
    assert.equal(statSync(db).size, before, 'the database was left alone');
  });
});

describe('serve', () => {
  let db;
  before(() => {
    db = join(dir, 'serve.db');
    assert.equal(run(['init', '--db', db]).status, 0);
  });

  test('a non-loopback address without TLS is refused before binding (exit 1, mentions TLS)', () => {
    for (const listen of ['10.0.0.1:8080', '0.0.0.0:0', '[::]:0']) {
      const r = run(['serve', '--listen', listen, '--db', db]);
      assert.equal(r.status, 1, `${listen}: ${r.stderr}`);
      assert.match(r.stderr, /TLS/, listen);
      assert.doesNotMatch(r.stdout + r.stderr, /serving http/, `${listen} was not served`);
    }
  });

  test('--listen nonsense is bad usage (exit 2)', () => {
    for (const listen of ['nonsense', '127.0.0.1', '127.0.0.1:http', '127.0.0.1:99999', ':']) {
      const r = run(['serve', '--listen', listen, '--db', db]);
      assert.equal(r.status, 2, `--listen ${listen}: ${r.status} ${r.stderr}`);
      assert.doesNotMatch(r.stdout, /serving/);
    }
  });

  test('serving a database that does not exist fails (exit 1)', () => {
    const r = run(['serve', '--listen', '127.0.0.1:0', '--db', join(dir, 'missing.db')]);
    assert.equal(r.status, 1, r.stderr);
    assert.ok(!existsSync(join(dir, 'missing.db')), 'not created by serve');
  });
});

describe('user and token', () => {
  let db;
  before(() => {
    db = join(dir, 'users.db');
    assert.equal(run(['init', '--db', db]).status, 0);
  });

  test('user add with a bad role is bad usage (exit 2)', () => {
    const r = run(['user', 'add', 'someone', '--role', 'king', '--db', db], { input: 'long-enough-password\n' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /role/);
  });

  test('user add reads the password from stdin; a short one is refused', () => {
    const ok = run(['user', 'add', 'cli-op', '--role', 'operator', '--db', db], { input: 'long-enough-password\n' });
    assert.equal(ok.status, 0, ok.stderr);
    const short = run(['user', 'add', 'cli-short', '--role', 'observer', '--db', db], { input: 'short\n' });
    assert.equal(short.status, 1, short.stderr);
    const again = run(['user', 'add', 'cli-op', '--role', 'operator', '--db', db], { input: 'long-enough-password\n' });
    assert.equal(again.status, 1, 'a duplicate user');
    const list = run(['user', 'list', '--db', db]);
    assert.equal(list.status, 0);
    assert.match(list.stdout, /cli-op/);
    assert.doesNotMatch(list.stdout, /cli-short/);
  });

  test('user import enrols API clients with a token each, all or none', () => {
    const file = (name, list) => {
      const f = join(dir, name);
      writeFileSync(f, JSON.stringify(list));
      return f;
    };
    const users = () => run(['user', 'list', '--db', db]).stdout;
    // an unknown party in the second entry: nobody, not even the first
    const bad = run(['user', 'import', file('bad.json', [{ username: 'cli-imp1', role: 'observer' }, { username: 'cli-imp2', role: 'delegate', party: 'ZZZ' }]), '--db', db]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /no party ZZZ.*nobody was enrolled/);
    assert.doesNotMatch(users(), /cli-imp1/);
    for (const [name, list, re] of [
      ['role.json', [{ username: 'cli-imp1', role: 'king' }], /unknown role/],
      ['twice.json', [{ username: 'cli-imp1', role: 'observer' }, { username: 'cli-imp1', role: 'observer' }], /listed twice/],
      ['shape.json', { username: 'cli-imp1' }, /not a JSON array/],
      ['field.json', [{ username: 'cli-imp1', role: 'observer', password: 'x' }], /password/],
    ]) {
      const r = run(['user', 'import', file(name, list), '--db', db]);
      assert.equal(r.status, 1, name);
      assert.match(r.stderr, re, name);
    }
    assert.doesNotMatch(users(), /cli-imp1/);
    const ok = run(['user', 'import', file('ok.json', [{ username: 'cli-imp1', role: 'observer' }]), '--db', db]);
    assert.equal(ok.status, 0, ok.stderr);
    const out = JSON.parse(ok.stdout);
    assert.equal(out.length, 1);
    assert.match(out[0].token, /^dtk_[0-9a-f]{64}$/);
    assert.match(users(), /cli-imp1/);
    const again = run(['user', 'import', file('ok.json', [{ username: 'cli-imp1', role: 'observer' }]), '--db', db]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already/);
  });

  test('token create for an unknown user exits 1', () => {
    const r = run(['token', 'create', '--user', 'nobody', '--db', db]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /nobody/);
    assert.doesNotMatch(r.stdout, /dtk_/);
  });

  test('token create for a known user prints a dtk_ token once', () => {
    const r = run(['token', 'create', '--user', 'cli-op', '--name', 'cli', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    const m = r.stdout.match(/dtk_[0-9a-f]{64}/);
    assert.ok(m, r.stdout);
    const list = run(['token', 'list', '--user', 'cli-op', '--db', db]);
    assert.equal(list.status, 0);
    assert.ok(!list.stdout.includes(m[0]), 'the list does not show the secret');
  });
});
