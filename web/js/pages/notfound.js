// 404: an unknown page, or a record the API does not have, said in plain
// words, with a search for what was asked.

import { h } from '../h.js';
import { t } from '../i18n.js';
import { pageHeader } from '../ui.js';

/* The record pages: their first path segment, and what they show. */
const KINDS = { parties: 'party', instruments: 'instrument', forums: 'forum', norms: 'norm' };

function asked(path) {
  const m = /^\/(\w+)\/(.+?)\/?$/.exec(path || '');
  if (!m || !KINDS[m[1]]) return null;
  let key = m[2];
  try {
    key = decodeURIComponent(key);
  } catch {
    /* keep it as it came */
  }
  return { what: t(`notfound.what.${KINDS[m[1]]}`), key };
}

export default async function notFound(ctx = {}) {
  const a = asked(ctx.path);
  const q = a ? a.key : '';
  return {
    title: t('notfound.title'),
    node: h('div', { class: 'page narrow notfound' },
      pageHeader({ kicker: '404', title: t('notfound.title') }),
      h('p', null, a ? t('notfound.record', a) : t('notfound.text')),
      h('form', { class: 'search-again', method: 'get', action: '/search', role: 'search' },
        h('label', { for: 'nf-q' }, t('notfound.search')),
        h('input', { id: 'nf-q', name: 'q', type: 'search', value: q, maxlength: 200 }),
        h('button', { type: 'submit', class: 'button' }, t('nav.search'))),
      h('p', null, h('a', { href: '/', class: 'button secondary' }, t('notfound.home')))),
  };
}
