// Browser tests of verification in the browser (web/js/verify.js and the
// "Verify in this browser" buttons) and of the browser-held signing key.
// Run from the repository root:  node --test tests/e2e/
// Needs build/detente (or $DETENTE_BIN) and /usr/bin/chromium (or $CHROMIUM).
//
// One server and one browser for the whole file; each test has its own
// browser context (its own localStorage, IndexedDB and cookies).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify as edVerify } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, api, startServer } from '../lib/server.mjs';
import { launch, openPage } from '../lib/browser.mjs';

const OPERATOR = { username: 'oper', password: 'operator password 1', role: 'operator' };
const PAYLOAD_TYPE = 'application/vnd.detente.act.v1+json';

let srv;
let browser;
const opened = [];

before(async () => {
  srv = await startServer({ users: [OPERATOR] });
  browser = await launch();
});

after(async () => {
  for (const c of opened) await c.close().catch(() => {});
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

async function open(opts = {}) {
  const p = await openPage(browser, { lang: 'en', ...opts });
  opened.push(p.context);
  return p;
}

async function signIn(page, user) {
  await page.goto(`${srv.url}/signin`);
  await page.getByLabel('User name').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${srv.url}/account`);
}

/* ---- RFC 6962 vectors (reference notes §1.5, transparency-dev/merkle @417fb0c3) ---- */

const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const L0 = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
  '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
  'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
  'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
  '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
];
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION = [
  { index: 0, size: 1, proof: [] },
  { index: 0, size: 8, proof: [
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, proof: [
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  { index: 1, size: 5, proof: [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
];
const CONSISTENCY = [
  { m: 1, n: 1, proof: [] },
  { m: 1, n: 8, proof: [
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { m: 6, n: 8, proof: [
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { m: 2, n: 5, proof: [
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
  { m: 6, n: 7, proof: [
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];

/* Signed-note vectors (reference §2.1, §2.2). */
const NOTE_A = {
  vkey: 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k',
  note: 'This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n',
};
const PETER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const NOTE_B_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const NOTE_B_PETER = '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const NOTE_B_ENOCH = '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
const CHECKPOINT_SOFA = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n'
  + '\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n';

function flipHex(hex, bit = 0) {
  const b = Buffer.from(hex, 'hex');
  b[bit >> 3] ^= 1 << (bit & 7);
  return b.toString('hex');
}

/* Positive cases from the tables, and a family of mutations of each. */
function inclusionCases() {
  const cases = [];
  for (const v of INCLUSION) {
    const base = { index: v.index, size: v.size, leaf: L0[v.index], proof: v.proof, root: ROOTS[v.size] };
    const name = `incl ${v.index}/${v.size}`;
    cases.push({ name, ...base, want: 'ok' });
    cases.push({ name: `${name} index+1`, ...base, index: base.index + 1, want: false });
    if (base.index > 0) cases.push({ name: `${name} index-1`, ...base, index: base.index - 1, want: false });
    cases.push({ name: `${name} size*2`, ...base, size: base.size * 2, want: false });
    cases.push({ name: `${name} wrong root`, ...base, root: ROOTS[(base.size + 1) % 9], want: 'root-mismatch' });
    cases.push({ name: `${name} flipped leaf bit`, ...base, leaf: flipHex(base.leaf, 3), want: 'root-mismatch' });
    cases.push({ name: `${name} short leaf`, ...base, leaf: base.leaf.slice(2), want: 'bad-leaf-hash' });
    cases.push({ name: `${name} extra hash`, ...base, proof: [...base.proof, L0[7]], want: false });
    base.proof.forEach((p, i) => {
      cases.push({ name: `${name} flipped proof[${i}]`, ...base, proof: base.proof.map((q, j) => (j === i ? flipHex(q, 77) : q)), want: 'root-mismatch' });
    });
    if (base.proof.length) cases.push({ name: `${name} dropped hash`, ...base, proof: base.proof.slice(0, -1), want: false });
  }
  const b = { index: 0, size: 8, leaf: L0[0], root: ROOTS[8] };
  cases.push({ name: 'index == size', ...b, index: 8, proof: INCLUSION[1].proof, want: 'index-out-of-range' });
  cases.push({ name: '64 hashes', ...b, proof: Array(64).fill(L0[1]), want: 'proof-too-long' });
  cases.push({ name: '31-byte proof hash', ...b, proof: [L0[1].slice(2), ...INCLUSION[1].proof.slice(1)], want: 'bad-proof-hash' });
  cases.push({ name: 'negative index', ...b, index: -1, proof: INCLUSION[1].proof, want: 'bad-index' });
  cases.push({ name: 'empty proof, size 8', ...b, proof: [], want: 'wrong-proof-length' });
  return cases;
}

function consistencyCases() {
  const cases = [];
  for (const v of CONSISTENCY) {
    const base = { m: v.m, n: v.n, r1: ROOTS[v.m], r2: ROOTS[v.n], proof: v.proof };
    const name = `cons ${v.m}->${v.n}`;
    cases.push({ name, ...base, want: 'ok' });
    if (v.m === v.n) continue;
    cases.push({ name: `${name} swapped roots`, ...base, r1: base.r2, r2: base.r1, want: false });
    cases.push({ name: `${name} wrong root1`, ...base, r1: flipHex(base.r1, 9), want: false });
    cases.push({ name: `${name} wrong root2`, ...base, r2: flipHex(base.r2, 9), want: false });
    cases.push({ name: `${name} m+1`, ...base, m: base.m + 1, want: false });
    cases.push({ name: `${name} n*2`, ...base, n: base.n * 2, want: false });
    cases.push({ name: `${name} empty proof`, ...base, proof: [], want: 'empty-proof' });
    cases.push({ name: `${name} truncated`, ...base, proof: base.proof.slice(0, -1), want: false });
    base.proof.forEach((p, i) => {
      cases.push({ name: `${name} flipped proof[${i}]`, ...base, proof: base.proof.map((q, j) => (j === i ? flipHex(q, 200) : q)), want: false });
    });
  }
  cases.push({ name: 'm > n', m: 8, n: 6, r1: ROOTS[8], r2: ROOTS[6], proof: CONSISTENCY[2].proof, want: 'first-greater' });
  cases.push({ name: 'm == n, roots differ', m: 5, n: 5, r1: ROOTS[5], r2: ROOTS[6], proof: [], want: 'root-mismatch' });
  cases.push({ name: 'm == n, proof not empty', m: 5, n: 5, r1: ROOTS[5], r2: ROOTS[5], proof: [L0[0]], want: 'proof-not-empty' });
  cases.push({ name: 'from the empty tree', m: 0, n: 8, r1: ROOTS[0], r2: ROOTS[8], proof: [], want: 'ok' });
  cases.push({ name: 'from "empty" with a non-empty root', m: 0, n: 8, r1: ROOTS[1], r2: ROOTS[8], proof: [], want: 'first-root-mismatch' });
  cases.push({ name: '64 hashes', m: 1, n: 8, r1: ROOTS[1], r2: ROOTS[8], proof: Array(64).fill(L0[0]), want: 'proof-too-long' });
  return cases;
}

/* transparency-dev/merkle's probe corpus (tests/vectors/merkle), base64. */
function corpus(kind) {
  const out = [];
  const walk = (dir) => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.json')) out.push({ file: p.slice(p.indexOf(kind)), ...JSON.parse(readFileSync(p, 'utf8')) });
    }
  };
  walk(join(REPO, 'tests', 'vectors', 'merkle', kind));
  return out;
}

describe('verify.js (in the browser, WebCrypto)', () => {
  let page;
  let assertClean;

  before(async () => {
    ({ page, assertClean } = await open());
    await page.goto(`${srv.url}/`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
  });

  test('leaf and node hashes: the RFC 6962 known answers', async () => {
    const r = await page.evaluate(async (leaves) => {
      const V = await import('/js/verify.js');
      const enc = new TextEncoder();
      return {
        leaves: await Promise.all(leaves.map(async (x) => V.toHex(await V.leafHash(V.fromHex(x))))),
        l123456: V.toHex(await V.leafHash(enc.encode('L123456'))),
        node: V.toHex(await V.nodeHash(enc.encode('N123'), enc.encode('N456'))),
        empty: V.toHex(V.EMPTY_ROOT),
      };
    }, LEAVES);
    assert.deepEqual(r.leaves, L0);
    assert.equal(r.l123456, '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
    assert.equal(r.node, 'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb');
    assert.equal(r.empty, ROOTS[0]);
  });

  test('inclusion proofs: RFC vectors accepted, every mutation refused', async () => {
    const cases = inclusionCases();
    const got = await page.evaluate(async (cs) => {
      const V = await import('/js/verify.js');
      const out = [];
      for (const c of cs) {
        const r = await V.verifyInclusion(c.index, c.size, V.fromHex(c.leaf), c.proof.map(V.fromHex), V.fromHex(c.root));
        out.push({ ok: r.ok, reason: r.reason });
      }
      return out;
    }, cases);
    cases.forEach((c, i) => {
      if (c.want === 'ok') assert.deepEqual(got[i], { ok: true, reason: 'ok' }, c.name);
      else {
        assert.equal(got[i].ok, false, `${c.name} must fail`);
        if (c.want) assert.equal(got[i].reason, c.want, c.name);
      }
    });
  });

  test('consistency proofs: RFC vectors accepted, every mutation refused', async () => {
    const cases = consistencyCases();
    const got = await page.evaluate(async (cs) => {
      const V = await import('/js/verify.js');
      const out = [];
      for (const c of cs) {
        const r = await V.verifyConsistency(c.m, c.n, V.fromHex(c.r1), V.fromHex(c.r2), c.proof.map(V.fromHex));
        out.push({ ok: r.ok, reason: r.reason });
      }
      return out;
    }, cases);
    cases.forEach((c, i) => {
      if (c.want === 'ok') assert.deepEqual(got[i], { ok: true, reason: 'ok' }, c.name);
      else {
        assert.equal(got[i].ok, false, `${c.name} must fail`);
        if (c.want) assert.equal(got[i].reason, c.want, c.name);
      }
    });
  });

  test('the transparency-dev probe corpus and the Argon 2020 CT log (indices near 2^30)', async () => {
    const inc = corpus('inclusion');
    const con = corpus('consistency');
    const argonProof = JSON.parse(readFileSync(join(REPO, 'tests', 'vectors', 'argon_proof.json'), 'utf8'));
    const argonCons = JSON.parse(readFileSync(join(REPO, 'tests', 'vectors', 'argon_cons.json'), 'utf8'));
    const argonLeaf = readFileSync(join(REPO, 'tests', 'vectors', 'argon_leaf.b64'), 'utf8').trim();
    assert.ok(inc.length + con.length >= 190, `${inc.length + con.length} probes`);
    const r = await page.evaluate(async ({ inc, con, argon }) => {
      const V = await import('/js/verify.js');
      const b = (s) => V.fromBase64(s) || new Uint8Array(0);
      const out = { inc: [], con: [] };
      for (const p of inc) {
        out.inc.push((await V.verifyInclusion(p.leafIdx, p.treeSize, b(p.leafHash), (p.proof || []).map(b), b(p.root))).ok);
      }
      for (const p of con) {
        out.con.push((await V.verifyConsistency(p.size1, p.size2, b(p.root1), b(p.root2), (p.proof || []).map(b))).ok);
      }
      const leaf = await V.leafHash(b(argon.leaf));
      out.argonLeaf = V.toHex(leaf);
      const root = b('dwlueapdd7LaOEnX2W2Wp9v2XE+KzejHRQGHwEx0oaM=');
      const path = argon.proof.audit_path.map(b);
      out.argonIncl = (await V.verifyInclusion(10000, 961984013, leaf, path, root)).ok;
      out.argonInclWrong = (await V.verifyInclusion(10001, 961984013, leaf, path, root)).ok;
      const old = b('AuIZ5V6sDUj1vn3Y1K85oOaQ7y+FJJKtyRTl1edIKBQ=');
      const cons = argon.cons.consistency.map(b);
      out.argonCons = (await V.verifyConsistency(3654490, 961984013, old, root, cons)).ok;
      out.argonConsWrong = (await V.verifyConsistency(3654490, 961984013, root, root, cons)).ok;
      return out;
    }, { inc, con, argon: { leaf: argonLeaf, proof: argonProof, cons: argonCons } });
    // A strict verifier refuses the one probe whose roots are 12-byte
    // placeholders (reference §1.6); every other probe agrees with wantErr.
    const DEVIATION = 'sizes-are-equal-one-and-proof-is-empty.json';
    inc.forEach((p, i) => assert.equal(r.inc[i], !p.wantErr, `${p.file}: ${p.desc}`));
    con.forEach((p, i) => {
      if (p.file.endsWith(DEVIATION)) assert.equal(r.con[i], false, p.file);
      else assert.equal(r.con[i], !p.wantErr, `${p.file}: ${p.desc}`);
    });
    assert.equal(r.argonLeaf, '9c2b3799f232761f71e022b243ebb6c6d9a9c66160800e4c2f2987c0d41294b8');
    assert.equal(r.argonIncl, true);
    assert.equal(r.argonInclWrong, false);
    assert.equal(r.argonCons, true);
    assert.equal(r.argonConsWrong, false);
  });

  test('signed notes and checkpoints: C2SP and Go sumdb vectors', async () => {
    const r = await page.evaluate(async (v) => {
      const V = await import('/js/verify.js');
      const bothB = v.bText + '\n' + v.bPeter + v.bEnoch;
      const ck = V.parseCheckpoint(v.sofa);
      const pick = (x) => ({ ok: x.ok, reason: x.reason });
      return {
        a: pick(await V.verifyNote(v.a.note, v.a.vkey)),
        aTampered: pick(await V.verifyNote(v.a.note.replace('example', 'exemple'), v.a.vkey)),
        bPeter: pick(await V.verifyNote(bothB, v.peter)),
        bEnoch: pick(await V.verifyNote(bothB, v.enoch)),
        bOnlyEnoch: pick(await V.verifyNote(v.bText + '\n' + v.bEnoch, v.peter)),
        bNoNewline: pick(await V.verifyNote(bothB.slice(0, -1), v.peter)),
        bControl: pick(await V.verifyNote(bothB.replace('answer', 'ans\u0001wer'), v.peter)),
        wrongId: pick(await V.verifyNote(bothB, v.peter.replace('c74f20a3', 'c74f20a4'))),
        badType: pick(await V.parseVkey('PeterNeumann+c74f20a3+AhpcGQcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')),
        vkey: await V.parseVkey(v.peter).then((k) => ({ ok: k.ok, name: k.name, keyId: k.keyId, len: k.publicKey.length })),
        sofa: { ok: ck.ok, origin: ck.origin, size: ck.size, root: ck.rootB64, keyId: ck.signatures[0].keyId, sigLen: ck.signatures[0].sig.length },
        sofaZero: pick(V.parseCheckpoint(v.sofa.replace('\n20852163\n', '\n020852163\n'))),
        sofaShortRoot: pick(V.parseCheckpoint(v.sofa.replace('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx'))),
        sofaNoSig: pick(V.parseCheckpoint(v.sofa.split('\n\n')[0] + '\n')),
      };
    }, { a: NOTE_A, peter: PETER, enoch: ENOCH, bText: NOTE_B_TEXT, bPeter: NOTE_B_PETER, bEnoch: NOTE_B_ENOCH, sofa: CHECKPOINT_SOFA });
    assert.deepEqual(r.a, { ok: true, reason: 'ok' });
    assert.deepEqual(r.aTampered, { ok: false, reason: 'bad-signature' });
    assert.deepEqual(r.bPeter, { ok: true, reason: 'ok' });
    assert.deepEqual(r.bEnoch, { ok: true, reason: 'ok' });
    assert.deepEqual(r.bOnlyEnoch, { ok: false, reason: 'no-signature-for-key' });
    assert.deepEqual(r.bNoNewline, { ok: false, reason: 'no-final-newline' });
    assert.deepEqual(r.bControl, { ok: false, reason: 'control-character' });
    assert.deepEqual(r.wrongId, { ok: false, reason: 'key-id-mismatch' });
    assert.deepEqual(r.badType, { ok: false, reason: 'unsupported-key-type' });
    assert.deepEqual(r.vkey, { ok: true, name: 'PeterNeumann', keyId: 'c74f20a3', len: 32 });
    assert.deepEqual(r.sofa, { ok: true, origin: 'example.com/behind-the-sofa', size: 20852163, root: 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', keyId: '033de0ae', sigLen: 64 });
    assert.deepEqual(r.sofaZero, { ok: false, reason: 'bad-size' });
    assert.deepEqual(r.sofaShortRoot, { ok: false, reason: 'bad-root-hash' });
    assert.deepEqual(r.sofaNoSig, { ok: false, reason: 'no-signatures' });
  });

  test("this server's checkpoint verifies with its key, and not once changed", async () => {
    const r = await page.evaluate(async () => {
      const V = await import('/js/verify.js');
      const note = await (await fetch('/api/v1/log/checkpoint')).text();
      const { vkey } = await (await fetch('/api/v1/log/key')).json();
      const lines = note.split('\n');
      lines[1] = String(Number(lines[1]) + 1);
      return {
        good: (await V.verifyNote(note, vkey)).ok,
        bad: (await V.verifyNote(lines.join('\n'), vkey)).reason,
        other: (await V.verifyNote(note, 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).reason,
      };
    });
    assert.deepEqual(r, { good: true, bad: 'bad-signature', other: 'no-signature-for-key' });
    await assertClean();
  });

  test('an entry envelope verifies with the key that signed it, and not once changed', async () => {
    const r = await page.evaluate(async () => {
      const V = await import('/js/verify.js');
      const e = (await (await fetch('/api/v1/log/entries?start=0&end=1')).json()).items[0];
      const { vkey } = await (await fetch('/api/v1/log/key')).json();
      const k = await V.parseVkey(vkey);
      const id = await V.partyKeyId(k.publicKey);
      const bytes = V.fromBase64(e.entry);
      const env = JSON.parse(new TextDecoder().decode(bytes));
      const enc = (o) => new TextEncoder().encode(JSON.stringify(o));
      const payload = V.fromBase64(env.payload);
      payload[payload.length - 3] ^= 1;
      const urlSafe = { ...env, payload: env.payload.replace(/\+/g, '-').replace(/\//g, '_') };
      const good = await V.verifyEnvelope(bytes, id, k.publicKey);
      return {
        good: good.ok,
        act: good.act.type,
        urlSafe: (await V.verifyEnvelope(enc(urlSafe), id, k.publicKey)).ok,
        changed: (await V.verifyEnvelope(enc({ ...env, payload: V.toBase64(payload) }), id, k.publicKey)).reason,
        otherId: (await V.verifyEnvelope(bytes, 'ed25519:0000000000000000', k.publicKey)).reason,
        otherKey: (await V.verifyEnvelope(bytes, id, new Uint8Array(32).fill(9))).reason,
        notJson: (await V.verifyEnvelope(new TextEncoder().encode('{'), id, k.publicKey)).reason,
        notB64: (await V.verifyEnvelope(enc({ ...env, payload: '!!' }), id, k.publicKey)).reason,
      };
    });
    assert.deepEqual(r, {
      good: true, act: 'party.register', urlSafe: true, changed: 'bad-signature', otherId: 'no-signature-for-key',
      otherKey: 'bad-signature', notJson: 'bad-envelope', notB64: 'bad-envelope',
    });
    await assertClean();
  });
});

/* ---- the Verify buttons ---------------------------------------------------- */

const box = (page) => page.locator('.verify-box');
const stepStatus = (scope, id) => scope.locator(`li.step[data-step="${id}"]`).getAttribute('data-status');

async function verifyInstrument(page, id = 'a-70-174') {
  await page.goto(`${srv.url}/instruments/${id}`);
  await box(page).getByRole('button', { name: 'Verify in this browser' }).click();
  await box(page).locator('.verdict').waitFor();
  return box(page);
}

/* Flips one bit of one byte of a base64 string. */
function flipB64(s, at) {
  const b = Buffer.from(s, 'base64');
  b[at % b.length] ^= 0x01;
  return b.toString('base64');
}

describe('Verify in this browser', () => {
  test('A/70/174: every step passes, and the key can be pinned', async () => {
    const { page, assertClean } = await open();
    const v = await verifyInstrument(page);
    assert.equal(await v.locator('.verdict').getAttribute('data-verdict'), 'pass');
    assert.match(await v.locator('.verdict').innerText(), /^✓\s+Verified: entry #\d+ is in the log/);
    assert.equal(await stepStatus(v, 'leaf'), 'pass');
    assert.equal(await stepStatus(v, 'author'), 'pass');
    assert.match(await v.locator('li[data-step="author"]').innerText(), /Attested by\s+the log key ed25519:[0-9a-f]{16}/);
    assert.equal(await stepStatus(v, 'inclusion'), 'pass');
    assert.equal(await stepStatus(v, 'signature'), 'pass');
    assert.equal(await stepStatus(v, 'key'), 'info');
    // It says which key it trusted, and where that key came from.
    const { vkey } = (await api(srv.url, '/api/v1/log/key')).body;
    assert.equal(await v.locator('.trust code.vkey').innerText(), vkey);
    assert.match(await v.locator('.trust').innerText(), /fetched from this server/);
    // The entry it checked is the instrument's, and its leaf hash is the one computed here.
    const rec = (await api(srv.url, '/api/v1/instruments/a-70-174')).body;
    const e = (await api(srv.url, `/api/v1/log/entries?start=${rec.log_idx}&end=${rec.log_idx + 1}`)).body.items[0];
    assert.match(await v.locator('.verdict').innerText(), new RegExp(`entry #${rec.log_idx} `));
    assert.ok((await v.locator('li[data-step="leaf"]').innerText()).includes(e.leaf_hash), 'the stated leaf hash is shown');
    // Pin it: the check runs again with the pinned key.
    await v.getByRole('button', { name: 'Pin this key in this browser' }).click();
    await v.locator('li.step[data-step="key"][data-status="pass"]').waitFor();
    assert.equal(await v.locator('.verdict').getAttribute('data-verdict'), 'pass');
    assert.deepEqual(JSON.parse(await page.evaluate(() => localStorage.getItem('detente.logkey'))).vkey, vkey);
    assert.match(await v.locator('.trust').innerText(), /Pinned in this browser on/);
    await assertClean();
  });

  test('tampered entry bytes: the leaf-hash step fails', async () => {
    const { page, assertClean } = await open();
    await page.route(/\/api\/v1\/log\/entries\?/, async (route) => {
      const response = await route.fetch();
      const json = await response.json();
      for (const it of json.items) if (it.entry) it.entry = flipB64(it.entry, 40);
      await route.fulfill({ response, json });
    });
    const v = await verifyInstrument(page);
    assert.equal(await v.locator('.verdict').getAttribute('data-verdict'), 'fail');
    assert.equal(await stepStatus(v, 'leaf'), 'fail');
    assert.match(await v.locator('.verdict').innerText(), /failed at this step: The entry’s content hashes to its stated leaf hash/);
    assert.match(await v.locator('li[data-step="leaf"]').innerText(), /what was shown is not what the log holds/);
    assert.equal(await stepStatus(v, 'author'), 'fail');
    // The stated hash itself is still in the signed tree.
    assert.equal(await stepStatus(v, 'inclusion'), 'pass');
    assert.equal(await stepStatus(v, 'signature'), 'pass');
    await assertClean();
  });

  test('a checkpoint with a changed root: inclusion and signature fail', async () => {
    const { page, assertClean } = await open();
    await page.route(/\/api\/v1\/log\/checkpoint$/, async (route) => {
      const response = await route.fetch();
      const lines = (await response.text()).split('\n');
      lines[2] = flipB64(lines[2], 5);
      await route.fulfill({ response, body: lines.join('\n') });
    });
    const v = await verifyInstrument(page);
    assert.equal(await v.locator('.verdict').getAttribute('data-verdict'), 'fail');
    assert.equal(await stepStatus(v, 'leaf'), 'pass');
    assert.equal(await stepStatus(v, 'inclusion'), 'fail');
    assert.match(await v.locator('li[data-step="inclusion"]').innerText(), /different root from the checkpoint’s/);
    assert.equal(await stepStatus(v, 'signature'), 'fail');
    assert.match(await v.locator('li[data-step="signature"]').innerText(), /signature does not verify/);
    await assertClean();
  });

  test('a pinned key that the server no longer presents is reported', async () => {
    const { page, assertClean } = await open();
    await page.goto(`${srv.url}/`);
    await page.evaluate((k) => localStorage.setItem('detente.logkey', JSON.stringify({ vkey: k, pinned_ms: Date.UTC(2026, 0, 2) })), PETER);
    // The log page warns at once.
    await page.goto(`${srv.url}/log`);
    await page.locator('.callout.key-changed').getByText('The log key has changed').waitFor();
    // A verification fails on the key and on the signature.
    const v = await verifyInstrument(page);
    assert.equal(await v.locator('.verdict').getAttribute('data-verdict'), 'fail');
    assert.equal(await stepStatus(v, 'key'), 'fail');
    assert.equal(await stepStatus(v, 'signature'), 'fail');
    assert.match(await v.locator('li[data-step="signature"]').innerText(), /no signature by the trusted log key/);
    assert.match(await v.locator('.key-changed').innerText(), /you pinned in this browser on 2 Jan 2026/);
    // Trusting the server's key instead makes it pass again.
    await v.getByRole('button', { name: 'Trust the new key instead' }).click();
    await v.locator('.verdict[data-verdict="pass"]').waitFor();
    assert.equal(await stepStatus(v, 'key'), 'pass');
    await assertClean();
  });

  test('party, forum and norm pages, and Bahasa Indonesia', async () => {
    const { page, assertClean } = await open({ lang: 'id' });
    for (const path of ['/parties/IDN', '/forums/gge-2016-2017', '/norms/gge2015-f']) {
      await page.goto(`${srv.url}${path}`);
      await box(page).getByRole('button', { name: 'Verifikasi di peramban ini' }).click();
      await box(page).locator('.verdict[data-verdict="pass"]').waitFor();
      assert.match(await box(page).locator('.verdict').innerText(), /Terverifikasi/);
      assert.equal(await box(page).locator('li.step[data-status="pass"]').count(), 4, path);
    }
    await assertClean();
  });

  test('the log: verify a row, and check that the log grew honestly', async () => {
    const { page, assertClean } = await open();
    const rec = (await api(srv.url, '/api/v1/instruments/a-res-73-27')).body;
    await page.goto(`${srv.url}/log?start=${rec.log_idx}`);
    await page.getByRole('button', { name: `Verify entry #${rec.log_idx} in this browser` }).click();
    const row = page.locator(`#verify-${rec.log_idx}`);
    await row.locator('.verdict[data-verdict="pass"]').waitFor();
    assert.equal(await row.locator('li.step[data-status="pass"]').count(), 4);

    // A confidential entry: only its hash is public, so the content is not
    // checked, but its inclusion and the checkpoint's signature are.
    const size = (await api(srv.url, '/api/v1/health')).body.log_size;
    const all = (await api(srv.url, `/api/v1/log/entries?start=${Math.max(0, size - 100)}&end=${size}`)).body.items;
    const secret = all.find((x) => x.redacted);
    assert.ok(secret, 'the demo log has a confidential entry (user.add)');
    await page.goto(`${srv.url}/log?start=${secret.index}`);
    await page.getByRole('button', { name: `Verify entry #${secret.index} in this browser` }).click();
    const srow = page.locator(`#verify-${secret.index}`);
    await srow.locator('.verdict[data-verdict="pass"]').waitFor();
    assert.equal(await stepStatus(srow, 'leaf'), 'skip');
    assert.equal(await stepStatus(srow, 'author'), 'skip');
    assert.match(await srow.locator('.verdict').innerText(), /content is confidential and was not checked/);
    assert.match(await srow.locator('li[data-step="leaf"]').innerText(), /confidential: only its hash is public/);
    assert.equal(await stepStatus(srow, 'inclusion'), 'pass');
    assert.equal(await stepStatus(srow, 'signature'), 'pass');

    // First check: remembered.
    const grow = page.locator('.growth');
    await grow.getByRole('button', { name: 'Check the log grew honestly' }).click();
    await grow.locator('.verdict[data-verdict="pass"]').waitFor();
    assert.match(await grow.locator('.verdict').innerText(), /verified and remembered/);
    const first = JSON.parse(await page.evaluate(() => localStorage.getItem('detente.checkpoint')));
    assert.ok(first.size > 700, `remembered size ${first.size}`);

    // The log grows (a sign-in and a token: two entries) ...
    const s = await api(srv.url, '/api/v1/session', { method: 'POST', body: { username: OPERATOR.username, password: OPERATOR.password } });
    const tok = await api(srv.url, '/api/v1/tokens', { method: 'POST', cookie: s.cookie, csrf: s.body.csrf_token, body: { name: 'grow the log' } });
    assert.equal(tok.status, 201, tok.text);
    // ... and a consistency proof shows it only grew.
    await page.reload();
    await grow.getByRole('button', { name: 'Check the log grew honestly' }).click();
    await grow.locator('.verdict').waitFor();
    assert.equal(await grow.locator('.verdict').getAttribute('data-verdict'), 'pass');
    assert.match(await grow.locator('.verdict').innerText(), new RegExp(`the ${first.size.toLocaleString('en-GB')} entries verified before are unchanged`));
    assert.equal(await stepStatus(grow, 'consistency'), 'pass');
    const second = JSON.parse(await page.evaluate(() => localStorage.getItem('detente.checkpoint')));
    assert.ok(second.size > first.size);

    // A remembered root the log never had: the log "was rewritten".
    await page.evaluate(() => {
      const c = JSON.parse(localStorage.getItem('detente.checkpoint'));
      c.size -= 1;
      localStorage.setItem('detente.checkpoint', JSON.stringify(c));
    });
    await page.reload();
    await grow.getByRole('button', { name: 'Check the log grew honestly' }).click();
    await grow.locator('.verdict').waitFor();
    assert.equal(await grow.locator('.verdict').getAttribute('data-verdict'), 'fail');
    assert.equal(await stepStatus(grow, 'consistency'), 'fail');
    assert.match(await grow.locator('li[data-step="consistency"]').innerText(), /entries from before were changed/);
    // A failure keeps the old checkpoint; forgetting it starts afresh.
    await grow.getByRole('button', { name: 'Forget the remembered checkpoint' }).click();
    assert.equal(await page.evaluate(() => localStorage.getItem('detente.checkpoint')), null);
    await grow.getByText('has not verified a checkpoint of this log yet').waitFor();
    await assertClean();
  });
});

/* ---- the signing key in the browser ---------------------------------------- */

describe('a signing key in the browser', () => {
  test('create and register a key, sign a party.register, verify it, revoke the key', async () => {
    const { page, assertClean } = await open({ allow: [/status of 400 \(Bad Request\) @ .*\/api\/v1\/acts\/batch$/] });
    await signIn(page, OPERATOR);
    const keyBox = page.locator('.browser-key');
    await keyBox.getByText('This browser holds no signing key for you.').waitFor();
    // The statement tool says there is no key, and offers to make one.
    const stmt = page.locator('section[aria-labelledby="statement-h"]');
    await stmt.getByText('You have no active signing key in this browser.').waitFor();
    assert.equal(await stmt.getByRole('button', { name: 'Create a signing key' }).count(), 1);

    await keyBox.getByRole('button', { name: 'Create a signing key' }).click();
    await keyBox.locator('[data-key-state="active"]').waitFor();
    const keyId = await keyBox.locator('code.key-id').innerText();
    assert.match(keyId, /^ed25519:[0-9a-f]{16}$/);
    await page.getByText(`Key ${keyId} created and registered`).waitFor();

    // The private key is a non-extractable CryptoKey kept in IndexedDB.
    const stored = await page.evaluate((user) => new Promise((resolve, reject) => {
      const rq = indexedDB.open('detente');
      rq.onerror = () => reject(rq.error);
      rq.onsuccess = () => {
        const g = rq.result.transaction('signing-keys').objectStore('signing-keys').get(user);
        g.onsuccess = async () => {
          const k = g.result.privateKey;
          let exported = 'yes';
          try {
            await crypto.subtle.exportKey('pkcs8', k);
          } catch (e) {
            exported = e.name;
          }
          resolve({ id: g.result.id, type: k.type, alg: k.algorithm.name, extractable: k.extractable, exported });
        };
      };
    }), OPERATOR.username);
    assert.deepEqual(stored, { id: keyId, type: 'private', alg: 'Ed25519', extractable: false, exported: 'InvalidAccessError' });

    // The server has it, registered by an act the key signed itself.
    const keys = await page.evaluate(async () => (await fetch('/api/v1/keys')).json());
    const mine = keys.items.find((k) => k.id === keyId);
    assert.ok(mine && mine.revoked_ms == null, JSON.stringify(keys));
    const pub = Buffer.from(mine.public_key, 'base64');
    assert.equal('ed25519:' + createHash('sha256').update(pub).digest('hex').slice(0, 16), keyId);
    const reg = (await api(srv.url, `/api/v1/log/entries?start=${mine.log_idx}&end=${mine.log_idx + 1}`)).body.items[0];
    assert.equal(reg.type, 'key.register');
    assert.equal(reg.signer, keyId);
    const keysTable = page.locator('.keys-table');
    await keysTable.locator('tr', { hasText: keyId }).getByText('In this browser').waitFor();

    // Sign a statement of record.
    await stmt.getByLabel('Organisation code').fill('brwsr-org');
    await stmt.getByLabel('Name').fill('Browser-Signed Organisation');
    await stmt.getByLabel('Source (title)').fill('e2e test');
    await stmt.getByLabel('Source (URL, optional)').fill('https://example.org/e2e');
    await stmt.getByRole('button', { name: 'Sign and submit' }).click();
    const receipt = stmt.locator('.receipt');
    await receipt.waitFor();
    assert.match(await receipt.innerText(), /“Browser-Signed Organisation” signed and recorded/);
    const href = await receipt.locator('a.log-link').getAttribute('href');
    const index = Number(/start=(\d+)/.exec(href)[1]);

    // The log entry: signed by that key, leaf hash over the exact bytes, and
    // the DSSE signature verifies with the registered public key.
    const e = (await api(srv.url, `/api/v1/log/entries?start=${index}&end=${index + 1}`)).body.items[0];
    assert.equal(e.type, 'party.register');
    assert.equal(e.signer, keyId);
    assert.equal(e.user, OPERATOR.username);
    assert.ok((await receipt.innerText()).includes(e.leaf_hash), 'the receipt shows the leaf hash');
    const bytes = Buffer.from(e.entry, 'base64');
    assert.equal(createHash('sha256').update(Buffer.concat([Buffer.from([0]), bytes])).digest('base64'), e.leaf_hash);
    const env = JSON.parse(bytes.toString('utf8'));
    assert.equal(env.payloadType, PAYLOAD_TYPE);
    assert.equal(env.signatures[0].keyid, keyId);
    const payload = Buffer.from(env.payload, 'base64');
    const act = JSON.parse(payload.toString('utf8'));
    assert.equal(act.type, 'party.register');
    assert.equal(act.user, OPERATOR.username);
    assert.equal(act.party, null);
    assert.equal(act.tlp, 'TLP:CLEAR');
    assert.match(act.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(Buffer.from(act.salt, 'base64').length, 16);
    assert.deepEqual(act.body, { code: 'BRWSR-ORG', name: 'Browser-Signed Organisation', kind: 'organisation', sources: [{ title: 'e2e test', url: 'https://example.org/e2e' }] });
    const pae = Buffer.concat([Buffer.from(`DSSEv1 ${PAYLOAD_TYPE.length} ${PAYLOAD_TYPE} ${payload.length} `), payload]);
    const pubKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: pub.toString('base64url') }, format: 'jwk' });
    assert.ok(edVerify(null, pae, pubKey, Buffer.from(env.signatures[0].sig, 'base64')), 'the DSSE signature verifies');
    // The record exists, created by that entry.
    const party = (await api(srv.url, '/api/v1/parties/BRWSR-ORG')).body;
    assert.equal(party.log_idx, index);

    // The receipt's verify button checks it in the browser.
    await receipt.getByRole('button', { name: 'Verify in this browser' }).click();
    await receipt.locator('.verdict[data-verdict="pass"]').waitFor();
    assert.equal(await receipt.locator('li.step[data-status="pass"]').count(), 4);
    // The author step checked the party's signature with the registered key.
    const author = receipt.locator('li[data-step="author"]');
    assert.equal(await author.getAttribute('data-status'), 'pass');
    assert.match(await author.innerText(), new RegExp(`Signed by\\s+${OPERATOR.username}`));
    assert.match(await author.innerText(), new RegExp(keyId));
    // A server that hands out another key for the signer is caught.
    await page.route(/\/api\/v1\/keys\/ed25519/, async (route) => {
      const response = await route.fetch();
      const json = await response.json();
      json.public_key = Buffer.alloc(32, 7).toString('base64');
      await route.fulfill({ response, json });
    });
    await receipt.getByRole('button', { name: 'Verify in this browser' }).click();
    await receipt.locator('.verdict[data-verdict="fail"]').waitFor();
    assert.match(await author.innerText(), /does not match the key ID/);
    await page.unroute(/\/api\/v1\/keys\/ed25519/);
    // So is one that names another owner, or points at another entry as
    // the key's registration: the log must hold the registration.
    for (const lie of [{ user: 'someone-else' }, { log_idx: 0 }]) {
      await page.route(/\/api\/v1\/keys\/ed25519/, async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, json: { ...(await response.json()), ...lie } });
      });
      await receipt.getByRole('button', { name: 'Verify in this browser' }).click();
      await receipt.locator('.verdict[data-verdict="fail"]').waitFor();
      assert.match(await author.innerText(), /holds no registration of this key/, JSON.stringify(lie));
      await page.unroute(/\/api\/v1\/keys\/ed25519/);
    }
    // A key revoked before the entry signs nothing after it.
    await page.route(/\/api\/v1\/keys\/ed25519/, async (route) => {
      const response = await route.fetch();
      const json = await response.json();
      await route.fulfill({ response, json: { ...json, revoked_ms: Date.now(), revoked_idx: json.log_idx } });
    });
    await receipt.getByRole('button', { name: 'Verify in this browser' }).click();
    await receipt.locator('.verdict[data-verdict="fail"]').waitFor();
    assert.match(await author.innerText(), /had been revoked before this entry/);
    await page.unroute(/\/api\/v1\/keys\/ed25519/);

    // An organisation with its members: signed here, one batch, all or none.
    await stmt.getByLabel('Organisation code').fill('brwsr-grp');
    await stmt.getByLabel('Name').fill('Browser-Signed Group');
    await stmt.getByLabel('Source (title)').fill('e2e test');
    await stmt.getByLabel('Members (party codes, optional)').fill('usa, FRA ;no-such');
    await stmt.getByRole('button', { name: 'Sign and submit' }).click();
    await stmt.locator('.alert-error', { hasText: /acts\[3\]: .*not in the record/ }).waitFor();
    assert.equal((await api(srv.url, '/api/v1/parties/BRWSR-GRP')).status, 404, 'a refused batch records nothing');
    await stmt.getByLabel('Members (party codes, optional)').fill('usa, FRA');
    await stmt.getByRole('button', { name: 'Sign and submit' }).click();
    await receipt.getByText('“Browser-Signed Group” signed and recorded').waitFor();
    assert.match(await receipt.innerText(), /2 recorded with it \(3 signed acts in one batch\)/);
    const grp = (await api(srv.url, '/api/v1/parties/BRWSR-GRP')).body;
    assert.deepEqual(grp.members.map((m) => m.code).sort(), ['FRA', 'USA']);
    const three = (await api(srv.url, `/api/v1/log/entries?start=${grp.log_idx}&end=${grp.log_idx + 3}`)).body.items;
    assert.deepEqual(three.map((x) => [x.type, x.signer]), [['party.register', keyId], ['membership.add', keyId], ['membership.add', keyId]]);

    // Revoke the key: the server marks it revoked, the browser forgets it.
    page.once('dialog', (d) => d.accept());
    await keysTable.getByRole('button', { name: `Revoke key ${keyId}` }).click();
    await page.getByText(`Key ${keyId} revoked; this browser has deleted it.`).waitFor();
    await keysTable.locator('tr', { hasText: keyId }).getByText('Revoked').waitFor();
    await keyBox.locator('[data-key-state="none"]').waitFor();
    const after = await page.evaluate(async () => (await fetch('/api/v1/keys')).json());
    assert.ok(after.items.find((k) => k.id === keyId).revoked_ms > 0);
    await stmt.getByText('You have no active signing key in this browser.').waitFor();
    // An entry signed before the revocation still verifies, and says so.
    await page.goto(`${srv.url}/log?start=${index}`);
    await page.getByRole('button', { name: `Verify entry #${index} in this browser` }).click();
    const signedRow = page.locator(`#verify-${index}`);
    await signedRow.locator('.verdict[data-verdict="pass"]').waitFor();
    assert.match(await signedRow.locator('li[data-step="author"]').innerText(), /Key revoked on\s+#\d+ · /);
    await assertClean();
  });
});
