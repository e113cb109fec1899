// The record's own texts in the UI's language: State names (from Debian's
// iso-codes), and the titles, summaries, norm texts, forum mandates and
// commitments the project translated (unofficial: UN texts have no
// official Indonesian version).  GET /api/v1/translations, once per
// language; English is the record's own language and needs nothing.

import { get } from './api.js';
import { getLang } from './i18n.js';

let loaded = { lang: 'en', items: {} };

/* Loads the current language's texts, if not loaded yet.  A failure leaves
 * the English in place: a translation is never a reason for no page. */
export async function loadTranslations(signal) {
  const lang = getLang();
  if (lang === 'en' || loaded.lang === lang) return;
  try {
    const r = await get('/translations', { lang }, signal);
    loaded = { lang, items: r.items || {} };
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    loaded = { lang, items: {} };
  }
}

function rec(kind, ref) {
  if (getLang() === 'en' || loaded.lang !== getLang()) return null;
  const byRef = loaded.items[kind];
  return (byRef && byRef[ref]) || null;
}

/* A field of a record in the UI's language, or fallback (the English). */
export function tr(kind, ref, field, fallback) {
  const r = rec(kind, ref);
  return (r && r[field]) || fallback;
}

/* Whether what tr() gives for this record is the project's own,
 * unofficial translation. */
export function unofficial(kind, ref) {
  const r = rec(kind, ref);
  return !!(r && r.unofficial);
}
