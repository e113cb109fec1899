// History API routing over real paths (/parties/IDN).  The server answers
// any path without a file extension with index.html, so deep links work.
// Pages are ES modules loaded on first use; each exports
//   default async function (ctx) -> { title, node }
// where ctx = { params, query, path, signal, navigate, refresh } (refresh is
// true when the same page is drawn again, e.g. after a language switch).

import { h, replace } from './h.js';
import { t, withLang } from './i18n.js';
import { ApiError } from './api.js';
import { loadTranslations } from './loc.js';
import { loading, problemView } from './ui.js';

const routes = [];
let main = null;
let seq = 0;
let current = null; // AbortController of the page being shown
let first = true;
const listeners = new Set();

export function route(pattern, load) {
  const names = [];
  // /:name is one segment; a final /*name is the rest of the path (an
  // instrument's symbol: /instruments/A/RES/73/27)
  const re = new RegExp(
    '^' + pattern.replace(/\/([:*])(\w+)/g, (m, kind, n) => {
      names.push(n);
      return kind === ':' ? '/([^/]+)' : '/(.+?)';
    }) + '/?$',
  );
  routes.push({ re, names, load });
}

export function onRoute(f) {
  listeners.add(f);
}

function match(path) {
  for (const r of routes) {
    const m = r.re.exec(path);
    if (m) {
      const params = {};
      r.names.forEach((n, i) => {
        try {
          params[n] = decodeURIComponent(m[i + 1]);
        } catch {
          params[n] = m[i + 1];
        }
      });
      return { load: r.load, params };
    }
  }
  return null;
}

/* Shows href.  replace: instead of a new history entry; keep: an element
 * (a selector) that keeps the keyboard focus, as a filter being typed in. */
export function navigate(href, { replace: rep = false, keep = null } = {}) {
  const target = withLang(href);
  if (target !== location.pathname + location.search + location.hash) {
    saveScroll();
    if (rep) history.replaceState({}, '', target);
    else history.pushState({}, '', target);
  }
  return render({ scroll: keep ? 'keep' : 'top', focus: !keep, keep });
}

/* Render the current location again (after a language or session change). */
export function refresh() {
  return render({ scroll: 'keep', focus: false, refresh: true });
}

function saveScroll() {
  const st = history.state || {};
  history.replaceState({ ...st, scrollY: window.scrollY }, '');
}

function focusHeading() {
  const h1 = main.querySelector('h1');
  const target = h1 || main;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
}

async function render({ scroll = 'top', focus = true, refresh: again = false, keep = null } = {}) {
  const my = ++seq;
  if (current) current.abort();
  const ctl = new AbortController();
  current = ctl;
  const path = location.pathname;
  const query = new URLSearchParams(location.search);
  const m = match(path) || { load: () => import('./pages/notfound.js'), params: {} };
  const spinner = setTimeout(() => {
    if (my === seq) {
      main.setAttribute('aria-busy', 'true');
      replace(main, loading());
    }
  }, 150);
  let out;
  // the address says the language: keep it there (an unknown ?lang= goes)
  const here = withLang(location.pathname + location.search + location.hash);
  if (here !== location.pathname + location.search + location.hash) history.replaceState(history.state, '', here);
  try {
    const mod = await m.load();
    await loadTranslations(ctl.signal);
    out = await mod.default({ params: m.params, query, path, signal: ctl.signal, navigate, refresh: again });
  } catch (e) {
    if (e && e.name === 'AbortError') return;
    out = await errorPage(e);
  } finally {
    clearTimeout(spinner);
  }
  if (my !== seq) return;
  main.removeAttribute('aria-busy');
  replace(main, out.node);
  main.dataset.url = path + location.search; // lets tests wait for a render
  document.title = out.title ? `${out.title} — Détente` : 'Détente';
  for (const f of listeners) f(path);
  if (scroll === 'top') window.scrollTo(0, 0);
  else if (scroll === 'restore') window.scrollTo(0, (history.state && history.state.scrollY) || 0);
  if (focus && !first) focusHeading();
  if (keep) {
    const el = main.querySelector(keep);
    if (el) {
      el.focus();
      if (typeof el.value === 'string' && el.setSelectionRange) el.setSelectionRange(el.value.length, el.value.length);
    }
  }
  first = false;
}

async function errorPage(e) {
  if (e instanceof ApiError && e.status === 404) {
    const nf = await import('./pages/notfound.js');
    return nf.default({ problem: e.problem, path: location.pathname });
  }
  if (!(e instanceof ApiError)) console.warn(e); // a bug in the page, not the API
  return {
    title: t('error.title'),
    node: h('div', { class: 'page' }, h('h1', null, t('error.title')), problemView(e),
      h('p', null, h('button', { type: 'button', class: 'button', onclick: () => refresh() }, t('error.retry')), ' ',
        h('a', { href: '/', class: 'button secondary' }, t('notfound.home')))),
  };
}

function onClick(ev) {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = ev.target.closest && ev.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download') || a.dataset.external != null) return;
  const raw = a.getAttribute('href');
  if (!raw || raw.startsWith('#')) return;
  const u = new URL(a.href, location.href);
  if (u.origin !== location.origin) return;
  if (u.pathname.startsWith('/api/')) return;
  if (/\.[a-z0-9]+$/i.test(u.pathname)) return; // a file, not a page
  ev.preventDefault();
  navigate(u.pathname + u.search + u.hash);
}

export function start(mainEl) {
  main = mainEl;
  document.addEventListener('click', onClick);
  window.addEventListener('popstate', () => {
    // A change of the #fragment alone (the skip link) is not a new page.
    if (main.dataset.url === location.pathname + location.search) return;
    render({ scroll: 'restore' });
  });
  if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
  return render({ scroll: 'keep' });
}
