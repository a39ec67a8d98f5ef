// api.js — the console's one way to talk to hamyar's API (docs/api.md).
//
// The session is the HttpOnly cookie that POST /api/v1/session sets; unsafe methods also
// send X-CSRF-Token with the csrf_token of the log-in answer, kept in sessionStorage so
// that a reload of the tab keeps working and a new tab logs in afresh.
//
// When the session has expired (401) the request is not lost: api() asks the handler set
// with onAuthLost() to log the user in again — the shell shows the log-in over the
// current screen, so whatever was typed stays on it — and then sends the request once
// more. Creating POSTs carry an Idempotency-Key made once per call of api(), so that
// sending again after a lost answer never stores a call twice.

const CSRF_KEY = 'hamyar.csrf';

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message || code);
    this.status = status;
    this.code = code; // an errors.h code, or "network"
    this.field = field || null;
  }
}

let authLost = null;
let relogin = null; // the pending log-in all failed requests wait for

// fn() must resolve once the user has logged in again (or reject if they gave up).
export function onAuthLost(fn) {
  authLost = fn;
}

export function setCsrf(token) {
  if (token) sessionStorage.setItem(CSRF_KEY, token);
  else sessionStorage.removeItem(CSRF_KEY);
}

// A key is the time in milliseconds (12 hex digits) and then 80 random bits (20 hex
// digits). Keys that grow with time join the server's index of stored answers at its
// end, as its calls and events do; random keys each wrote an index page of their own at
// every commit and again at every checkpoint, which cost a call-taker's call about a
// third of the server's throughput (BENCHMARKS.md, eighth session). The random bits alone
// keep two keys apart, whatever the clock does.
function newKey() {
  const b = new Uint8Array(10);
  crypto.getRandomValues(b);
  return Date.now().toString(16).padStart(12, '0') + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

async function send(method, path, body, idemKey) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = sessionStorage.getItem(CSRF_KEY);
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  if (idemKey) headers['idempotency-key'] = idemKey;
  let res;
  try {
    res = await fetch(path, {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (res.status === 204) return null;
  const json = await res.json().catch(() => null);
  if (res.ok) return json;
  const e = (json && json.error) || {};
  const err = new ApiError(res.status, e.code || (res.status >= 500 ? 'internal' : 'bad_request'), e.message, e.field);
  err.retryAfter = Number(res.headers.get('retry-after')) || 0;
  throw err;
}

function sessionLost(err) {
  return err.status === 401 && (err.code === 'session_expired' || err.code === 'unauthenticated');
}

// api('POST', '/api/v1/calls', {body, create: true}) → the parsed answer; throws ApiError.
// create: send an Idempotency-Key (the route must honour it: creating POSTs).
export async function api(method, path, { body, create = false } = {}) {
  const key = create ? newKey() : null;
  try {
    return await send(method, path, body, key);
  } catch (err) {
    if (!(err instanceof ApiError) || !sessionLost(err) || !authLost || path === '/api/v1/session') throw err;
    if (!relogin) relogin = Promise.resolve(authLost()).finally(() => { relogin = null; });
    await relogin;
    return send(method, path, body, key);
  }
}

// Logs in; a TOTP-enrolled user passes totp. Returns the user of the answer.
export async function login(username, password, totp) {
  const body = { username, password };
  if (totp) body.totp = totp;
  const r = await send('POST', '/api/v1/session', body, null);
  setCsrf(r.csrf_token);
  return r.user;
}

export async function logout() {
  try {
    await send('DELETE', '/api/v1/session');
  } finally {
    setCsrf(null);
  }
}
