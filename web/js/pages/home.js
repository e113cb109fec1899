// Home: what Détente is, the counts, a search box, the timeline.

import { h, replace } from '../h.js';
import { tr } from '../loc.js';
import { get } from '../api.js';
import { fmtDate, fmtNumber, label, t } from '../i18n.js';
import { badge, downloads, enc, outcomeBadge, problemView } from '../ui.js';

const PAGE = 20;

function statCards(s) {
  const cards = [
    ['states', '/parties?kind=state'],
    ['organisations', '/parties?kind=organisation'],
    ['forums', '/forums'],
    ['instruments', '/instruments'],
    ['norms', '/norms'],
    ['recorded_votes', '/instruments?votes=1'],
    ['log_size', '/log'],
  ];
  return h('ul', { class: 'stats' }, cards.map(([k, href]) => h('li', null,
    h('a', { href, class: 'stat' },
      h('span', { class: 'stat-n' }, fmtNumber(s[k] ?? 0)),
      h('span', { class: 'stat-l' }, t(`stats.${k}`))))));
}

function timelineItem(it) {
  const href = it.kind === 'forum' ? `/forums/${enc(it.ref)}` : `/instruments/${enc(it.ref)}`;
  return h('li', { class: ['tl-item', it.outcome === 'failed' ? 'tl-failed' : null] },
    h('div', { class: 'tl-date' }, h('time', { datetime: it.date }, fmtDate(it.date))),
    h('div', { class: 'tl-body' },
      h('p', { class: 'tl-meta' },
        badge(t(`timeline.kind.${it.kind}`), it.kind === 'forum' ? 'badge-forum' : 'badge-plain'), ' ',
        it.symbol ? h('span', { class: 'symbol' }, it.symbol) : null, ' ',
        it.kind === 'instrument' ? outcomeBadge(it.outcome) : null),
      h('h3', { class: 'tl-title' }, h('a', { href }, tr(it.kind, it.ref, it.kind === 'forum' ? 'name' : 'title', it.title))),
      it.summary ? h('p', { class: 'tl-summary' }, tr(it.kind, it.ref, it.kind === 'forum' ? 'mandate' : 'summary', it.summary)) : null));
}

function searchForm(navigate) {
  return h('form', { class: 'search-form', role: 'search', action: '/search', method: 'get',
    onsubmit: (ev) => {
      ev.preventDefault();
      const q = ev.currentTarget.elements.q.value.trim();
      if (q) navigate(`/search?q=${enc(q)}`);
    } },
    h('label', { for: 'home-q', class: 'sr-only' }, t('search.label')),
    h('input', { id: 'home-q', name: 'q', type: 'search', placeholder: t('search.placeholder'), required: true, maxlength: 200, autocomplete: 'off' }),
    h('button', { type: 'submit', class: 'button' }, t('search.button')));
}

export default async function home({ signal, navigate }) {
  const [stats, tl] = await Promise.all([
    get('/stats', null, signal),
    get('/timeline', { limit: PAGE }, signal),
  ]);
  const list = h('ol', { class: 'timeline', 'aria-labelledby': 'tl-h' }, tl.items.map(timelineItem));
  const status = h('p', { class: 'sr-only', role: 'status' });
  const more = h('div', { class: 'more' });
  let next = tl.next;
  const shown = [...tl.items]; // what the list shows, for its downloads

  function renderMore(err) {
    replace(more,
      err ? problemView(err) : null,
      next ? h('button', { type: 'button', class: 'button secondary', onclick: loadMore }, t('timeline.more')) :
        h('p', { class: 'muted' }, t('timeline.end')));
  }
  async function loadMore(ev) {
    const btn = ev.currentTarget;
    btn.disabled = true;
    btn.textContent = t('common.loading');
    try {
      const page = await get('/timeline', { limit: PAGE, after: next });
      const first = page.items.length ? timelineItem(page.items[0]) : null;
      page.items.forEach((it, i) => list.appendChild(i === 0 ? first : timelineItem(it)));
      shown.push(...page.items);
      next = page.next;
      status.textContent = t('timeline.loaded', { n: page.items.length });
      renderMore();
      if (first) {
        const a = first.querySelector('a');
        if (a) a.focus();
      }
    } catch (e) {
      renderMore(e);
    }
  }
  renderMore();

  const form = searchForm(navigate);

  const node = h('div', { class: 'page home' },
    h('section', { class: 'hero' },
      h('h1', null, t('home.title')),
      form, // on a phone too, the search is on the first screen
      h('p', { class: 'lead' }, t('home.lead')),
      h('p', null, t('home.log'), ' ', h('a', { href: '/log' }, t('home.log_link')))),
    h('section', { class: 'block', 'aria-labelledby': 'stats-h' },
      h('h2', { id: 'stats-h', class: 'sr-only' }, t('stats.heading')),
      statCards(stats)),
    h('section', { class: 'block open-data', 'aria-labelledby': 'od-h' },
      h('h2', { id: 'od-h' }, t('opendata.heading')),
      h('p', null, t('opendata.text')),
      h('p', { class: 'downloads' },
        h('a', { href: '/api/v1/export?format=csv', download: 'detente-record-csv.zip', class: 'dl' }, t('opendata.csv')),
        h('a', { href: '/api/v1/export?format=json', download: 'detente-record-json.zip', class: 'dl' }, t('opendata.json')))),
    h('section', { class: 'block' },
      h('h2', { id: 'tl-h' }, t('timeline.heading')),
      h('p', { class: 'muted' }, t('timeline.intro')),
      downloads({ name: 'timeline', rows: shown }),
      list, status, more));
  return { title: t('home.doc_title'), node };
}
