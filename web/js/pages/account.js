// The signed-in user's account: who they are, their API tokens, their
// signing key (made and kept in this browser), and, for operators, a tool
// that signs a statement of record with that key.

import { h, replace } from '../h.js';
import { ApiError, del, get, post, seg } from '../api.js';
import { fmtTime, label, t } from '../i18n.js';
import { currentUser, expired } from '../session.js';
import { badge, facts, logLink, pageHeader, partyLink, problemView, section, table } from '../ui.js';
import { createKey, forgetKey, loadKey, registerKey, submitSigned, submitSignedBatch, supported } from '../signer.js';
import { verifyPanel } from '../verifybox.js';

let justCreated = null; // the token shown once; kept across a language switch

async function copy(text, btn) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    const input = btn.parentElement.querySelector('input');
    if (input) {
      input.select();
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
    }
  }
  btn.textContent = ok ? t('account.copied') : t('account.copy_failed');
  setTimeout(() => { btn.textContent = t('account.copy'); }, 2500);
}

function createdCallout(tok, onDismiss) {
  const btn = h('button', { type: 'button', class: 'button small', onclick: (ev) => copy(tok.token, ev.currentTarget) }, t('account.copy'));
  return h('div', { class: 'callout callout-ok', role: 'status', id: 'new-token' },
    h('p', { class: 'callout-title' }, t('account.created', { name: tok.name })),
    h('p', null, t('account.once')),
    h('div', { class: 'token-box' },
      h('label', { for: 'new-token-value', class: 'sr-only' }, t('account.token_label')),
      h('input', { id: 'new-token-value', type: 'text', readonly: true, value: tok.token, class: 'mono', spellcheck: 'false',
        onfocus: (ev) => ev.target.select() }),
      btn),
    h('p', { class: 'small' }, tok.index != null ? [t('account.logged'), ' ', logLink(tok.index)] : null,
      tok.leaf_hash ? [' · ', h('span', { class: 'muted' }, t('log.leaf_hash')), ' ', h('code', { class: 'hash', title: tok.leaf_hash }, tok.leaf_hash.slice(0, 16), '…')] : null),
    h('p', null, h('button', { type: 'button', class: 'button secondary small', onclick: onDismiss }, t('account.dismiss'))));
}

export default async function account({ signal, navigate, refresh }) {
  if (!refresh) {
    justCreated = null; // shown once: not again on a later visit
    lastReceipt = null;
  }
  const u = currentUser();
  if (!u) {
    navigate('/signin?next=/account', { replace: true });
    return { title: t('account.title'), node: h('p') };
  }
  let tokens;
  try {
    tokens = (await get('/tokens', null, signal)).items || [];
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      expired();
      navigate('/signin?next=/account', { replace: true });
      return { title: t('account.title'), node: h('p') };
    }
    throw e;
  }

  const created = h('div');
  const listBox = h('div');
  const status = h('div', { 'aria-live': 'polite' });

  function renderCreated() {
    replace(created, justCreated ? createdCallout(justCreated, () => { justCreated = null; renderCreated(); }) : null);
  }

  async function reload() {
    tokens = (await get('/tokens')).items || [];
    renderList();
  }

  function renderList() {
    replace(listBox, table({
      caption: t('account.tokens'),
      download: { name: 'my-api-tokens' },
      rows: tokens.map((k) => ({ ...k, __class: k.revoked_ms ? 'revoked' : null })),
      empty: t('account.no_tokens'),
      className: 'tokens-table',
      columns: [
        { label: t('col.name'), cell: (k) => k.name },
        { label: t('account.token_id'), cell: (k) => h('code', null, k.id) },
        { label: t('account.created_at'), cell: (k) => fmtTime(k.created_ms), class: 'nowrap' },
        { label: t('account.status'), cell: (k) => (k.revoked_ms
          ? [badge(t('account.revoked'), 'badge-plain'), h('span', { class: 'small muted block' }, fmtTime(k.revoked_ms))]
          : badge(t('account.active'), 'badge-ok')) },
        { label: h('span', { class: 'sr-only' }, t('account.actions')), rowHeader: false, cell: (k) => (k.revoked_ms ? null
          : h('button', { type: 'button', class: 'button small danger', 'aria-label': t('account.revoke_named', { name: k.name }),
            onclick: async (ev) => {
              if (!window.confirm(t('account.revoke_confirm', { name: k.name }))) return;
              ev.currentTarget.disabled = true;
              replace(status);
              try {
                await del(`/tokens/${seg(k.id)}`);
                if (justCreated && justCreated.id === k.id) { justCreated = null; renderCreated(); }
                await reload();
                replace(status, h('p', { class: 'small' }, t('account.revoked_msg', { name: k.name })));
              } catch (e) {
                replace(status, problemView(e));
                ev.currentTarget.disabled = false;
              }
            } }, t('account.revoke'))) },
      ],
    }));
  }

  const form = h('form', { class: 'form inline-form', onsubmit: async (ev) => {
    ev.preventDefault();
    const f = ev.currentTarget;
    const name = f.elements.name.value.trim();
    if (!name) return;
    const btn = f.querySelector('button[type=submit]');
    btn.disabled = true;
    replace(status);
    try {
      justCreated = await post('/tokens', { name });
      f.reset();
      renderCreated();
      await reload();
      const input = document.getElementById('new-token-value');
      if (input) input.focus();
    } catch (e) {
      replace(status, problemView(e));
    } finally {
      btn.disabled = false;
    }
  } },
  h('div', { class: 'field grow' },
    h('label', { for: 'token-name' }, t('account.token_name')),
    h('input', { id: 'token-name', name: 'name', type: 'text', required: true, maxlength: 100, autocomplete: 'off', placeholder: t('account.token_name_ph') })),
  h('button', { type: 'submit', class: 'button' }, t('account.create')));

  renderCreated();
  renderList();
  const keys = await keysSection(u, signal);
  return {
    title: t('account.title'),
    node: h('div', { class: 'page' },
      pageHeader({ title: t('account.title') }),
      facts([
        [t('signin.username'), h('strong', null, u.username)],
        [t('account.party'), u.party ? partyLink(u.party, u.party) : t('account.no_party')],
        [t('account.role'), label('user_role', u.role)],
      ]),
      section(t('account.tokens'), 'tokens-h',
        h('p', { class: 'muted' }, t('account.tokens_intro')),
        form, status, created, listBox),
      keys.node,
      keys.statement),
  };
}

/* ---- the signing key in this browser -------------------------------------- */

let lastReceipt = null; // the last signed statement, kept across a language switch

async function keysSection(u, signal) {
  let serverKeys = [];
  let browserKey = null;
  const canSign = supported();
  const box = h('div', { class: 'browser-key' });
  const status = h('div', { 'aria-live': 'polite', class: 'key-status' });
  const listBox = h('div');
  const stmtBox = h('div');

  async function load() {
    serverKeys = (await get('/keys', null, signal)).items || [];
    browserKey = canSign ? await loadKey(u.username).catch(() => null) : null;
  }

  /* 'none' | 'active' | 'revoked' | 'unregistered' */
  function state() {
    if (!browserKey) return 'none';
    const k = serverKeys.find((x) => x.id === browserKey.id);
    if (!k) return 'unregistered';
    return k.revoked_ms ? 'revoked' : 'active';
  }

  function render() {
    renderBox();
    renderKeys();
    renderStatement();
  }

  async function reload() {
    await load();
    render();
  }

  async function create(ev) {
    const btn = ev.currentTarget;
    btn.disabled = true;
    replace(status, h('p', { class: 'small' }, t('keys.creating')));
    try {
      browserKey = await createKey(u.username);
      await register();
    } catch (e) {
      replace(status, problemView(e));
      btn.disabled = false;
    }
  }

  async function register() {
    try {
      const receipt = await registerKey(browserKey, u);
      await reload();
      replace(status, h('div', { class: 'callout callout-ok', role: 'status' },
        h('p', { class: 'callout-title' }, t('keys.registered', { id: browserKey.id })),
        h('p', { class: 'small' }, t('keys.registered_in'), ' ', logLink(receipt.index))));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) expired();
      await reload().catch(() => {});
      replace(status, problemView(e));
    }
  }

  function renderBox() {
    if (!canSign) {
      replace(box, h('p', { class: 'callout callout-warn' }, t('keys.unsupported')));
      return;
    }
    const st = state();
    const createBtn = (label) => h('button', { type: 'button', class: 'button', onclick: create }, label);
    const idCode = () => h('code', { class: 'key-id' }, browserKey.id);
    const parts = {
      none: () => [h('p', null, t('keys.none')), h('p', null, createBtn(t('keys.create')))],
      active: () => [h('p', null, t('keys.active'), ' ', idCode())],
      revoked: () => [h('p', null, t('keys.revoked_here'), ' ', idCode()), h('p', null, createBtn(t('keys.create_new')))],
      unregistered: () => [h('p', null, t('keys.unregistered'), ' ', idCode()),
        h('p', null, h('button', { type: 'button', class: 'button', onclick: async (ev) => {
          ev.currentTarget.disabled = true;
          replace(status, h('p', { class: 'small' }, t('keys.registering')));
          await register();
        } }, t('keys.register')), ' ', createBtn(t('keys.create_new')))],
    }[st]();
    replace(box, h('div', { class: ['callout', st === 'active' ? 'callout-ok' : null], dataset: { keyState: st } }, parts));
  }

  function renderKeys() {
    replace(listBox, table({
      caption: t('keys.list'),
      download: { name: 'my-signing-keys' },
      rows: serverKeys.map((k) => ({ ...k, __class: k.revoked_ms ? 'revoked' : null })),
      empty: t('keys.no_keys'),
      className: 'keys-table',
      columns: [
        { label: t('keys.id'), cell: (k) => [h('code', null, k.id),
          browserKey && browserKey.id === k.id ? [' ', badge(t('keys.in_browser'), 'badge-info')] : null] },
        { label: t('account.created_at'), cell: (k) => fmtTime(k.created_ms), class: 'nowrap' },
        { label: t('account.status'), cell: (k) => (k.revoked_ms
          ? [badge(t('account.revoked'), 'badge-plain'), h('span', { class: 'small muted block' }, fmtTime(k.revoked_ms))]
          : badge(t('account.active'), 'badge-ok')) },
        { label: t('keys.log'), cell: (k) => logLink(k.log_idx) },
        { label: h('span', { class: 'sr-only' }, t('account.actions')), rowHeader: false, cell: (k) => (k.revoked_ms ? null
          : h('button', { type: 'button', class: 'button small danger', 'aria-label': t('keys.revoke_named', { id: k.id }),
            onclick: async (ev) => {
              if (!window.confirm(t('keys.revoke_confirm', { id: k.id }))) return;
              ev.currentTarget.disabled = true;
              replace(status);
              try {
                await del(`/keys/${seg(k.id)}`);
                const mine = browserKey && browserKey.id === k.id;
                if (mine) await forgetKey(u.username);
                await reload();
                replace(status, h('p', { class: 'small' }, t(mine ? 'keys.revoked_forgotten' : 'keys.revoked_msg', { id: k.id })));
              } catch (e) {
                replace(status, problemView(e));
                ev.currentTarget.disabled = false;
              }
            } }, t('account.revoke'))) },
      ],
    }));
  }

  /* Operators: sign a party.register act in the browser and submit it. */
  function renderStatement() {
    if (u.role !== 'operator') return;
    const receiptBox = h('div', { 'aria-live': 'polite' });
    const showReceipt = () => {
      if (!lastReceipt) return replace(receiptBox);
      const r = lastReceipt;
      return replace(receiptBox, h('div', { class: 'callout callout-ok receipt', role: 'status' },
        h('p', { class: 'callout-title' }, t('statement.recorded', { name: r.name })),
        facts([
          [t('log.index'), logLink(r.index)],
          [t('log.leaf_hash'), h('code', { class: 'hash wrap' }, r.leaf_hash)],
          [t('statement.signed_by'), h('code', null, r.key_id)],
          [t('statement.record'), h('a', { href: `/parties/${seg(r.code)}` }, r.code)],
          r.members.length ? [t('statement.members_recorded'), t('statement.members_count', { n: r.members.length, acts: r.members.length + 1 })] : null,
        ].filter(Boolean)),
        verifyPanel(r.index)));
    };
    if (state() !== 'active') {
      replace(stmtBox,
        h('div', { class: 'callout callout-warn no-key' },
          h('p', null, t(canSign ? 'statement.no_key' : 'keys.unsupported')),
          canSign && state() === 'none' ? h('p', null, h('button', { type: 'button', class: 'button', onclick: create }, t('keys.create'))) : null,
          canSign && state() !== 'none' ? h('p', { class: 'small' }, t('statement.see_key')) : null),
        receiptBox);
      showReceipt();
      return;
    }
    const err = h('div', { 'aria-live': 'polite' });
    const field = (id, name, labelText, attrs = {}) => h('div', { class: 'field' },
      h('label', { for: id }, labelText),
      h('input', { id, name, type: 'text', autocomplete: 'off', ...attrs }));
    const form = h('form', { class: 'form statement-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const f = ev.currentTarget;
      const code = f.elements.code.value.trim().toUpperCase();
      const name = f.elements.name.value.trim();
      const title = f.elements.source_title.value.trim();
      const url = f.elements.source_url.value.trim();
      const members = [...new Set(f.elements.members.value.split(/[\s,;]+/).filter(Boolean).map((m) => m.toUpperCase()))];
      const btn = f.querySelector('button[type=submit]');
      btn.disabled = true;
      replace(err);
      try {
        const source = url ? { title, url } : { title };
        const org = { type: 'party.register', body: { code, name, kind: 'organisation', sources: [source] } };
        let receipt;
        if (members.length) {
          // The organisation and its members: one batch, all or none.
          const acts = [org, ...members.map((m) => ({ type: 'membership.add', body: { organisation: code, member: m, role: 'member', sources: [source] } }))];
          receipt = (await submitSignedBatch(browserKey, u, acts)).receipts[0];
        } else {
          receipt = await submitSigned(browserKey, u, org.type, org.body);
        }
        lastReceipt = { ...receipt, code, name, members, key_id: browserKey.id };
        f.reset();
        showReceipt();
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) expired();
        replace(err, problemView(e));
      } finally {
        btn.disabled = false;
      }
    } },
    h('p', { class: 'small muted' }, t('statement.signing_with'), ' ', h('code', null, browserKey.id)),
    field('st-code', 'code', t('statement.code'), { required: true, pattern: '[A-Za-z0-9\\-]{2,16}', maxlength: 16, class: 'mono', spellcheck: 'false' }),
    field('st-name', 'name', t('statement.name'), { required: true, maxlength: 200 }),
    field('st-source-title', 'source_title', t('statement.source_title'), { required: true, maxlength: 500 }),
    field('st-source-url', 'source_url', t('statement.source_url'), { type: 'url', maxlength: 1000, placeholder: 'https://' }),
    field('st-members', 'members', t('statement.members'), { maxlength: 2000, class: 'mono', spellcheck: 'false', 'aria-describedby': 'st-members-hint' }),
    h('p', { id: 'st-members-hint', class: 'small muted' }, t('statement.members_hint')),
    h('button', { type: 'submit', class: 'button' }, t('statement.submit')));
    replace(stmtBox, form, err, receiptBox);
    showReceipt();
  }

  await load();
  render();
  return {
    node: section(t('keys.title'), 'keys-h',
      h('p', { class: 'muted' }, t('keys.intro')),
      box, status, listBox),
    statement: u.role === 'operator'
      ? section(t('statement.title'), 'statement-h', h('p', { class: 'muted' }, t('statement.intro')), stmtBox)
      : null,
  };
}
