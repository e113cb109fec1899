// Inclusion and consistency proofs (RFC 9162 §2.1), verified here against
// roots computed from the entries and against the signed checkpoint.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { assertProblem, logSize, req, startServer } from './_helpers.mjs';

let srv;
let url;
let leaves; // leaf hashes (Buffers) of the whole log

before(async () => {
  srv = await startServer({ demo: true });
  url = srv.url;
  const size = await logSize(url);
  leaves = [];
  for (let start = 0; start < size; start += 1000) {
    const r = await req(url, `/api/v1/log/entries?start=${start}&end=${Math.min(size, start + 1000)}`);
    for (const e of r.json.items) leaves.push(Buffer.from(e.leaf_hash, 'base64'));
  }
  assert.equal(leaves.length, size);
});
after(async () => {
  await srv?.stop();
});

const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const node = (l, r) => sha256(Buffer.from([1]), l, r);
const b64 = (s) => Buffer.from(s, 'base64');

/** MTH over leaf hashes [lo, hi). */
function mth(lo, hi) {
  const n = hi - lo;
  if (n === 0) return sha256(Buffer.alloc(0));
  if (n === 1) return leaves[lo];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return node(mth(lo, lo + k), mth(lo + k, hi));
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or null. */
function inclusionRoot(index, size, leaf, proof) {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = node(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** RFC 9162 §2.1.4.2: whether a consistency proof links the two roots. */
function consistent(first, second, firstRoot, secondRoot, proof) {
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  let path = [...proof];
  if ((first & (first - 1)) === 0) path = [firstRoot, ...path];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = node(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

describe('inclusion', () => {
  test('proofs verify against roots computed from the entries', async () => {
    const size = leaves.length;
    const cases = [
      [0, 1],
      [0, 2],
      [1, 2],
      [3, 10],
      [6, 7],
      [0, size],
      [size - 1, size],
      [Math.floor(size / 2), size],
      [100, 511],
      [511, 512],
      [512, 513],
    ];
    for (const [index, tsize] of cases) {
      const r = await req(url, `/api/v1/log/proof/inclusion?index=${index}&size=${tsize}`);
      assert.equal(r.status, 200, `${index}/${tsize}: ${r.text}`);
      assert.equal(r.json.leaf_index, index);
      assert.equal(r.json.tree_size, tsize);
      assert.ok(b64(r.json.leaf_hash).equals(leaves[index]), 'the leaf hash');
      const root = mth(0, tsize);
      assert.ok(b64(r.json.root_hash).equals(root), `root of size ${tsize}`);
      const got = inclusionRoot(index, tsize, leaves[index], r.json.proof.map(b64));
      assert.ok(got && got.equals(root), `the proof of ${index} in ${tsize} verifies`);
      // a tampered proof does not
      if (r.json.proof.length > 0) {
        const bad = r.json.proof.map(b64);
        bad[0] = sha256(bad[0]);
        const g2 = inclusionRoot(index, tsize, leaves[index], bad);
        assert.ok(!g2 || !g2.equals(root));
      }
    }
  });

  test('by leaf hash; the root at the log size is the checkpoint root', async () => {
    const size = leaves.length;
    const cp = await req(url, '/api/v1/log/checkpoint');
    const [, cpSize, cpRoot] = cp.text.split('\n');
    assert.equal(Number(cpSize), size);
    const i = 42;
    const r = await req(url, `/api/v1/log/proof/inclusion?leaf_hash=${leaves[i].toString('hex')}&size=${size}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.leaf_index, i);
    assert.equal(r.json.root_hash, cpRoot);
    assert.ok(inclusionRoot(i, size, leaves[i], r.json.proof.map(b64)).equals(b64(cpRoot)));
  });

  test('one encoding: the leaf hash /log/entries gives is the one the proof gives, and finds it', async () => {
    const size = leaves.length;
    const i = 43;
    const entries = await req(url, `/api/v1/log/entries?start=${i}&end=${i + 1}`);
    const stated = entries.json.items[0].leaf_hash;
    assert.match(stated, /^[A-Za-z0-9+/]{43}=$/, 'base64, as RFC 9162 gives hashes');
    const byIndex = await req(url, `/api/v1/log/proof/inclusion?index=${i}&size=${size}`);
    assert.equal(byIndex.json.leaf_hash, stated);
    for (const q of [encodeURIComponent(stated), stated.replace(/\+/g, '-').replace(/\//g, '_')]) {
      const byHash = await req(url, `/api/v1/log/proof/inclusion?leaf_hash=${q}&size=${size}`);
      assert.equal(byHash.status, 200, byHash.text);
      assert.equal(byHash.json.leaf_index, i);
      assert.equal(byHash.json.leaf_hash, stated);
    }
  });

  test('bad requests', async () => {
    const size = leaves.length;
    const cases = [
      ['index=1', 400, 'validation'],
      ['size=5', 400, 'validation'],
      [`index=1&leaf_hash=${leaves[1].toString('hex')}&size=5`, 400, 'validation'],
      ['index=abc&size=5', 400, 'validation'],
      ['index=1&size=-5', 400, 'validation'],
      ['leaf_hash=abc&size=5', 400, 'validation'],
      [`index=${size}&size=${size}`, 400, 'out-of-range'],
      ['index=0&size=0', 400, 'out-of-range'],
      [`index=0&size=${size + 1}`, 400, 'out-of-range'],
      [`leaf_hash=${'0'.repeat(64)}&size=${size}`, 404, 'not-found'],
    ];
    for (const [q, status, type] of cases) {
      assertProblem(await req(url, `/api/v1/log/proof/inclusion?${q}`), status, type);
    }
  });
});

describe('consistency', () => {
  test('proofs link roots computed from the entries', async () => {
    const size = leaves.length;
    const cases = [
      [1, 1],
      [1, 2],
      [3, 10],
      [4, 10],
      [7, 8],
      [8, 13],
      [0, 10],
      [256, size],
      [size - 1, size],
      [size, size],
      [511, 777 > size ? size : 777],
    ];
    for (const [from, to] of cases) {
      const r = await req(url, `/api/v1/log/proof/consistency?from=${from}&to=${to}`);
      assert.equal(r.status, 200, `${from}->${to}: ${r.text}`);
      assert.equal(r.json.from, from);
      assert.equal(r.json.to, to);
      const r1 = mth(0, from);
      const r2 = mth(0, to);
      assert.ok(b64(r.json.first_root).equals(r1), `first root ${from}`);
      assert.ok(b64(r.json.second_root).equals(r2), `second root ${to}`);
      assert.ok(consistent(from, to, r1, r2, r.json.proof.map(b64)), `${from} -> ${to} verifies`);
      if (from > 0 && from < to) {
        const bad = r.json.proof.map(b64);
        bad[bad.length - 1] = sha256(bad[bad.length - 1]);
        assert.ok(!consistent(from, to, r1, r2, bad), 'a tampered proof fails');
      }
    }
  });

  test('bad requests', async () => {
    const size = leaves.length;
    for (const [q, type] of [
      ['from=1', 'validation'],
      ['to=5', 'validation'],
      ['from=a&to=5', 'validation'],
      ['from=5&to=3', 'out-of-range'],
      ['from=0&to=0', 'out-of-range'],
      [`from=1&to=${size + 1}`, 'out-of-range'],
    ]) {
      assertProblem(await req(url, `/api/v1/log/proof/consistency?${q}`), 400, type);
    }
  });
});
