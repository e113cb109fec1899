// docs/openapi.yaml against the route table in src/http/routes.c: every
// route (method + path) is documented, nothing else is, and each operation's
// query parameters, path parameters, request body and security agree with
// the table.  Also: every problem type the server can answer is documented.
//
// The YAML is read by indentation only (no dependency): enough for the
// layout of docs/openapi.yaml (two-space indents, `paths:` at the top level).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const ROOT = new URL('../../', import.meta.url);
const read = (p) => readFileSync(new URL(p, ROOT), 'utf8');

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Routes of src/http/routes.c: [{method, path, cap, auth, query[]}]. */
export function routesFromC(text) {
  const out = [];
  const re =
    /\{\s*"([A-Z]+)"\s*,\s*"([^"]+)"\s*,\s*([^,]+?)\s*,\s*(AUTH_[A-Z_]+)\s*,\s*(NULL|"[^"]*")\s*,\s*(\w+)\s*,\s*(true|false)\s*(?:,\s*(\w+)\s*,\s*(\w+)\s*)?\}/g;
  for (const m of text.matchAll(re)) {
    let n = 0;
    out.push({
      method: m[1].toLowerCase(),
      // "{}" segments are parameters; number them to compare with {name}.
      path: m[2].replace(/\{\*?\}/g, () => `{${n++}}`),
      cap: m[3].trim(),
      auth: m[4],
      // a route that answers CSV takes ?format= as well (server.c)
      query: [...(m[5] === 'NULL' ? [] : m[5].slice(1, -1).split(',').filter(Boolean)), ...(m[9] === 'table' ? ['format'] : [])],
      handler: m[6],
      consumes: m[8] ?? 'NULL',
      produces: m[9] ?? 'NULL',
    });
  }
  return out;
}

/** Lines with their indentation, without comments-only and blank lines. */
function lines(text) {
  return text
    .split('\n')
    .map((raw, i) => ({ raw, no: i + 1, indent: raw.search(/\S/), s: raw.trim() }))
    .filter((l) => l.indent >= 0 && !l.s.startsWith('#'));
}

/** The lines nested under the line at index i (deeper indentation). */
function childrenOf(ls, i) {
  const out = [];
  for (let j = i + 1; j < ls.length && ls[j].indent > ls[i].indent; j++) out.push(ls[j]);
  return out;
}

/** Keys at the shallowest indentation of a block: [{key, i}] (i into block). */
function keysOf(block) {
  if (block.length === 0) return [];
  const ind = Math.min(...block.map((l) => l.indent));
  const out = [];
  block.forEach((l, i) => {
    if (l.indent !== ind) return;
    const m = l.s.match(/^(?:'([^']*)'|"([^"]*)"|([^\s:'"][^:]*?)):(?:\s|$)/);
    if (m) out.push({ key: m[1] ?? m[2] ?? m[3], i });
  });
  return out;
}

function unquote(s) {
  s = s.trim();
  if ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"'))) return s.slice(1, -1);
  return s;
}

/** Parses docs/openapi.yaml far enough for the checks below. */
export function openapiFromYaml(text) {
  const ls = lines(text);
  const top = keysOf(ls.filter((l) => l.indent === 0));
  const topIdx = (k) => ls.findIndex((l) => l.indent === 0 && l.s.startsWith(`${k}:`));
  assert.ok(topIdx('openapi') >= 0, 'an openapi: key');
  assert.match(ls[topIdx('openapi')].s, /^openapi:\s*['"]?3\.1\.\d+/);
  const pi = topIdx('paths');
  assert.ok(pi >= 0, 'a paths: key');
  const pathsBlock = childrenOf(ls, pi);

  // components/parameters/NAME -> {name, in}
  const params = {};
  const ci = topIdx('components');
  if (ci >= 0) {
    const comp = childrenOf(ls, ci);
    const p = keysOf(comp).find((k) => k.key === 'parameters');
    if (p) {
      const pblock = childrenOf(comp, p.i);
      for (const k of keysOf(pblock)) {
        const b = childrenOf(pblock, k.i);
        const name = b.find((l) => /^name:/.test(l.s));
        const where = b.find((l) => /^in:/.test(l.s));
        params[k.key] = { name: name && unquote(name.s.slice(5)), in: where && unquote(where.s.slice(3)) };
      }
    }
  }

  const ops = [];
  for (const pk of keysOf(pathsBlock)) {
    const pblock = childrenOf(pathsBlock, pk.i);
    for (const mk of keysOf(pblock)) {
      const oblock = childrenOf(pblock, mk.i);
      const okeys = keysOf(oblock);
      const op = { path: pk.key, method: mk.key, query: [], pathParams: [], requestBody: false, security: null };
      op.requestBody = okeys.some((k) => k.key === 'requestBody');
      const sec = okeys.find((k) => k.key === 'security');
      if (sec) {
        const inline = oblock[sec.i].s.replace(/^security:\s*/, '');
        const sblock = childrenOf(oblock, sec.i).map((l) => l.s);
        op.security = inline ? [inline] : sblock;
      }
      const pr = okeys.find((k) => k.key === 'parameters');
      if (pr) {
        const block = childrenOf(oblock, pr.i);
        // Items: "- $ref: ..." or "- name: X" followed by "in: Y".
        const items = [];
        for (const l of block) {
          if (l.s.startsWith('- ')) items.push([l.s.slice(2)]);
          else if (items.length) items[items.length - 1].push(l.s);
        }
        for (const it of items) {
          const ref = it.find((s) => s.startsWith('$ref:'));
          let p;
          if (ref) {
            const m = unquote(ref.slice(5)).match(/^#\/components\/parameters\/(.+)$/);
            assert.ok(m && params[m[1]], `${pk.key} ${mk.key}: unresolved parameter ${ref}`);
            p = params[m[1]];
          } else {
            const name = it.find((s) => s.startsWith('name:'));
            const where = it.find((s) => s.startsWith('in:'));
            p = { name: name && unquote(name.slice(5)), in: where && unquote(where.slice(3)) };
          }
          if (p.in === 'query') op.query.push(p.name);
          else if (p.in === 'path') op.pathParams.push(p.name);
        }
      }
      ops.push(op);
    }
  }
  return { top: top.map((k) => k.key), ops };
}

/** Numbers {name} segments so that they compare with routes' {}. */
function normalise(path) {
  let n = 0;
  return path.replace(/\{[^}/]+\}/g, () => `{${n++}}`);
}

/** Differences between the routes and the documented operations. */
export function compare(routes, ops) {
  const problems = [];
  const doc = new Map(ops.map((o) => [`${o.method.toUpperCase()} ${normalise(o.path)}`, o]));
  const have = new Map(routes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r]));
  for (const [k, r] of have) {
    const o = doc.get(k);
    if (!o) {
      problems.push(`route ${k.replace(/\{\d+\}/g, '{}')} is not in docs/openapi.yaml`);
      continue;
    }
    const q1 = [...r.query].sort().join(',');
    const q2 = [...o.query].sort().join(',');
    if (q1 !== q2) problems.push(`${k}: query parameters are [${q1}] in routes.c but [${q2}] in openapi.yaml`);
    const names = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const n of names)
      if (!o.pathParams.includes(n)) problems.push(`${k}: path parameter {${n}} is not declared`);
    for (const n of o.pathParams)
      if (!names.includes(n)) problems.push(`${k}: declares path parameter ${n} that is not in the path`);
    const takesBody = r.cap !== '0' && r.method !== 'delete';
    if (takesBody !== o.requestBody)
      problems.push(`${k}: body cap ${r.cap} but requestBody ${o.requestBody ? 'documented' : 'missing'}`);
    if (r.auth === 'AUTH_REQUIRED') {
      const s = o.security || [];
      if (s.length === 0 || s.some((x) => /\{\s*\}/.test(x)))
        problems.push(`${k}: needs authentication but its security allows anonymous callers`);
    }
  }
  for (const [k, o] of doc) {
    if (!METHODS.includes(o.method)) {
      problems.push(`${o.path}: "${o.method}" is not an HTTP method`);
      continue;
    }
    if (!have.has(k)) problems.push(`openapi.yaml documents ${o.method.toUpperCase()} ${o.path}, which routes.c does not have`);
  }
  return problems;
}

const routesText = read('src/http/routes.c');
const yamlText = read('docs/openapi.yaml');

test('routes.c parses into a plausible route table', () => {
  const routes = routesFromC(routesText);
  assert.ok(routes.length >= 20, `${routes.length} routes`);
  // Every "{" entry line of the table is one route: the regex missed none.
  const entries = (routesText.match(/^\s*\{"[A-Z]+",/gm) || []).length;
  assert.equal(routes.length, entries);
  const keys = routes.map((r) => `${r.method} ${r.path}`);
  assert.equal(new Set(keys).size, keys.length, 'no route twice');
  assert.ok(keys.includes('get /api/v1/parties/{0}'));
  assert.ok(keys.includes('post /api/v1/acts'));
});

test('every route is in docs/openapi.yaml and it documents no other', () => {
  const routes = routesFromC(routesText);
  const { ops, top } = openapiFromYaml(yamlText);
  for (const k of ['openapi', 'info', 'paths', 'components']) assert.ok(top.includes(k), `top-level ${k}`);
  const problems = compare(routes, ops);
  assert.deepEqual(problems, [], problems.join('\n'));
  assert.equal(ops.length, routes.length);
});

test('the comparison fails on a missing route and on an extra one', () => {
  const routes = routesFromC(routesText);
  const { ops } = openapiFromYaml(yamlText);
  const missing = compare(routes, ops.filter((o) => !(o.path === '/api/v1/tokens/{id}' && o.method === 'delete')));
  assert.ok(missing.some((p) => p.includes('DELETE /api/v1/tokens/{}')), missing.join('\n'));
  const extra = compare(routes, [...ops, { ...ops[0], path: '/api/v1/nowhere', method: 'get' }]);
  assert.ok(extra.some((p) => p.includes('/api/v1/nowhere')), extra.join('\n'));
  const renamed = compare(
    routes.map((r) => (r.path === '/api/v1/parties' ? { ...r, query: [...r.query, 'sort'] } : r)),
    ops,
  );
  assert.ok(renamed.some((p) => p.includes('query parameters')), renamed.join('\n'));
});

test('the security schemes and the RFC 9457 problem document are described', () => {
  assert.match(yamlText, /\n {4}sessionCookie:\n {6}type: apiKey\n {6}in: cookie\n {6}name: detente_session\n/);
  assert.match(yamlText, /\n {4}csrfHeader:\n {6}type: apiKey\n {6}in: header\n {6}name: X-CSRF-Token\n/);
  assert.match(yamlText, /\n {4}bearerToken:\n {6}type: http\n {6}scheme: bearer\n/);
  assert.match(yamlText, /application\/problem\+json/);
  for (const s of ['Party', 'PartyDetail', 'Forum', 'Instrument', 'Norm', 'TimelineItem', 'SearchResult', 'Problem', 'Receipt', 'Session', 'Token', 'LogEntry'])
    assert.match(yamlText, new RegExp(`\\n {4}${s}:\\n`), `components/schemas/${s}`);
});

test('every problem type the server answers with is documented', () => {
  const types = new Set();
  const dirs = ['src/http/', 'src/app/'];
  for (const d of dirs) {
    for (const f of readdirSync(new URL(d, ROOT))) {
      if (!f.endsWith('.c')) continue;
      const t = read(d + f);
      for (const m of t.matchAll(/http_problem\s*\([^;]*?\b\d{3}\s*,\s*"([a-z-]+)"/g)) types.add(m[1]);
      for (const m of t.matchAll(/app_error_set\s*\([^;]*?\b\d{3}\s*,\s*"([a-z-]+)"/g)) types.add(m[1]);
    }
  }
  for (const t of ['validation', 'malformed', 'not-found', 'method-not-allowed', 'too-large', 'media-type', 'unauthorized', 'forbidden', 'csrf', 'conflict', 'unknown-reference', 'unknown-act-type', 'rate-limited'])
    assert.ok(types.has(t), `the server uses ${t}`);
  for (const t of types) assert.ok(yamlText.includes(`urn:detente:problem:${t}`), `urn:detente:problem:${t} is documented`);
});
