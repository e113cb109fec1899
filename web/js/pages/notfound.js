// 404: an unknown page, or a record the API does not have.

import { h } from '../h.js';
import { t } from '../i18n.js';
import { pageHeader } from '../ui.js';

export default async function notFound(ctx = {}) {
  const detail = ctx.problem && ctx.problem.detail;
  return {
    title: t('notfound.title'),
    node: h('div', { class: 'page narrow notfound' },
      pageHeader({ kicker: '404', title: t('notfound.title') }),
      h('p', null, t('notfound.text')),
      detail ? h('p', { class: 'muted' }, t('notfound.detail'), ' ', h('code', null, detail)) : null,
      h('p', null, h('a', { href: '/', class: 'button' }, t('notfound.home')), ' ',
        h('a', { href: '/search', class: 'button secondary' }, t('nav.search')))),
  };
}
