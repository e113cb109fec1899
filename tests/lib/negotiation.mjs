// A server for negotiation scenarios: the demo record, a secretariat, one
// API client per party named (enrolled with `detente user import`, so no
// password is hashed for each of 190 delegations), and a scheduler whose
// clock the test moves (`serve --clock-file`).
//
//   const n = await practiceServer(['USA', 'RUS']);     // tokens.USA, tokens.secretariat
//   await n.act('USA', 'forum.join', { forum: 'x' });   // -> {status, json}
//   await n.setClock(Date.now() + 3_600_000);           // deadlines pass
//   await n.closed(decisionId);                          // waits for the close
//   await n.stop();
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { REPO, run, serve } from './server.mjs';

export async function practiceServer(parties, { users = [], extra = [], args = [] } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'detente-neg-'));
  const dbPath = join(dir, 't.db');
  const clock = join(dir, 'clock');
  await run(['init', '--db', dbPath, '--demo', '--no-practice', '--data', join(REPO, 'data', 'record')]);
  const list = [{ username: 'secretariat', role: 'secretariat' }];
  for (const p of parties) list.push({ username: `del-${p.toLowerCase()}`, role: 'delegate', party: p });
  list.push(...extra); // more API clients, by their username
  await writeFile(join(dir, 'users.json'), JSON.stringify(list));
  const { stdout } = await run(['user', 'import', join(dir, 'users.json'), '--db', dbPath]);
  const tokens = {};
  for (const u of JSON.parse(stdout)) tokens[u.party || u.username] = u.token;
  for (const u of users)
    await run(['user', 'add', u.username, '--role', u.role, ...(u.party ? ['--party', u.party] : []), '--db', dbPath], { input: `${u.password}\n` });
  const srv = await serve(dbPath, { args: ['--clock-file', clock, ...args] });
  const url = srv.url;

  async function request(path, { token, json, method } = {}) {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (json !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(url + path, { method: method || (json !== undefined ? 'POST' : 'GET'), headers, body: json === undefined ? undefined : JSON.stringify(json) });
    const text = await res.text();
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    return { status: res.status, headers: res.headers, text, json: body };
  }

  return {
    url,
    dir,
    dbPath,
    tokens,
    request,
    /** Submits an act as the party's delegation (or 'secretariat'). */
    act(who, type, body) {
      assert.ok(tokens[who], `a token for ${who}`);
      return request('/api/v1/acts', { token: tokens[who], json: { type, body } });
    },
    /** The same, asserting 201; answers the receipt. */
    async ok(who, type, body) {
      const r = await this.act(who, type, body);
      assert.equal(r.status, 201, `${who} ${type}: ${r.text}`);
      return r.json;
    },
    /** Moves the scheduler's clock to ms since the epoch. */
    setClock(ms) {
      return writeFile(clock, new Date(ms).toISOString());
    },
    /** Waits (at most 10 s) for the scheduler to close decision id. */
    async closed(id, who) {
      for (let i = 0; i < 200; i++) {
        const r = await request(`/api/v1/decisions/${id}`, { token: who ? tokens[who] : undefined });
        assert.equal(r.status, 200, r.text);
        if (r.json.status !== 'open') return r.json;
        await new Promise((res) => setTimeout(res, 50));
      }
      throw new Error(`decision ${id} did not close`);
    },
    async stop() {
      await srv.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An instant an hour from now, as RFC 3339 (a deadline the test moves past). */
export function inAnHour(now = Date.now()) {
  return new Date(now + 3_600_000).toISOString();
}
