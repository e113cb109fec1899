// Sign in with a user name and password (a session cookie).

import { h, replace } from '../h.js';
import { ApiError } from '../api.js';
import { label, t } from '../i18n.js';
import { currentUser, signIn } from '../session.js';
import { pageHeader, problemView } from '../ui.js';

/* Only same-site paths are followed after sign-in. */
function safeNext(v) {
  return v && /^\/(?!\/)[A-Za-z0-9/_.?=&%-]*$/.test(v) && !v.startsWith('/api/') ? v : '/account';
}

export default async function signin({ query, navigate }) {
  const next = safeNext(query.get('next'));
  const u = currentUser();
  if (u) {
    return {
      title: t('signin.title'),
      node: h('div', { class: 'page narrow' },
        pageHeader({ title: t('signin.title') }),
        h('p', null, t('signin.already', { user: u.username, role: label('user_role', u.role) })),
        h('p', null, h('a', { href: '/account', class: 'button' }, t('header.account')))),
    };
  }
  const errors = h('div', { 'aria-live': 'assertive' });
  const form = h('form', { class: 'form', method: 'post', action: '/signin', novalidate: false,
    onsubmit: async (ev) => {
      ev.preventDefault();
      const f = ev.currentTarget;
      const btn = f.querySelector('button[type=submit]');
      btn.disabled = true;
      replace(errors);
      try {
        await signIn(f.elements.username.value.trim(), f.elements.password.value);
        navigate(next, { replace: true });
      } catch (e) {
        f.elements.password.value = '';
        if (e instanceof ApiError && e.status === 401) {
          replace(errors, h('div', { class: 'alert alert-error', role: 'alert' }, h('p', null, t('signin.bad'))));
        } else if (e instanceof ApiError && e.status === 429) {
          replace(errors, h('div', { class: 'alert alert-error', role: 'alert' },
            h('p', { class: 'alert-title' }, t('signin.throttled')), e.problem.detail ? h('p', null, e.problem.detail) : null));
        } else {
          replace(errors, problemView(e));
        }
        btn.disabled = false;
        f.elements.password.focus();
      }
    } },
    errors,
    h('div', { class: 'field' },
      h('label', { for: 'username' }, t('signin.username')),
      h('input', { id: 'username', name: 'username', type: 'text', autocomplete: 'username', required: true, maxlength: 64, autocapitalize: 'none', spellcheck: 'false' })),
    h('div', { class: 'field' },
      h('label', { for: 'password' }, t('signin.password')),
      h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 1024 })),
    h('button', { type: 'submit', class: 'button' }, t('signin.submit')));
  return {
    title: t('signin.title'),
    node: h('div', { class: 'page narrow' },
      pageHeader({ title: t('signin.title'), sub: t('signin.intro') }),
      form,
      h('p', { class: 'small muted' }, t('signin.public'))),
  };
}
