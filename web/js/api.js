// The JSON API client.  Errors come back as ApiError carrying the RFC 9457
// problem document; a network failure is status 0.

const BASE = '/api/v1';
let csrfToken = null;

export function setCsrf(token) {
  csrfToken = token || null;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

function url(path, params) {
  const u = new URL(BASE + path, location.origin);
  if (params) {
    for (const [k, v] of Object.entries(params)) {
      if (v != null && v !== '') u.searchParams.set(k, String(v));
    }
  }
  return u.pathname + u.search;
}

async function request(method, path, { params, body, signal, accept } = {}) {
  const headers = { Accept: accept || 'application/json, application/problem+json' };
  const init = { method, headers, credentials: 'same-origin', signal };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(url(path, params), init);
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'network', detail: String((e && e.message) || e) });
  }
  if (!res.ok) {
    let problem = null;
    try {
      const ct = res.headers.get('Content-Type') || '';
      problem = ct.includes('json') ? await res.json() : { detail: (await res.text()).slice(0, 500) };
    } catch {
      problem = null;
    }
    throw new ApiError(res.status, { status: res.status, title: res.statusText, ...(problem || {}) });
  }
  return res;
}

export async function get(path, params, signal) {
  const res = await request('GET', path, { params, signal });
  return res.json();
}

export async function getText(path, params, signal) {
  const res = await request('GET', path, { params, signal, accept: 'text/plain' });
  return res.text();
}

export async function post(path, body) {
  const res = await request('POST', path, { body });
  return res.status === 204 ? null : res.json();
}

export async function del(path) {
  const res = await request('DELETE', path);
  return res.status === 204 ? null : res.json();
}

/* Path segments are ids and codes; encode them anyway. */
export const seg = (s) => encodeURIComponent(String(s));
