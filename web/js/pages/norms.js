// Norms of responsible State behaviour.

import { h } from '../h.js';
import { tr } from '../loc.js';
import { get } from '../api.js';
import { t } from '../i18n.js';
import { downloads, pageHeader, pager, unconfirmedBadge, withQuery } from '../ui.js';

export default async function norms({ query, signal }) {
  const after = query.get('after') || '';
  const data = await get('/norms', { after, limit: 200 }, signal);
  return {
    title: t('norms.title'),
    node: h('div', { class: 'page' },
      pageHeader({ title: t('norms.title'), sub: t('norms.intro') }),
      data.items.length ? downloads({ name: 'norms', api: '/norms', params: { after, limit: 200 } }) : null,
      data.items.length
        ? h('ol', { class: 'norm-cards' }, data.items.map((n) => h('li', { class: 'card' },
          h('h2', { class: 'card-title' },
            h('span', { class: 'norm-code', 'aria-hidden': 'true' }, n.code),
            h('a', { href: `/norms/${encodeURIComponent(n.id)}` }, h('span', { class: 'sr-only' }, `(${n.code}) `), tr('norm', n.id, 'title', n.title)),
            n.unconfirmed ? [' ', unconfirmedBadge()] : null),
          h('p', null, tr('norm', n.id, 'text', n.text)))))
        : h('p', { class: 'muted' }, t('norms.empty')),
      pager({ nextHref: data.next ? withQuery('/norms', { after: data.next }) : null })),
  };
}
