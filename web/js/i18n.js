// Messages and formatting.  Every UI string comes from the message table of
// the current language (i18n/en.js, i18n/id.js); the record's own texts are
// translated by loc.js.  The address decides the language (?lang=id, so a
// link opens in the language it was shared in); without it, the last choice
// (localStorage), then the browser's.  It drives <html lang>.

import en from './i18n/en.js';
import id from './i18n/id.js';

export const LANGS = { en, id };
const KEY = 'detente.lang';
const listeners = new Set();

function stored() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/* ?lang= of the address, when it names a language this UI has; another
 * value is ignored (English, or the last choice, is the fallback). */
export function addressLang(search = location.search) {
  const v = new URLSearchParams(search).get('lang');
  return v && LANGS[v] ? v : null;
}

function initial() {
  const a = addressLang();
  if (a) return a;
  const s = stored();
  if (s && LANGS[s]) return s;
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
  return /^(id|in)\b/i.test(nav) ? 'id' : 'en';
}

let lang = initial();
document.documentElement.lang = lang;

export function getLang() {
  return lang;
}

/* The address in the current language: ?lang=id while the UI is in
 * Indonesian, none in English (the default). */
export function withLang(href) {
  const u = new URL(href, location.href);
  if (lang === 'en') u.searchParams.delete('lang');
  else u.searchParams.set('lang', lang);
  return u.pathname + u.search + u.hash;
}

export function setLang(next) {
  if (!LANGS[next] || next === lang) return;
  lang = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  document.documentElement.lang = next;
  for (const f of listeners) f(next);
}

export function onLangChange(f) {
  listeners.add(f);
  return () => listeners.delete(f);
}

/* t('parties.title'), t('stats.states').  A missing key falls back to
 * English, then to the key itself (so a gap is visible, not blank). */
export function t(key, vars) {
  let s = LANGS[lang][key];
  if (s == null) s = en[key];
  if (s == null) return key;
  if (typeof s === 'function') return s(vars || {});
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] != null ? String(vars[k]) : m));
  return s;
}

export function has(key) {
  return LANGS[lang][key] != null || en[key] != null;
}

/* The label of a value from a fixed vocabulary (kinds, outcomes, roles...).
 * Unknown values are shown as given. */
export function label(group, value) {
  if (value == null || value === '') return '';
  const k = `${group}.${value}`;
  return has(k) ? t(k) : String(value).replace(/_/g, ' ');
}

function locale() {
  return lang === 'id' ? 'id-ID' : 'en-GB';
}

/* Dates in the record may be partial: "2005", "2013-06", "2015-07-22". */
export function fmtDate(s) {
  if (!s) return '';
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(String(s));
  if (!m) return String(s);
  const [, y, mo, d] = m;
  if (!mo) return y;
  const date = new Date(Date.UTC(+y, +mo - 1, d ? +d : 1));
  const opts = d
    ? { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }
    : { year: 'numeric', month: 'long', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale(), opts).format(date);
}

/* A moment (RFC 3339 string or milliseconds) in UTC, to the second. */
export function fmtTime(v) {
  if (v == null || v === '') return '';
  const d = typeof v === 'number' ? new Date(v) : new Date(String(v));
  if (Number.isNaN(d.getTime())) return String(v);
  const s = new Intl.DateTimeFormat(locale(), {
    year: 'numeric', month: 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
    hour12: false, timeZone: 'UTC',
  }).format(d);
  return `${s} UTC`;
}

export function fmtNumber(n) {
  if (n == null) return '';
  return new Intl.NumberFormat(locale()).format(n);
}
