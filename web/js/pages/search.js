// Full-text search over the record.

import { h } from '../h.js';
import { tr } from '../loc.js';
import { get } from '../api.js';
import { fmtNumber, label, t } from '../i18n.js';
import { badge, downloads, enc, pageHeader, problemView, snippet } from '../ui.js';

const HREF = {
  instrument: (id) => `/instruments/${enc(id)}`,
  norm: (id) => `/norms/${enc(id)}`,
  forum: (id) => `/forums/${enc(id)}`,
  party: (id) => `/parties/${enc(id)}`,
};

export default async function search({ query, signal, navigate }) {
  const q = (query.get('q') || '').trim();
  const form = h('form', { class: 'search-form', role: 'search', action: '/search', method: 'get',
    onsubmit: (ev) => {
      ev.preventDefault();
      const v = ev.currentTarget.elements.q.value.trim();
      if (v) navigate(`/search?q=${enc(v)}`);
    } },
    h('label', { for: 'search-q', class: 'sr-only' }, t('search.label')),
    h('input', { id: 'search-q', name: 'q', type: 'search', value: q, placeholder: t('search.placeholder'), required: true, maxlength: 200, autocomplete: 'off' }),
    h('button', { type: 'submit', class: 'button' }, t('search.button')));

  let results = null;
  if (q) {
    try {
      const r = await get('/search', { q, limit: 50 }, signal);
      const items = r.items || [];
      results = h('section', { 'aria-labelledby': 'results-h' },
        h('h2', { id: 'results-h' }, items.length ? t('search.results', { n: fmtNumber(items.length), q }) : t('search.no_results', { q })),
        items.length ? downloads({ name: 'search', api: '/search', params: { q, limit: 50 } }) : null,
        items.length ? h('ol', { class: 'results' }, items.map((it) => h('li', { class: 'result' },
          h('p', { class: 'result-kind' }, badge(label('search_kind', it.kind), `badge-plain kind-${it.kind}`)),
          h('h3', { class: 'result-title' }, HREF[it.kind] ? h('a', { href: HREF[it.kind](it.id) }, tr(it.kind, it.id, it.kind === 'instrument' || it.kind === 'norm' ? 'title' : 'name', it.title)) : it.title),
          it.snippet ? h('p', { class: 'snippet' }, snippet(it.snippet)) : null))) : h('p', { class: 'muted' }, t('search.hint')));
    } catch (e) {
      if (e && e.name === 'AbortError') throw e;
      results = problemView(e);
    }
  }
  return {
    title: q ? t('search.doc_title_q', { q }) : t('search.title'),
    node: h('div', { class: 'page' },
      pageHeader({ title: t('search.title'), sub: t('search.intro') }),
      form, results),
  };
}
