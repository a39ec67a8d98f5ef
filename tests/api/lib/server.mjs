// server.mjs — the API tests' harness: a real `hamyar serve` on a loopback port.
//
// startServer() makes a temporary directory, creates a database there with
// `hamyar init` (unless given one), starts `hamyar serve --listen 127.0.0.1:0`, reads
// the port from its one stdout line and keeps its stderr (JSON log lines) for
// diagnostics. stop() sends SIGTERM and asserts the exit code 0; kill() sends SIGKILL
// (for the durability test). Every answer that api() receives is checked against
// docs/openapi.yaml (openapi.mjs); pass {validate: false} only for answers the
// document cannot describe.
//
// Each test file starts its own servers, each with its own directory, so CTest can run
// the files in parallel.

import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { validateResponse } from './openapi.mjs';
import { BIN, SOURCE_DIR } from './paths.mjs';

export { BIN, SOURCE_DIR };

export const ADMIN_PASSWORD = 'admin-test-password-1404';
export const DEMO_PASSWORD = 'demo-test-password-1404';
export const DEMO_USERS = {
  calltaker1: 'call_taker',
  dispatcher1: 'dispatcher',
  supervisor1: 'supervisor',
  oversight1: 'oversight',
  records1: 'records',
  analyst1: 'analyst',
  commander1: 'commander',
};

// Settings every test server gets unless a test overrides them: log-ins are not
// rate-limited in tests that do not test the limit (tests log in more than ten times a
// minute from one address).
const TEST_ENV = { HAMYAR_LOGIN_RATE: '10000', HAMYAR_LOG_LEVEL: 'info' };

const live = new Set(); // child processes to kill if the test process dies first
process.on('exit', () => {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export { sleep };

export function tempDir(tag = 'api') {
  return mkdtempSync(join(tmpdir(), `hamyar-${tag}-`));
}

// The environment a hamyar process runs with: the parent's, minus any HAMYAR_*
// setting that would leak in from the developer's shell, plus ours.
export function hamyarEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('HAMYAR_') || k === 'HAMYAR_BIN' || k === 'HAMYAR_SOURCE_DIR') env[k] = v;
  }
  return { ...env, ...extra };
}

// The reference data `hamyar init` loads (tests run from the build directory, where
// the default data/gilan does not exist).
export const DATA_DIR = join(SOURCE_DIR, 'data', 'gilan');

// Runs the CLI synchronously: {status, stdout, stderr, signal}.
export function cli(args, { env = {}, input, timeout = 60000 } = {}) {
  const r = spawnSync(BIN, args, {
    env: hamyarEnv({ HAMYAR_ADMIN_PASSWORD: ADMIN_PASSWORD, HAMYAR_DEMO_PASSWORD: DEMO_PASSWORD, HAMYAR_DATA: DATA_DIR, ...env }),
    input,
    encoding: 'utf8',
    timeout,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// demo: true makes the demo users only (--demo-users), so that every call and
// incident a test sees is its own; demo: 'activity' is the whole demo (--demo).
export function initDb(db, { demo = false, env = {} } = {}) {
  const flags = demo === 'activity' ? ['--demo'] : demo ? ['--demo-users'] : [];
  const r = cli(['init', '--db', db, ...flags], { env });
  assert.equal(r.status, 0, `hamyar init failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

// sqlite3 on the database: the output, trimmed. Used to count rows behind the API's
// back and to tamper with the audit chain.
// One sample of GET /metrics (Prometheus text) by its full name, labels included.
export function metricValue(text, name) {
  const m = new RegExp(`^${name.replace(/[{}"=+]/g, '\\$&')} ([0-9.e+-]+)$`, 'm').exec(text);
  assert.ok(m, `metric ${name} missing`);
  return Number(m[1]);
}

export function sql(db, statement) {
  return execFileSync('sqlite3', [db, statement], { encoding: 'utf8' }).trim();
}

export function count(db, table) {
  return Number(sql(db, `SELECT count(*) FROM ${table}`));
}

export class Server {
  constructor({ dir, db, env, web }) {
    this.dir = dir;
    this.db = db;
    this.env = env;
    this.web = web;
    this.stderr = '';
    this.stdout = '';
    this.exited = null; // {code, signal} once the process ended
  }

  async start() {
    const args = ['serve', '--db', this.db, '--listen', this.listenArg || '127.0.0.1:0', '--web', this.web];
    const child = spawn(BIN, args, { env: hamyarEnv(this.env), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    live.add(child);
    this.exitPromise = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        live.delete(child);
        this.exited = { code, signal };
        resolve(this.exited);
      });
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      this.stderr += d;
    });
    child.stdout.setEncoding('utf8');
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`hamyar serve printed no "listening" line in 15 s\n${this.diagnostics()}`)), 15000);
      child.stdout.on('data', (d) => {
        this.stdout += d;
        const m = /^hamyar: listening on http:\/\/127\.0\.0\.1:(\d+)\n/m.exec(this.stdout);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`hamyar serve exited (${code ?? signal}) before listening\n${this.diagnostics()}`));
      });
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  diagnostics() {
    const tail = this.stderr.split('\n').slice(-40).join('\n');
    return `--- hamyar stdout ---\n${this.stdout}--- hamyar stderr (last lines) ---\n${tail}`;
  }

  // The JSON log lines written so far.
  logLines() {
    return this.stderr
      .split('\n')
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l);
        } catch {
          return { unparsed: l };
        }
      });
  }

  // SIGTERM; resolves with the exit status once the process ended.
  async terminate(timeoutMs = 20000) {
    if (this.exited) return this.exited;
    this.signalled = true;
    this.child.kill('SIGTERM');
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    const r = await Promise.race([this.exitPromise, timeout]);
    clearTimeout(timer);
    if (!r) {
      this.child.kill('SIGKILL');
      await this.exitPromise;
      throw new Error(`hamyar serve did not exit within ${timeoutMs} ms of SIGTERM\n${this.diagnostics()}`);
    }
    return r;
  }

  // SIGTERM and assert a clean exit (code 0): the end of every test file's server.
  // A server that ended before this without being told to (a crash) fails here too.
  async stop() {
    if (this.stopped) return;
    this.stopped = true;
    if (this.exited && !this.signalled) {
      assert.fail(`hamyar serve ended by itself during the test (${JSON.stringify(this.exited)})\n${this.diagnostics()}`);
    }
    const wasSignalled = this.signalled;
    const r = await this.terminate();
    if (!wasSignalled) {
      assert.deepEqual(r, { code: 0, signal: null }, `hamyar serve did not exit 0 on SIGTERM\n${this.diagnostics()}`);
    }
  }

  async kill() {
    if (this.exited) return this.exited;
    this.signalled = true;
    this.child.kill('SIGKILL');
    return this.exitPromise;
  }

  // ---- requests -------------------------------------------------------------------

  // One HTTP request with fetch. body: an object (sent as JSON), or a string/Buffer
  // (sent as is, with the headers given). Returns {status, headers, json, text}.
  async api(method, path, { token, apikey, cookie, csrf, body, headers = {}, validate = true } = {}) {
    const h = {};
    if (token) h.authorization = `Bearer ${token}`;
    if (apikey) h.authorization = `ApiKey ${apikey}`;
    if (cookie) h.cookie = cookie;
    if (csrf) h['x-csrf-token'] = csrf;
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof Uint8Array) payload = body;
      else {
        payload = JSON.stringify(body);
        h['content-type'] = 'application/json';
      }
    }
    for (const [k, v] of Object.entries(headers)) {
      if (v === undefined) delete h[k.toLowerCase()];
      else h[k.toLowerCase()] = v;
    }
    const res = await fetch(this.url + path, { method, headers: h, body: payload, redirect: 'manual' });
    const text = await res.text();
    let json;
    if ((res.headers.get('content-type') || '').includes('json') && text.length) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    const out = { status: res.status, headers: Object.fromEntries(res.headers), json, text };
    if (validate) validateResponse(method, path, res.status, json, res.headers, text);
    return out;
  }

  // Logs in; returns {token, csrf, cookie, user, res}. Fails the test unless 201.
  async login(username, password, { totp, headers } = {}) {
    const body = { username, password };
    if (totp !== undefined) body.totp = totp;
    const res = await this.api('POST', '/api/v1/session', { body, headers });
    assert.equal(res.status, 201, `log-in as ${username} failed: ${res.status} ${res.text}`);
    const setCookie = res.headers['set-cookie'] || '';
    const m = /(?:^|[,\s])hamyar_session=([^;,\s]*)/.exec(setCookie);
    return {
      token: res.json.token,
      csrf: res.json.csrf_token,
      cookie: m ? `hamyar_session=${m[1]}` : undefined,
      setCookie,
      user: res.json.user,
      res,
    };
  }

  async loginAdmin() {
    return this.login('admin', ADMIN_PASSWORD);
  }

  // Creates a user as `admin` (a session token); returns the user object.
  async createUser(adminToken, username, roles, password = `${username}-password-12`) {
    const res = await this.api('POST', '/api/v1/users', { token: adminToken, body: { username, password, roles } });
    assert.equal(res.status, 201, `creating ${username}: ${res.status} ${res.text}`);
    return { ...res.json, password };
  }

  // Bytes straight onto a socket, for requests fetch will not send (invalid UTF-8,
  // broken framing). Reads one HTTP/1.1 answer (Content-Length or chunked) or until
  // the server closes. With pauseAfterHeaders, the part before the first blank line is
  // sent first and the rest only if no answer came within that many milliseconds (so
  // an early 413 is read before the body would be refused).
  raw(request, { pauseAfterHeaders = 0, timeoutMs = 10000 } = {}) {
    return rawRequest(this.port, request, { pauseAfterHeaders, timeoutMs });
  }
}

export function parseHttpResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.subarray(0, end).toString('latin1');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!m) return { status: NaN, headers: {}, text: '', complete: true, statusLine };
  const headers = {};
  for (const l of headerLines) {
    const i = l.indexOf(':');
    if (i > 0) {
      const k = l.slice(0, i).trim().toLowerCase();
      const v = l.slice(i + 1).trim();
      headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
    }
  }
  let body = buf.subarray(end + 4);
  let complete = false;
  if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    complete = body.length >= n;
    body = body.subarray(0, n);
  } else if (/chunked/i.test(headers['transfer-encoding'] || '')) {
    const parts = [];
    let p = 0;
    for (;;) {
      const nl = body.indexOf('\r\n', p);
      if (nl < 0) break;
      const size = parseInt(body.subarray(p, nl).toString('latin1'), 16);
      if (Number.isNaN(size)) break;
      if (size === 0) {
        complete = true;
        break;
      }
      if (body.length < nl + 2 + size + 2) break;
      parts.push(body.subarray(nl + 2, nl + 2 + size));
      p = nl + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  const text = body.toString('utf8');
  let json;
  if ((headers['content-type'] || '').includes('json')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: Number(m[1]), headers, text, json, complete };
}

export function rawRequest(port, request, { pauseAfterHeaders = 0, timeoutMs = 10000 } = {}) {
  const bytes = Buffer.isBuffer(request) ? request : Buffer.from(request, 'utf8');
  return new Promise((resolve, reject) => {
    const chunks = [];
    let done = false;
    const sock = net.connect(port, '127.0.0.1');
    const finish = (err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const parsed = parseHttpResponse(Buffer.concat(chunks));
      if (parsed) resolve({ ...parsed, closed: true });
      else reject(err || new Error(`no HTTP answer; got ${JSON.stringify(Buffer.concat(chunks).toString('latin1').slice(0, 200))}`));
    };
    const timer = setTimeout(() => finish(new Error(`no complete answer in ${timeoutMs} ms`)), timeoutMs);
    sock.on('data', (d) => {
      chunks.push(d);
      const parsed = parseHttpResponse(Buffer.concat(chunks));
      if (parsed && parsed.complete) finish();
    });
    sock.on('end', () => finish());
    sock.on('close', () => finish());
    sock.on('error', (e) => finish(e));
    sock.on('connect', () => {
      const split = bytes.indexOf('\r\n\r\n');
      if (!pauseAfterHeaders || split < 0) {
        sock.write(bytes);
        return;
      }
      sock.write(bytes.subarray(0, split + 4));
      setTimeout(() => {
        if (!done && chunks.length === 0) sock.write(bytes.subarray(split + 4), () => {});
      }, pauseAfterHeaders);
    });
  });
}

// Starts a server. opts: env (HAMYAR_* settings), demo (demo users), db (an existing
// database: no init), dir.
export async function startServer({ env = {}, demo = false, db, dir } = {}) {
  const d = dir || tempDir();
  const dbPath = db || join(d, 'hamyar.db');
  if (!db) initDb(dbPath, { demo });
  const web = existsSync(join(SOURCE_DIR, 'web')) ? join(SOURCE_DIR, 'web') : d;
  const srv = new Server({ dir: d, db: dbPath, env: { ...TEST_ENV, ...env }, web });
  await srv.start();
  return srv;
}

// Removes a test directory (best effort; leaves it when HAMYAR_KEEP_TMP is set).
// What a test file's after() does with its server: closes the event streams it opened,
// stops the server (stop() asserts a clean exit) and removes its folder. srv is unset
// when before() failed.
export async function stopAndRemove(srv, streams = []) {
  for (const s of streams) s.close();
  if (!srv) return;
  await srv.stop();
  removeDir(srv.dir);
}

export function removeDir(dir) {
  if (process.env.HAMYAR_KEEP_TMP) return;
  rmSync(dir, { recursive: true, force: true });
}

// The number of audit rows, read from the database (the server keeps running: SQLite
// in WAL mode lets another process read).
export function auditCount(srv) {
  return count(srv.db, 'audit');
}
