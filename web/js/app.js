// Entry point: the header, the footer, the routes.

import { h, replace } from './h.js';
import { getLang, label, onLangChange, setLang, t } from './i18n.js';
import { navigate, onRoute, refresh, route, start } from './router.js';
import { currentUser, onSessionChange, restore, signOut } from './session.js';

route('/', () => import('./pages/home.js'));
route('/parties', () => import('./pages/parties.js'));
route('/parties/:code', () => import('./pages/party.js'));
route('/forums', () => import('./pages/forums.js'));
route('/forums/:id', () => import('./pages/forum.js'));
route('/instruments', () => import('./pages/instruments.js'));
route('/instruments/*id', () => import('./pages/instrument.js'));
route('/norms', () => import('./pages/norms.js'));
route('/norms/:id', () => import('./pages/norm.js'));
route('/search', () => import('./pages/search.js'));
route('/signin', () => import('./pages/signin.js'));
route('/account', () => import('./pages/account.js'));
route('/log', () => import('./pages/log.js'));
route('/negotiate', () => import('./pages/negotiations.js'));
route('/negotiate/:id', () => import('./pages/negotiation.js'));
route('/documents/:id', () => import('./pages/document.js'));
route('/decisions/:id', () => import('./pages/decision.js'));

const NAV = [
  ['/', 'nav.home'],
  ['/parties', 'nav.parties'],
  ['/forums', 'nav.forums'],
  ['/negotiate', 'nav.negotiate'],
  ['/instruments', 'nav.instruments'],
  ['/norms', 'nav.norms'],
  ['/log', 'nav.log'],
  ['/search', 'nav.search'],
];

const header = document.getElementById('site-header');
const footer = document.getElementById('site-footer');
const main = document.getElementById('main');

function isCurrent(href, path) {
  return href === '/' ? path === '/' : path === href || path.startsWith(href + '/');
}

function langSwitch() {
  const cur = getLang();
  const btn = (code, text, name) => h('button', {
    type: 'button',
    class: 'lang-btn',
    lang: code,
    'aria-pressed': String(cur === code),
    title: name,
    onclick: () => setLang(code),
  }, h('span', { 'aria-hidden': 'true' }, text), h('span', { class: 'sr-only' }, name));
  return h('div', { class: 'lang-switch', role: 'group', 'aria-label': t('header.language') },
    btn('en', 'EN', 'English'), h('span', { class: 'sep', 'aria-hidden': 'true' }, '|'), btn('id', 'ID', 'Bahasa Indonesia'));
}

function userArea() {
  const u = currentUser();
  if (!u) {
    return h('div', { class: 'user-area' }, h('a', { href: '/signin', class: 'button small' }, t('header.signin')));
  }
  const who = [u.role ? label('user_role', u.role) : null, u.party].filter(Boolean).join(' · ');
  return h('div', { class: 'user-area' },
    h('a', { href: '/account', class: 'user-name', title: t('header.account') },
      h('span', { class: 'sr-only' }, t('header.signed_in_as'), ' '),
      h('strong', null, u.username), who ? h('span', { class: 'user-role' }, who) : null),
    h('button', {
      type: 'button',
      class: 'button small secondary',
      onclick: async (ev) => {
        ev.currentTarget.disabled = true;
        try {
          await signOut();
        } catch {
          /* the session is forgotten locally either way */
        }
        navigate('/');
      },
    }, t('header.signout')));
}

function renderHeader() {
  const path = location.pathname;
  replace(header,
    h('div', { class: 'header-inner' },
      h('a', { href: '/', class: 'brand' },
        h('img', { src: '/favicon.svg', alt: '', width: 28, height: 28 }),
        h('span', { class: 'brand-name' }, 'Détente'),
        h('span', { class: 'brand-tag' }, t('header.tagline'))),
      h('div', { class: 'header-tools' }, langSwitch(), userArea())),
    h('nav', { class: 'site-nav', 'aria-label': t('nav.label') },
      h('ul', null, NAV.map(([href, key]) => h('li', null,
        h('a', { href, 'aria-current': isCurrent(href, path) ? 'page' : null }, t(key)))))));
  document.getElementById('skip-link').textContent = t('common.skip');
}

function renderFooter() {
  replace(footer,
    h('div', { class: 'footer-inner' },
      h('p', null, t('footer.about')),
      h('p', { class: 'small' },
        h('a', { href: '/log' }, t('footer.verify')), ' · ',
        h('a', { href: '/api/v1/stats' }, t('footer.api')), ' · ',
        t('footer.tlp'))));
}

onLangChange((lang) => {
  const hadFocus = document.activeElement && document.activeElement.classList.contains('lang-btn');
  renderHeader();
  renderFooter();
  // The header was rebuilt: keep keyboard focus on the language switch.
  if (hadFocus) header.querySelector(`.lang-btn[lang="${lang}"]`).focus();
  refresh();
});
onSessionChange(renderHeader);
onRoute((path) => {
  for (const a of header.querySelectorAll('.site-nav a')) {
    if (isCurrent(a.getAttribute('href'), path)) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
});

renderHeader();
renderFooter();
try {
  await restore();
} catch (e) {
  // The record is public: carry on unsigned.
  console.warn('session check failed', e);
}
start(main);
