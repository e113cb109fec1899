// The signed-in user's account: who they are, and their API tokens.

import { h, replace } from '../h.js';
import { ApiError, del, get, post, seg } from '../api.js';
import { fmtTime, label, t } from '../i18n.js';
import { currentUser, expired } from '../session.js';
import { badge, facts, logLink, pageHeader, partyLink, problemView, section, table } from '../ui.js';

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
  if (!refresh) justCreated = null; // shown once: not again on a later visit
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
        form, status, created, listBox)),
  };
}
