#!/usr/bin/env node
/*
 * gen-record.mjs - build data/record/*.json, the historical record that
 * `detente init --demo` submits act by act.
 *
 * Inputs (all under data/, never outside the repository):
 *   sources/parties.json        UN members, observers, organisations (copy)
 *   sources/un-cyber-votes.json per-country votes, alpha-2 codes (copy)
 *   curated/*.json              facts typed by hand from record-facts.md
 * Outputs:
 *   record/10-parties.json      party.register
 *   record/20-memberships.json  membership.add
 *   record/30-norms.json        norm.define
 *   record/40-forums.json       forum.establish
 *   record/50-instruments.json  instrument.record
 *   record/60-votes.json        vote.record
 *   record/70-signatures.json   instrument.join
 *
 * Usage: node scripts/gen-record.mjs [--check]
 *   --check  build and self-check, then compare with the files on disk
 *            instead of writing them; exit 1 if they differ.
 *
 * The output is deterministic: same inputs, same bytes. Every body is
 * validated against the same act schemas the server enforces (unknown
 * fields rejected), and the whole record is replayed in order to prove that
 * every reference points to something created by an earlier act. Any
 * failure prints all problems and exits 1; nothing is written.
 *
 * Node 20, no dependencies.
 */

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, 'data');
const SRC = path.join(DATA, 'sources');
const CUR = path.join(DATA, 'curated');
const OUT = path.join(DATA, 'record');

const problems = [];
function fail(msg) {
  problems.push(msg);
}
function die() {
  if (problems.length === 0) return;
  for (const p of problems) console.error(`gen-record: ${p}`);
  console.error(`gen-record: ${problems.length} problem(s); nothing written`);
  process.exit(1);
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`gen-record: cannot read ${path.relative(ROOT, file)}: ${e.message}`);
    process.exit(1);
  }
}

/* ------------------------------------------------------------------ */
/* Act schemas: one table, mirroring the server's strict validation.   */
/* ------------------------------------------------------------------ */

const MAX_STR = 4000;
const MAX_PROSE = 2000; /* our own tighter budget for summaries etc. */

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function isDate(v) {
  if (typeof v !== 'string') return false;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(v);
  if (!m) return false;
  if (m[2] === undefined) return true;
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return false;
  if (m[3] === undefined) return true;
  const d = Number(m[3]);
  const dim = new Date(Date.UTC(Number(m[1]), mo, 0)).getUTCDate();
  return d >= 1 && d <= dim;
}

/* Validators return null when the value is acceptable, else a reason. */
const V = {
  str: (max = MAX_STR) => (v) =>
    typeof v === 'string' && v.length > 0 && v.length <= max ? null : `a non-empty string of at most ${max} chars`,
  bool: () => (v) => (typeof v === 'boolean' ? null : 'a boolean'),
  date: () => (v) => (isDate(v) ? null : 'a date YYYY, YYYY-MM or YYYY-MM-DD'),
  slug: () => (v) => (typeof v === 'string' && /^[a-z0-9-]{1,64}$/.test(v) ? null : 'a slug [a-z0-9-]{1,64}'),
  code: () => (v) =>
    typeof v === 'string' && (/^[A-Z]{3}$/.test(v) || /^[A-Z0-9-]{2,16}$/.test(v)) ? null : 'a party code',
  re: (re, what) => (v) => (typeof v === 'string' && re.test(v) ? null : what),
  oneOf: (...xs) => (v) => (xs.includes(v) ? null : `one of ${xs.join('|')}`),
  nullable: (f) => (v) => (v === null ? null : f(v)),
  array: (f, { min = 0, max = 1000 } = {}) => (v) => {
    if (!Array.isArray(v)) return 'an array';
    if (v.length < min || v.length > max) return `an array of ${min}..${max} items`;
    for (let i = 0; i < v.length; i++) {
      const r = f(v[i]);
      if (r) return `[${i}] ${r}`;
    }
    return null;
  },
  object: (fields) => (v) => {
    if (!isObj(v)) return 'an object';
    for (const k of Object.keys(v)) if (!(k in fields)) return `unknown field "${k}"`;
    for (const [k, f] of Object.entries(fields)) {
      if (!(k in v)) return `missing field "${k}"`;
      const r = f(v[k]);
      if (r) return `.${k}: ${r}`;
    }
    return null;
  },
  int: () => (v) => (Number.isInteger(v) && v >= 0 ? null : 'a non-negative integer'),
};

const SOURCE = V.object({ title: V.str(500), url: V.re(/^https?:\/\/\S+$/, 'an http(s) URL') });
const ALPHA3 = V.re(/^[A-Z]{3}$/, 'an alpha-3 code');

/*
 * For each act type: its fields in output order as [name, validator, mode],
 * mode 'req' (must be present, may be null if the validator allows it) or
 * 'opt' (omitted when undefined). The common fields come last.
 */
const COMMON = [
  ['sources', V.array(SOURCE, { min: 1, max: 20 }), 'req'],
  ['unconfirmed', V.bool(), 'opt'],
  ['note', V.str(MAX_PROSE), 'opt'],
];

const SCHEMAS = {
  'party.register': [
    ['code', V.code(), 'req'],
    ['name', V.str(200), 'req'],
    ['kind', V.oneOf('state', 'observer_state', 'organisation', 'group'), 'req'],
    ['alpha2', V.nullable(V.re(/^[A-Z]{2}$/, 'an alpha-2 code')), 'req'],
    ['numeric', V.nullable(V.re(/^\d{3}$/, 'a 3-digit code')), 'req'],
    ['un_group', V.nullable(V.oneOf('African', 'Asia-Pacific', 'Eastern European', 'GRULAC', 'WEOG')), 'req'],
    ['admitted', V.nullable(V.date()), 'req'],
    ['description', V.str(MAX_PROSE), 'opt'],
  ],
  'translation.record': [
    ['lang', V.oneOf('id'), 'req'],
    ['kind', V.oneOf('party', 'norm', 'forum', 'instrument'), 'req'],
    ['ref', V.str(64), 'req'],
    ['fields', (v) => (isObj(v) && Object.values(v).every((x) => typeof x === 'string' && x.length > 0) ? null : 'an object of texts'), 'req'],
    ['commitments', V.array(V.object({ id: V.slug(), text: V.str(2000) }), { min: 0, max: 50 }), 'opt'],
    ['unofficial', V.bool(), 'req'],
  ],
  'membership.add': [
    ['organisation', V.code(), 'req'],
    ['member', V.code(), 'req'],
    ['since', V.nullable(V.date()), 'req'],
    ['until', V.nullable(V.date()), 'req'],
    ['role', V.oneOf('member', 'observer', 'partner'), 'req'],
  ],
  'norm.define': [
    ['id', V.slug(), 'req'],
    ['code', V.re(/^[a-z]$/, 'a single letter'), 'req'],
    ['title', V.str(120), 'req'],
    ['text', V.str(MAX_PROSE), 'req'],
  ],
  'forum.establish': [
    ['id', V.slug(), 'req'],
    ['name', V.str(300), 'req'],
    ['short_name', V.str(60), 'req'],
    ['kind', V.oneOf('bilateral', 'plurilateral', 'regional', 'expert_group', 'open_ended', 'plenary'), 'req'],
    ['parent', V.nullable(V.slug()), 'req'],
    ['mandate', V.str(MAX_PROSE), 'req'],
    ['established_by', V.nullable(V.str(100)), 'req'],
    ['membership_rule', V.str(MAX_PROSE), 'req'],
    ['decision_rule', V.oneOf('consensus', 'majority', 'two_thirds', 'consensus_or_vote'), 'req'],
    ['start', V.nullable(V.date()), 'req'],
    ['end', V.nullable(V.date()), 'req'],
    [
      'members',
      V.array(V.object({ party: V.code(), role: V.oneOf('chair', 'member', 'observer') }), { max: 400 }),
      'req',
    ],
  ],
  'instrument.record': [
    ['id', V.slug(), 'req'],
    ['symbol', V.nullable(V.str(100)), 'req'],
    ['title', V.str(400), 'req'],
    [
      'kind',
      V.oneOf('report', 'resolution', 'decision', 'joint_statement', 'agreement', 'convention', 'toolbox',
        'sanctions_regime', 'outcome'),
      'req',
    ],
    ['date', V.date(), 'req'],
    ['forum', V.nullable(V.slug()), 'req'],
    ['binding', V.bool(), 'req'],
    ['outcome', V.oneOf('adopted', 'failed', 'open_for_signature', 'in_force', 'signed'), 'req'],
    ['outcome_reason', V.nullable(V.str(MAX_PROSE)), 'req'],
    ['adoption', V.nullable(V.oneOf('consensus', 'without_vote', 'recorded_vote', 'signature')), 'req'],
    ['vote_totals', V.nullable(V.object({ yes: V.int(), no: V.int(), abstain: V.int() })), 'req'],
    ['summary', V.str(MAX_PROSE), 'req'],
    ['norms', V.array(V.object({ norm: V.slug(), relation: V.oneOf('establishes', 'affirms') }), { max: 50 }), 'req'],
    ['commitments', V.array(V.object({ id: V.slug(), text: V.str(MAX_PROSE) }), { max: 50 }), 'req'],
  ],
  'vote.record': [
    ['instrument', V.slug(), 'req'],
    ['date', V.date(), 'req'],
    ['yes', V.array(ALPHA3, { max: 200 }), 'req'],
    ['no', V.array(ALPHA3, { max: 200 }), 'req'],
    ['abstain', V.array(ALPHA3, { max: 200 }), 'req'],
  ],
  'instrument.join': [
    ['instrument', V.slug(), 'req'],
    [
      'parties',
      V.array(
        V.object({
          party: V.code(),
          relation: V.oneOf('signatory', 'sponsor', 'party'),
          date: V.nullable(V.date()),
        }),
        { min: 1, max: 200 },
      ),
      'req',
    ],
  ],
};

/*
 * Build an act from a raw body: keys starting with '$' (generator
 * directives) must have been consumed already; any other unknown key is an
 * error, as it would be on the server. The body comes out in schema order,
 * with "unconfirmed" only when true.
 */
function act(type, raw, where) {
  const schema = [...SCHEMAS[type], ...COMMON];
  const known = new Set(schema.map(([k]) => k));
  for (const k of Object.keys(raw)) {
    if (k.startsWith('$')) fail(`${where}: unconsumed directive "${k}"`);
    else if (!known.has(k)) fail(`${where}: unknown field "${k}" for ${type}`);
  }
  const body = {};
  for (const [k, f, mode] of schema) {
    const v = raw[k];
    if (v === undefined) {
      if (mode === 'req') fail(`${where}: missing field "${k}"`);
      continue;
    }
    if (k === 'unconfirmed' && v === false) continue;
    const r = f(v);
    if (r) fail(`${where}: ${k} must be ${r}`);
    body[k] = v;
  }
  if (body.unconfirmed && !body.note) fail(`${where}: unconfirmed without a note saying what is unconfirmed`);
  if (!body.unconfirmed && typeof body.note === 'string' && body.note.includes('UNCONFIRMED'))
    fail(`${where}: note says UNCONFIRMED but the body is not marked unconfirmed`);
  return { type, body };
}

/* Consume the '$' directives of a curated object; return the rest. */
function strip(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) if (!k.startsWith('$')) out[k] = v;
  return out;
}

/* ------------------------------------------------------------------ */
/* Inputs                                                              */
/* ------------------------------------------------------------------ */

const parties = readJson(path.join(SRC, 'parties.json'));
const votes = readJson(path.join(SRC, 'un-cyber-votes.json'));
const cParties = readJson(path.join(CUR, 'parties.json'));
const cNorms = readJson(path.join(CUR, 'norms.json'));
const cForums = readJson(path.join(CUR, 'forums.json'));
const cInstr = readJson(path.join(CUR, 'instruments.json'));
const cJoins = readJson(path.join(CUR, 'joins.json'));

/*
 * Turn a source string of parties.json into {title, url}. Accepted forms:
 *   "https://host/path (what it supports)"
 *   "github:owner/repo@commit path/in/repo (what it supports)"
 *   anything listed in curated/parties.json "source_map".
 */
function toSource(s, ctx) {
  if (cParties.source_map[s]) return cParties.source_map[s];
  let m = /^(https?:\/\/\S+)(?:\s+\((.*)\))?$/.exec(s);
  if (m) {
    const host = new URL(m[1]).hostname.replace(/^www\./, '');
    return { title: m[2] ? `${host}: ${m[2]}` : host, url: m[1] };
  }
  m = /^github:([\w.-]+\/[\w.-]+)@([0-9a-f]{7,40})\s+(\S+)(?:\s+\((.*)\))?$/.exec(s);
  if (m) {
    const title = `${m[1]} ${m[3]}` + (m[4] ? ` (${m[4]})` : '');
    return { title, url: `https://github.com/${m[1]}/blob/${m[2]}/${m[3]}` };
  }
  fail(`${ctx}: cannot turn source "${s}" into {title, url}; add it to curated/parties.json source_map`);
  return { title: s, url: 'https://invalid.example/' };
}

/* ------------------------------------------------------------------ */
/* 10-parties: party.register                                          */
/* ------------------------------------------------------------------ */

const partyActs = [];
for (const m of parties.un_members) {
  const un_group = cParties.un_group_map[m.group];
  if (!un_group) fail(`parties.json ${m.alpha3}: unknown group "${m.group}"`);
  const raw = {
    code: m.alpha3,
    name: m.name,
    kind: 'state',
    alpha2: m.alpha2,
    numeric: m.numeric,
    un_group: un_group ?? null,
    admitted: m.admitted,
    description: m.admission_note,
    sources: [...cParties.state_sources, ...(cParties.state_extra_sources[m.alpha3] ?? [])],
    note: m.group_note,
    ...(cParties.state_overrides[m.alpha3] ?? {}),
  };
  partyActs.push(act('party.register', raw, `party ${m.alpha3}`));
}
for (const o of parties.observers) {
  const c = cParties.observers[o.alpha3];
  if (!c) {
    fail(`observer ${o.alpha3} has no entry in curated/parties.json`);
    continue;
  }
  partyActs.push(
    act(
      'party.register',
      {
        code: o.alpha3,
        name: o.name,
        kind: 'observer_state',
        alpha2: o.alpha2,
        numeric: o.numeric,
        un_group: null,
        admitted: null,
        description: c.description,
        sources: c.sources,
      },
      `party ${o.alpha3}`,
    ),
  );
}
for (const o of parties.organisations) {
  const c = cParties.organisations[o.code];
  if (!c) {
    fail(`organisation ${o.code} has no entry in curated/parties.json`);
    continue;
  }
  partyActs.push(
    act(
      'party.register',
      {
        code: o.code,
        name: o.name,
        kind: c.kind,
        alpha2: null,
        numeric: null,
        un_group: null,
        admitted: null,
        description: c.description,
        sources: o.source.map((s) => toSource(s, `organisation ${o.code}`)),
      },
      `party ${o.code}`,
    ),
  );
}

/* ------------------------------------------------------------------ */
/* 20-memberships: membership.add                                      */
/* ------------------------------------------------------------------ */

/* override lookup: "ORG/MEMBER" -> {unconfirmed, note, since} */
const mOverride = new Map();
for (const ov of cParties.membership_overrides) {
  for (const mem of ov.members) {
    const key = `${ov.organisation}/${mem}`;
    if (mOverride.has(key)) fail(`membership override ${key} given twice`);
    mOverride.set(key, ov);
  }
}
const usedOverrides = new Set();

const membershipActs = [];
const skipped = [];
for (const o of parties.organisations) {
  const sources = o.source.map((s) => toSource(s, `organisation ${o.code}`));
  const joined = new Map((o.member_details ?? []).map((d) => [d.alpha3, d.joined]));
  const rows = [];
  /*
   * Members without an ISO code of their own (the SADR in the AU, listed
   * under the Western Sahara code ESH) are not parties: skipped, and said
   * so in the organisation's description.
   */
  const nonIso = new Set((o.non_iso_members ?? []).map((n) => n.alpha3));
  for (const mem of o.members) {
    if (nonIso.has(mem)) {
      skipped.push(`${o.code}/${mem}`);
      continue;
    }
    rows.push({ member: mem, since: joined.get(mem) ?? null, until: null, role: 'member' });
  }
  for (const mem of o.also_participating ?? []) rows.push({ member: mem, since: null, until: null, role: 'member' });
  for (const mem of o.non_member_participants ?? [])
    rows.push({ member: mem, since: null, until: null, role: 'member' });
  for (const f of o.former_members ?? [])
    rows.push({ member: f.alpha3, since: f.joined ?? null, until: f.left, role: 'member' });
  for (const mem of o.observers ?? []) rows.push({ member: mem, since: null, until: null, role: 'observer' });
  for (const p of o.partners ?? []) rows.push({ member: p.alpha3, since: p.since ?? null, until: null, role: 'partner' });

  for (const r of rows) {
    const key = `${o.code}/${r.member}`;
    const ov = mOverride.get(key);
    if (ov) usedOverrides.add(key);
    const raw = {
      organisation: o.code,
      member: r.member,
      since: ov?.since ?? r.since,
      until: r.until,
      role: r.role,
      sources,
      unconfirmed: ov?.unconfirmed,
      note: ov?.note,
    };
    membershipActs.push(act('membership.add', raw, `membership ${key}`));
  }
}
for (const key of mOverride.keys())
  if (!usedOverrides.has(key)) fail(`membership override ${key} matches no membership in parties.json`);

/* ------------------------------------------------------------------ */
/* 30-norms: norm.define                                               */
/* ------------------------------------------------------------------ */

const normActs = cNorms.norms.map((n) =>
  act('norm.define', { ...n, sources: n.sources ?? cNorms.sources }, `norm ${n.id}`),
);
const normIds = cNorms.norms.map((n) => n.id);

/* ------------------------------------------------------------------ */
/* 40-forums: forum.establish                                          */
/* ------------------------------------------------------------------ */

function membersFrom(spec, where) {
  if (spec === 'un')
    return [
      ...parties.un_members.map((m) => ({ party: m.alpha3, role: 'member' })),
      ...parties.observers.map((m) => ({ party: m.alpha3, role: 'observer' })),
    ];
  const org = parties.organisations.find((o) => o.code === spec);
  if (!org) {
    fail(`${where}: $members_from "${spec}" is neither "un" nor an organisation`);
    return [];
  }
  return org.members.map((c) => ({ party: c, role: 'member' }));
}

const forumActs = cForums.forums.map((f) => {
  const raw = strip(f);
  if (f.$members_from) {
    if (f.members.length) fail(`forum ${f.id}: both members and $members_from`);
    raw.members = membersFrom(f.$members_from, `forum ${f.id}`);
  }
  return act('forum.establish', raw, `forum ${f.id}`);
});

/* ------------------------------------------------------------------ */
/* 50-instruments: instrument.record                                   */
/* ------------------------------------------------------------------ */

const instrActs = cInstr.instruments.map((i) => {
  const raw = strip(i);
  if (i.$norms) {
    const [relation, which] = i.$norms;
    if (which !== 'all' || i.norms.length) fail(`instrument ${i.id}: bad $norms`);
    raw.norms = normIds.map((norm) => ({ norm, relation }));
  }
  return act('instrument.record', raw, `instrument ${i.id}`);
});

/* ------------------------------------------------------------------ */
/* 60-votes: vote.record (alpha-2 -> alpha-3)                          */
/* ------------------------------------------------------------------ */

const a2to3 = new Map();
for (const m of [...parties.un_members, ...parties.observers]) a2to3.set(m.alpha2, m.alpha3);
const stateCodes = new Set(parties.un_members.map((m) => m.alpha3));
for (const al of parties.code_aliases) {
  /* Only aliases that map to a registered state apply (YU -> SRB, NA -> NAM). */
  const to = al.map_to?.alpha3;
  if (al.code && to && stateCodes.has(to)) {
    if (a2to3.has(al.code) && a2to3.get(al.code) !== to) fail(`code alias ${al.code} conflicts with ISO`);
    a2to3.set(al.code, to);
  }
}

/* source codes that are not the ISO alpha-2 of the state they stand for */
const aliasCodes = new Set(
  parties.code_aliases
    .filter((al) => al.code && al.map_to?.alpha2 && al.map_to.alpha2 !== al.code && stateCodes.has(al.map_to.alpha3))
    .map((al) => al.code),
);

const VOTE_SOURCES = [
  {
    title: 'Erik Voeten et al., United Nations General Assembly Voting Data, Harvard Dataverse hdl:1902.1/12379 (CC0)',
    url: 'https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379',
  },
  {
    title: 'unvotes R package 0.3.0 (data/un_votes.rda, data/un_roll_calls.rda), CRAN mirror cran/unvotes',
    url: 'https://github.com/cran/unvotes',
  },
];

const bySymbol = new Map(cInstr.instruments.map((i) => [i.symbol, i]));
const voteActs = [];
const voteKeys = Object.keys(votes).sort((a, b) => {
  const d = votes[a].date.localeCompare(votes[b].date);
  return d !== 0 ? d : votes[a].rcid - votes[b].rcid;
});
for (const sym of voteKeys) {
  const v = votes[sym];
  const inst = bySymbol.get(sym);
  if (!inst) {
    fail(`votes: no instrument with symbol ${sym}`);
    continue;
  }
  const conv = (list, which) =>
    list.map((a2) => {
      const a3 = a2to3.get(a2);
      if (!a3) fail(`votes ${sym} ${which}: unknown code ${a2}`);
      return a3 ?? 'XXX';
    }).sort();
  const aliased = [...v.yes, ...v.no, ...v.abstain].filter((c) => aliasCodes.has(c)).sort();
  voteActs.push(
    act(
      'vote.record',
      {
        instrument: inst.id,
        date: v.date,
        yes: conv(v.yes, 'yes'),
        no: conv(v.no, 'no'),
        abstain: conv(v.abstain, 'abstain'),
        sources: VOTE_SOURCES,
        note:
          `Plenary recorded vote, roll call ${v.rcid} in the source data; ISO alpha-2 codes converted to alpha-3` +
          (aliased.length ? ` (non-ISO source codes: ${aliased.map((c) => `${c} -> ${a2to3.get(c)}`).join(', ')})` : '') +
          '. States absent or not voting are not listed.',
      },
      `vote ${sym}`,
    ),
  );
}

/* ------------------------------------------------------------------ */
/* 70-signatures: instrument.join                                      */
/* ------------------------------------------------------------------ */

const joinActs = cJoins.joins.map((j) => {
  const raw = strip(j);
  raw.parties = j.$parties.map((party) => ({ party, relation: j.$relation, date: j.$date }));
  return act('instrument.join', raw, `join ${j.instrument}/${j.$relation}`);
});

/* ------------------------------------------------------------------ */
/* 80-translations: translation.record (Bahasa Indonesia)              */
/* ------------------------------------------------------------------ */

/*
 * State names come from Debian's iso-codes (its English names by alpha-3
 * in iso_3166-1.json, their Indonesian in the gettext catalogue
 * iso_3166-1.mo), read here at build time: no hand-made list.  The texts
 * of instruments, norms, forums and organisations are the project's own
 * unofficial translations (curated/translations-id.json).
 */
const ISO_JSON = '/usr/share/iso-codes/json/iso_3166-1.json';
const ISO_MO = '/usr/share/locale/id/LC_MESSAGES/iso_3166-1.mo';

/* A gettext .mo catalogue as a Map msgid -> msgstr (little-endian). */
function readMo(file) {
  const b = fs.readFileSync(file);
  if (b.readUInt32LE(0) !== 0x950412de) fail(`${file}: not a little-endian .mo file`);
  const n = b.readUInt32LE(8);
  const orig = b.readUInt32LE(12);
  const trans = b.readUInt32LE(16);
  const m = new Map();
  for (let i = 0; i < n; i++) {
    const str = (t) => b.subarray(b.readUInt32LE(t + 8 * i + 4), b.readUInt32LE(t + 8 * i + 4) + b.readUInt32LE(t + 8 * i)).toString('utf8');
    m.set(str(orig), str(trans));
  }
  return m;
}

const translationActs = [];
{
  if (!fs.existsSync(ISO_JSON) || !fs.existsSync(ISO_MO))
    fail(`${ISO_MO} or ${ISO_JSON} is missing: install Debian's iso-codes (scripts/install-deps.sh)`);
  const mo = fs.existsSync(ISO_MO) ? readMo(ISO_MO) : new Map();
  const iso = fs.existsSync(ISO_JSON) ? JSON.parse(fs.readFileSync(ISO_JSON, 'utf8'))['3166-1'] : [];
  const byA3 = new Map(iso.map((c) => [c.alpha_3, c]));
  const isoSource = [{ title: "Debian iso-codes: ISO 3166-1 country names in Indonesian (iso_3166-1.mo), LGPL-2.1+", url: 'https://salsa.debian.org/iso-codes-team/iso-codes' }];
  const tr = readJson(path.join(CUR, 'translations-id.json'));
  for (const a of partyActs) {
    const b = a.body;
    if (b.kind === 'state' || b.kind === 'observer_state') {
      const c = byA3.get(b.code);
      /* the curated name where iso-codes' is not Indonesia's usage; else
       * the short (common) name's translation, else the name's */
      const fixed = (tr.state_names || {})[b.code];
      const name = fixed || (c && ((c.common_name && mo.get(c.common_name)) || mo.get(c.name)));
      if (!name) {
        fail(`party ${b.code}: no Indonesian name in iso-codes`);
        continue;
      }
      const sources = fixed ? [{ title: 'Détente: the name in Indonesia\'s official usage (curated/translations-id.json)', url: b.sources[0].url }] : isoSource;
      translationActs.push(act('translation.record', { lang: 'id', kind: 'party', ref: b.code, fields: { name }, unofficial: !!fixed, sources }, `translation party ${b.code}`));
    } else {
      const t = (tr.parties || {})[b.code];
      if (!t) {
        fail(`translations-id.json: no Indonesian name for ${b.code}`);
        continue;
      }
      translationActs.push(act('translation.record', { lang: 'id', kind: 'party', ref: b.code, fields: t, unofficial: true, sources: [{ title: `Unofficial translation by Détente of: ${b.sources[0].title}`, url: b.sources[0].url }] }, `translation party ${b.code}`));
    }
  }
  const of = (kind, acts, key) => {
    for (const a of acts) {
      const ref = a.body[key];
      const t = (tr[`${kind}s`] || {})[ref];
      if (!t) {
        fail(`translations-id.json: no ${kind} ${ref}`);
        continue;
      }
      const { commitments, ...fields } = t;
      const raw = { lang: 'id', kind, ref, fields, unofficial: true, sources: [{ title: `Unofficial translation by Détente of: ${a.body.sources[0].title}`, url: a.body.sources[0].url }] };
      if (commitments && Object.keys(commitments).length) {
        const ids = new Set((a.body.commitments || []).map((c) => c.id));
        for (const id of Object.keys(commitments)) if (!ids.has(id)) fail(`translations-id.json: ${ref} has no commitment ${id}`);
        raw.commitments = Object.entries(commitments).map(([id, text]) => ({ id, text }));
      }
      translationActs.push(act('translation.record', raw, `translation ${kind} ${ref}`));
    }
  };
  of('norm', normActs, 'id');
  of('forum', forumActs, 'id');
  of('instrument', instrActs, 'id');
}

const FILES = [
  ['10-parties.json', partyActs],
  ['20-memberships.json', membershipActs],
  ['30-norms.json', normActs],
  ['40-forums.json', forumActs],
  ['50-instruments.json', instrActs],
  ['60-votes.json', voteActs],
  ['70-signatures.json', joinActs],
  ['80-translations.json', translationActs],
];

die();

/* ------------------------------------------------------------------ */
/* Self-check: replay the acts in load order, as the server would.     */
/* ------------------------------------------------------------------ */

const st = {
  parties: new Map(), /* code -> kind */
  memberships: new Set(),
  norms: new Map(), /* id -> code */
  forums: new Map(), /* id -> body */
  instruments: new Map(), /* id -> body */
  commitments: new Set(),
  voted: new Set(),
  joins: new Map(), /* instrument -> Set("party/relation") */
};
const needParty = (code, where) => {
  if (!st.parties.has(code)) fail(`${where}: party ${code} not registered by an earlier act`);
};

for (const [file, acts] of FILES) {
  acts.forEach(({ type, body: b }, i) => {
    const where = `${file}[${i}] ${type}`;
    if (!Array.isArray(b.sources) || b.sources.length < 1) fail(`${where}: no source`);
    switch (type) {
      case 'party.register':
        if (st.parties.has(b.code)) fail(`${where}: party ${b.code} registered twice`);
        if ((b.kind === 'state' || b.kind === 'observer_state') && !/^[A-Z]{3}$/.test(b.code))
          fail(`${where}: state ${b.code} needs an alpha-3 code`);
        st.parties.set(b.code, b.kind);
        break;
      case 'membership.add': {
        needParty(b.organisation, where);
        needParty(b.member, where);
        const ok = st.parties.get(b.organisation);
        if (ok !== 'organisation' && ok !== 'group') fail(`${where}: ${b.organisation} is not an organisation/group`);
        const key = `${b.organisation}/${b.member}`;
        if (st.memberships.has(key)) fail(`${where}: membership ${key} added twice`);
        st.memberships.add(key);
        if (b.since && b.until && b.since > b.until) fail(`${where}: since after until`);
        break;
      }
      case 'norm.define':
        if (st.norms.has(b.id)) fail(`${where}: norm ${b.id} defined twice`);
        if ([...st.norms.values()].includes(b.code)) fail(`${where}: norm code ${b.code} used twice`);
        st.norms.set(b.id, b.code);
        break;
      case 'forum.establish': {
        if (st.forums.has(b.id)) fail(`${where}: forum ${b.id} established twice`);
        if (b.parent !== null && !st.forums.has(b.parent)) fail(`${where}: parent ${b.parent} not established earlier`);
        const seen = new Set();
        for (const m of b.members) {
          needParty(m.party, where);
          if (seen.has(m.party)) fail(`${where}: member ${m.party} listed twice`);
          seen.add(m.party);
        }
        if (b.start && b.end && b.start > b.end) fail(`${where}: start after end`);
        st.forums.set(b.id, b);
        break;
      }
      case 'instrument.record': {
        if (st.instruments.has(b.id)) fail(`${where}: instrument ${b.id} recorded twice`);
        if (b.forum !== null && !st.forums.has(b.forum)) fail(`${where}: forum ${b.forum} not established earlier`);
        const seen = new Set();
        for (const n of b.norms) {
          if (!st.norms.has(n.norm)) fail(`${where}: norm ${n.norm} not defined earlier`);
          if (seen.has(n.norm)) fail(`${where}: norm ${n.norm} linked twice`);
          seen.add(n.norm);
        }
        for (const c of b.commitments) {
          if (st.commitments.has(c.id)) fail(`${where}: commitment id ${c.id} used twice`);
          st.commitments.add(c.id);
        }
        if (b.outcome === 'failed' && !b.outcome_reason) fail(`${where}: failed outcome without outcome_reason`);
        if (b.outcome !== 'failed' && b.outcome_reason) fail(`${where}: outcome_reason on a non-failed outcome`);
        if (b.vote_totals && b.adoption !== 'recorded_vote') fail(`${where}: vote_totals without recorded_vote`);
        if (b.adoption === 'recorded_vote' && !b.vote_totals) fail(`${where}: recorded_vote without vote_totals`);
        st.instruments.set(b.id, b);
        break;
      }
      case 'vote.record': {
        const inst = st.instruments.get(b.instrument);
        if (!inst) {
          fail(`${where}: instrument ${b.instrument} not recorded earlier`);
          break;
        }
        if (st.voted.has(b.instrument)) fail(`${where}: second vote on ${b.instrument}`);
        st.voted.add(b.instrument);
        if (b.date !== inst.date) fail(`${where}: vote date ${b.date} != instrument date ${inst.date}`);
        const all = [...b.yes, ...b.no, ...b.abstain];
        if (new Set(all).size !== all.length) fail(`${where}: a party votes twice`);
        for (const c of all) {
          needParty(c, where);
          if (st.parties.get(c) !== 'state') fail(`${where}: ${c} is not a UN Member State and cannot vote`);
        }
        const t = inst.vote_totals;
        const got = { yes: b.yes.length, no: b.no.length, abstain: b.abstain.length };
        if (!t || t.yes !== got.yes || t.no !== got.no || t.abstain !== got.abstain)
          fail(`${where}: per-country counts ${JSON.stringify(got)} != vote_totals ${JSON.stringify(t)} of ${b.instrument}`);
        break;
      }
      case 'instrument.join': {
        if (!st.instruments.has(b.instrument)) fail(`${where}: instrument ${b.instrument} not recorded earlier`);
        const set = st.joins.get(b.instrument) ?? new Set();
        for (const p of b.parties) {
          needParty(p.party, where);
          const key = `${p.party}/${p.relation}`;
          if (set.has(key)) fail(`${where}: ${key} joined twice`);
          set.add(key);
        }
        st.joins.set(b.instrument, set);
        break;
      }
      case 'translation.record': {
        const known = { party: st.parties, norm: st.norms, forum: st.forums, instrument: st.instruments }[b.kind];
        if (!known.has(b.ref)) fail(`${where}: ${b.kind} ${b.ref} not recorded earlier`);
        break;
      }
      default:
        fail(`${where}: unknown act type`);
    }
  });
}

/*
 * Instruments are listed in date order so the record reads as a history.
 * Dates of different precision compare on their common prefix ("2023"
 * fits anywhere in 2023).
 */
{
  const dates = instrActs.map((a) => a.body.date);
  for (let i = 1; i < dates.length; i++) {
    const n = Math.min(dates[i - 1].length, dates[i].length);
    if (dates[i].slice(0, n) < dates[i - 1].slice(0, n))
      fail(`50-instruments.json[${i}]: date ${dates[i]} is before the previous ${dates[i - 1]}`);
  }
}

/* Whole-record invariants. */
const kinds = [...st.parties.values()];
const nState = kinds.filter((k) => k === 'state').length;
const nObs = kinds.filter((k) => k === 'observer_state').length;
if (nState !== 193) fail(`expected 193 UN Member States, got ${nState}`);
if (nObs !== 2) fail(`expected 2 observer States, got ${nObs}`);

for (const o of parties.organisations) {
  if (o.members.length !== o.count) fail(`parties.json ${o.code}: count ${o.count} != ${o.members.length} members`);
  if (!st.parties.has(o.code)) fail(`organisation ${o.code} not registered`);
}

if (st.norms.size !== 11) fail(`expected 11 norms, got ${st.norms.size}`);
const gge2015 = st.instruments.get('a-70-174');
if (!gge2015 || gge2015.norms.filter((n) => n.relation === 'establishes').length !== 11)
  fail('a-70-174 must establish all eleven norms');

const js = st.joins.get('js-2019-responsible-state-behavior');
const nSig = js ? [...js].filter((k) => k.endsWith('/signatory')).length : 0;
if (nSig !== 27) fail(`2019 joint statement: expected 27 signatories, got ${nSig}`);
const uc = st.joins.get('us-china-2015');
if (!uc || !uc.has('USA/party') || !uc.has('CHN/party') || uc.size !== 2)
  fail('us-china-2015 must have exactly USA and CHN as parties');

for (const [sym, v] of Object.entries(votes)) {
  const inst = bySymbol.get(sym);
  if (inst && !st.voted.has(inst.id)) fail(`no vote.record for ${sym}`);
  /* the source file's own counts, against the published totals */
  const t = inst?.vote_totals;
  if (t && (t.yes !== v.yes.length || t.no !== v.no.length || t.abstain !== v.abstain.length))
    fail(`${sym}: source lists ${v.yes.length}-${v.no.length}-${v.abstain.length} != published ${t.yes}-${t.no}-${t.abstain}`);
}

die();

/* ------------------------------------------------------------------ */
/* Write (or compare)                                                  */
/* ------------------------------------------------------------------ */

const check = process.argv.includes('--check');
let stale = 0;
if (!check) fs.mkdirSync(OUT, { recursive: true });
for (const [file, acts] of FILES) {
  const text = JSON.stringify(acts, null, 2) + '\n';
  const dest = path.join(OUT, file);
  if (check) {
    const cur = fs.existsSync(dest) ? fs.readFileSync(dest, 'utf8') : null;
    if (cur !== text) {
      console.error(`gen-record: data/record/${file} is out of date`);
      stale++;
    }
  } else {
    fs.writeFileSync(dest, text);
  }
  console.log(`${file.padEnd(22)} ${String(acts.length).padStart(4)} acts`);
}
const nUnconf = FILES.flatMap(([, a]) => a).filter((a) => a.body.unconfirmed).length;
console.log(`self-check passed: ${st.parties.size} parties (${nState} states, ${nObs} observer states), ` +
  `${st.memberships.size} memberships, ${st.norms.size} norms, ${st.forums.size} forums, ` +
  `${st.instruments.size} instruments, ${st.voted.size} votes, ${nSig} joint-statement signatories, ` +
  `${nUnconf} bodies marked unconfirmed`);
if (skipped.length) console.log(`memberships not recorded (member has no party code): ${skipped.join(', ')}`);
if (stale) {
  console.error('gen-record: run `node scripts/gen-record.mjs` to regenerate');
  process.exit(1);
}
