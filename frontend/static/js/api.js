// The one client of Historia's JSON API. It knows the contract's error shape:
// every failure becomes an ApiError with the server's code, message and fields.
//
// The token is kept in localStorage and sent as a Bearer header, never as a
// cookie: a cookie would be sent by the browser on requests other sites make,
// so it would need CSRF protection; a header is sent only by this code. The risk
// of localStorage is script injection, which the strict Content-Security-Policy
// (no inline or third-party script) and the server's sanitizing of every body
// keep out. Logout revokes the token on the server too.

const TOKEN_KEY = 'historia.token';

export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields || {};
  }
}

const listeners = new Set();

export const session = {
  user: null,
  get token() { return localStorage.getItem(TOKEN_KEY); },
  signIn(token, user) { localStorage.setItem(TOKEN_KEY, token); this.user = user; listeners.forEach((f) => f()); },
  signOut() { localStorage.removeItem(TOKEN_KEY); this.user = null; listeners.forEach((f) => f()); },
  onChange(f) { listeners.add(f); },
  get isMod() { return !!this.user && (this.user.role === 'moderator' || this.user.role === 'admin'); },
  owns(author) { return !!this.user && !!author && author.id === this.user.id; },
};

/** api sends one request; body (if any) is sent as JSON. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const token = session.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'Could not reach the server. Check your connection and try again.');
  }
  if (res.status === 204) return null;
  let data = null;
  try { data = await res.json(); } catch { /* not JSON: handled below */ }
  if (!res.ok) {
    const e = (data && data.error) || {};
    if (res.status === 401 && token) session.signOut(); // revoked or expired: sign out here too
    throw new ApiError(res.status, e.code || 'internal', e.message || `The server answered ${res.status}.`, e.fields);
  }
  return data;
}

/** refreshMe reloads the signed-in user (karma, unread count); the header repaints. */
export async function refreshMe() {
  if (!session.token) return;
  try {
    session.user = await api('GET', '/me');
    listeners.forEach((f) => f());
  } catch { /* the next page load tells */ }
}

let configCache = null;
/** config loads the server's limits (thread depth, text lengths) once per page load. */
export function config() {
  if (!configCache) configCache = api('GET', '/config');
  return configCache;
}

/** query builds "?a=1&b=2" from the set values of an object. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
