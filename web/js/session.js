// Who is signed in.  The session cookie is HttpOnly, so the page cannot see
// it; a flag in localStorage remembers that a sign-in happened here, and only
// then does the page ask the server (GET /session) — anonymous readers, the
// public, make no request that is bound to fail.

import { ApiError, del, get, post, setCsrf } from './api.js';

const FLAG = 'detente.session';
const listeners = new Set();
let user = null;

function flag(on) {
  try {
    if (on) localStorage.setItem(FLAG, '1');
    else localStorage.removeItem(FLAG);
  } catch {
    /* ignore */
  }
}

function flagged() {
  try {
    return localStorage.getItem(FLAG) === '1';
  } catch {
    return false;
  }
}

function set(u, csrf) {
  user = u || null;
  setCsrf(csrf);
  flag(!!user);
  for (const f of listeners) f(user);
}

export function currentUser() {
  return user;
}

export function onSessionChange(f) {
  listeners.add(f);
  return () => listeners.delete(f);
}

export async function restore() {
  if (!flagged()) return null;
  try {
    const s = await get('/session');
    set(s.user, s.csrf_token);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) set(null, null);
    else throw e;
  }
  return user;
}

export async function signIn(username, password) {
  const s = await post('/session', { username, password });
  set(s.user, s.csrf_token);
  return user;
}

export async function signOut() {
  try {
    await del('/session');
  } finally {
    set(null, null);
  }
}

/* Called when a request says the session is gone (401). */
export function expired() {
  set(null, null);
}
