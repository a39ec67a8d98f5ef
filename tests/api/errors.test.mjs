// errors.test.mjs — bad requests get the right 4xx with {"error":{"code","message"}}
// and change nothing.
//
// Each error's status is checked against src/http/errors.h (statusOf), and api()
// checks the body against docs/openapi.yaml. "Changes nothing" is checked behind the
// API's back: the users and audit tables are counted with sqlite3 before and after.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { validateResponse } from './lib/openapi.mjs';
import { ADMIN_PASSWORD, count, removeDir, startServer, stopAndRemove } from './lib/server.mjs';
import { statusOf } from './lib/source.mjs';

let srv;
let admin; // {token, csrf, cookie}
let dispatcher;

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin', ADMIN_PASSWORD);
  const d = await srv.createUser(admin.token, 'err.dispatcher', ['dispatcher']);
  dispatcher = await srv.login('err.dispatcher', d.password);
});
after(() => stopAndRemove(srv));

// Asserts the answer is the error `code` with the status errors.h gives it.
function assertError(r, code, field) {
  assert.equal(r.json?.error?.code, code, `expected ${code}, got ${r.status} ${r.text}`);
  assert.equal(r.status, statusOf(code), `${code} must come with ${statusOf(code)}`);
  assert.equal(typeof r.json.error.message, 'string');
  assert.ok(r.json.error.message.length > 0);
  if (field !== undefined) assert.equal(r.json.error.field, field);
  assert.match(r.headers['x-request-id'] || '', /^[0-9a-f]{32}$/, 'an error carries X-Request-Id too');
}

// Runs fn and asserts that the users table, and unless `audited` the audit table,
// are as they were.
async function changesNothing(fn, { audited = false } = {}) {
  const users = count(srv.db, 'users');
  const audit = count(srv.db, 'audit');
  const events = count(srv.db, 'events');
  const r = await fn();
  assert.equal(count(srv.db, 'users'), users, 'the users table changed');
  assert.equal(count(srv.db, 'events'), events, 'the events table changed');
  if (!audited) assert.equal(count(srv.db, 'audit'), audit, 'the audit table changed');
  return r;
}

const goodUser = (name) => ({ username: name, password: `${name}-password-1`, roles: ['call_taker'] });

// A raw HTTP/1.1 request (for bytes fetch will not send).
function rawPost(path, body, { contentType = 'application/json', token = admin.token, extra = '' } = {}) {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const head =
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n` +
    (token ? `Authorization: Bearer ${token}\r\n` : '') +
    (contentType ? `Content-Type: ${contentType}\r\n` : '') +
    `Content-Length: ${b.length}\r\n${extra}Connection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), b]);
}

function checkRaw(r, path, method = 'POST') {
  validateResponse(method, path, r.status, r.json, r.headers, r.text);
  return r;
}

describe('routing', () => {
  test('an unknown API path is 404 route_not_found', async () => {
    const r = await changesNothing(() => srv.api('GET', '/api/v1/nothing-here', { token: admin.token }));
    assertError(r, 'route_not_found');
    const r2 = await srv.api('POST', '/api/v1/users/1/nothing', { token: admin.token, body: {} });
    assertError(r2, 'route_not_found');
  });

  test('a known path with another method is 405 method_not_allowed with Allow', async () => {
    const r = await changesNothing(() => srv.api('PUT', '/api/v1/health'));
    assertError(r, 'method_not_allowed');
    assert.equal(r.headers.allow.replace(/\s/g, ''), 'GET');
    const r2 = await changesNothing(() => srv.api('DELETE', '/api/v1/users', { token: admin.token }));
    assertError(r2, 'method_not_allowed');
    assert.deepEqual(r2.headers.allow.split(',').map((m) => m.trim()).sort(), ['GET', 'POST']);
    const r3 = await srv.api('POST', '/api/v1/users/1', { token: admin.token, body: {} });
    assertError(r3, 'method_not_allowed');
    assert.deepEqual(r3.headers.allow.split(',').map((m) => m.trim()).sort(), ['GET', 'PATCH']);
  });

  test('an id that is not a positive number is 404 not_found', async () => {
    for (const id of ['abc', '0', '-1', '1.5', '99999999999999999999999']) {
      const r = await srv.api('GET', `/api/v1/users/${id}`, { token: admin.token });
      assertError(r, 'not_found');
    }
    const r = await srv.api('GET', '/api/v1/users/999999', { token: admin.token });
    assertError(r, 'not_found');
  });
});

describe('size caps', () => {
  test('a body over the 64 KiB cap is 413 payload_too_large and stores nothing', async () => {
    const big = JSON.stringify({ ...goodUser('too.big'), display_name: 'x'.repeat(70 * 1024) });
    const r = await changesNothing(() => srv.raw(rawPost('/api/v1/users', big), { pauseAfterHeaders: 300 }));
    checkRaw(r, '/api/v1/users');
    assertError(r, 'payload_too_large');
  });

  test('a body of exactly 64 KiB is read (not 413); one byte more is 413', async () => {
    const base = JSON.stringify({ ...goodUser('exact.size'), display_name: '' });
    const pad = 65536 - base.length;
    const exact = JSON.stringify({ ...goodUser('exact.size'), display_name: 'x'.repeat(pad) });
    assert.equal(Buffer.byteLength(exact), 65536);
    const r = await changesNothing(() => srv.raw(rawPost('/api/v1/users', exact), { pauseAfterHeaders: 300 }));
    checkRaw(r, '/api/v1/users');
    // display_name is longer than a name may be: the body was parsed and judged.
    assertError(r, 'invalid_field', 'display_name');
    const over = JSON.stringify({ ...goodUser('exact.size'), display_name: 'x'.repeat(pad + 1) });
    const r2 = await changesNothing(() => srv.raw(rawPost('/api/v1/users', over), { pauseAfterHeaders: 300 }));
    assertError(r2, 'payload_too_large');
  });

  test('a body over the cap sent chunked (no Content-Length) is 413 too', async () => {
    const big = Buffer.from(JSON.stringify({ ...goodUser('chunked.big'), display_name: 'y'.repeat(70 * 1024) }));
    const chunks = [];
    for (let i = 0; i < big.length; i += 8192) {
      const part = big.subarray(i, i + 8192);
      chunks.push(Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from('0\r\n\r\n'));
    const head =
      `POST /api/v1/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin.token}\r\n` +
      'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
    const r = await changesNothing(() => srv.raw(Buffer.concat([Buffer.from(head), ...chunks]), { pauseAfterHeaders: 300 }));
    assertError(r, 'payload_too_large');
  });

  test('a URL over the 2 KiB cap is 414 uri_too_long', async () => {
    const r = await changesNothing(() => srv.api('GET', `/api/v1/health?pad=${'a'.repeat(2100)}`));
    assertError(r, 'uri_too_long');
    const r2 = await changesNothing(() =>
      srv.api('POST', `/api/v1/users?pad=${'a'.repeat(3000)}`, { token: admin.token, body: goodUser('long.url') }),
    );
    assertError(r2, 'uri_too_long');
  });

  test('a URL of exactly 2048 bytes is served; 2049 is 414', async () => {
    const prefix = '/api/v1/health?pad=';
    const ok = await srv.api('GET', prefix + 'a'.repeat(2048 - prefix.length));
    assert.equal(ok.status, 200, `a 2048-byte URL: ${ok.status} ${ok.text}`);
    const over = await srv.api('GET', prefix + 'a'.repeat(2049 - prefix.length));
    assertError(over, 'uri_too_long');
  });

  test('a request whose headers take 6 KB (cookies, a proxy\'s additions) is served whole', async () => {
    // The connection's memory (16 KiB, server.c) must hold this and the read buffer.
    const cookies = Array.from({ length: 40 }, (_, i) => `tracker_${i}=${'x'.repeat(120)}`).join('; ');
    const r = await srv.api('GET', '/api/v1/me', {
      token: admin.token,
      headers: { cookie: cookies, 'x-forwarded-for': '10.0.0.1, 10.0.0.2', 'user-agent': 'u'.repeat(400) },
    });
    assert.equal(r.status, 200, `${r.status} ${r.text}`);
    assert.equal(r.json.username, 'admin');
  });
});

describe('bodies', () => {
  test('a body that is not application/json is 415 unsupported_media_type', async () => {
    const body = JSON.stringify(goodUser('plain.text'));
    const r = await changesNothing(() =>
      srv.api('POST', '/api/v1/users', { token: admin.token, body, headers: { 'content-type': 'text/plain' } }),
    );
    assertError(r, 'unsupported_media_type');
    const r2 = await changesNothing(() =>
      srv.api('POST', '/api/v1/users', {
        token: admin.token,
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    assertError(r2, 'unsupported_media_type');
    // No Content-Type at all.
    const r3 = await changesNothing(() => srv.raw(rawPost('/api/v1/users', body, { contentType: null })));
    checkRaw(r3, '/api/v1/users');
    assertError(r3, 'unsupported_media_type');
  });

  test('application/json with a charset parameter is accepted', async () => {
    const r = await srv.api('POST', '/api/v1/users', {
      token: admin.token,
      body: JSON.stringify(goodUser('charset.ok')),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    assert.equal(r.status, 201, r.text);
  });

  test('a body that is not JSON is 400 bad_json', async () => {
    for (const body of ['{"username":', '{username: "x"}', '', '{"a":1}{"b":2}', 'null']) {
      const r = await changesNothing(() =>
        srv.api('POST', '/api/v1/users', {
          token: admin.token,
          body,
          headers: { 'content-type': 'application/json' },
        }),
      );
      assertError(r, 'bad_json');
    }
  });

  test('a JSON body that is not one object is 400 bad_json', async () => {
    for (const body of ['[]', '"text"', '42']) {
      const r = await changesNothing(() =>
        srv.api('POST', '/api/v1/users', { token: admin.token, body, headers: { 'content-type': 'application/json' } }),
      );
      assertError(r, 'bad_json');
    }
  });

  test('bytes that are not UTF-8 are 400 invalid_utf8', async () => {
    const cases = [
      Buffer.from([0xff, 0xfe]), // never valid
      Buffer.from([0xc0, 0xaf]), // overlong '/'
      Buffer.from([0xed, 0xa0, 0x80]), // a UTF-16 surrogate
      Buffer.from([0xe2, 0x82]), // truncated sequence
    ];
    for (const bad of cases) {
      const body = Buffer.concat([
        Buffer.from('{"username":"utf8.bad","password":"utf8-bad-password","roles":["call_taker"],"display_name":"'),
        bad,
        Buffer.from('"}'),
      ]);
      const r = await changesNothing(() => srv.raw(rawPost('/api/v1/users', body)));
      checkRaw(r, '/api/v1/users');
      assertError(r, 'invalid_utf8');
    }
  });

  test('a field the endpoint does not take is 400 unknown_field naming it', async () => {
    const r = await changesNothing(() =>
      srv.api('POST', '/api/v1/users', { token: admin.token, body: { ...goodUser('extra.field'), colour: 'blue' } }),
    );
    assertError(r, 'unknown_field', 'colour');
    const r2 = await changesNothing(() =>
      srv.api('POST', '/api/v1/session', { body: { username: 'admin', password: ADMIN_PASSWORD, remember: true } }),
    );
    assertError(r2, 'unknown_field', 'remember');
  });

  test('a missing required field is 400 missing_field naming it', async () => {
    const { password, ...noPassword } = goodUser('no.password');
    assert.ok(password);
    const r = await changesNothing(() => srv.api('POST', '/api/v1/users', { token: admin.token, body: noPassword }));
    assertError(r, 'missing_field', 'password');
    const r2 = await changesNothing(() => srv.api('POST', '/api/v1/session', { body: { username: 'admin' } }));
    assertError(r2, 'missing_field', 'password');
  });

  test('a field of the wrong type is 400 invalid_field naming it', async () => {
    const r = await changesNothing(() =>
      srv.api('POST', '/api/v1/users', { token: admin.token, body: { ...goodUser('wrong.type'), roles: 'admin' } }),
    );
    assertError(r, 'invalid_field', 'roles');
    const r2 = await changesNothing(() =>
      srv.api('POST', '/api/v1/users', { token: admin.token, body: { ...goodUser('wrong.type'), username: 42 } }),
    );
    assertError(r2, 'invalid_field', 'username');
  });

  test('a text with a NUL character is refused', async () => {
    const r = await changesNothing(() =>
      srv.api('POST', '/api/v1/users', {
        token: admin.token,
        body: { ...goodUser('nul.char'), display_name: 'a\u0000b' },
      }),
    );
    assert.equal(r.status, 400, r.text);
  });
});

describe('who may call', () => {
  test('no credentials is 401 unauthenticated', async () => {
    const r = await changesNothing(() => srv.api('GET', '/api/v1/me'));
    assertError(r, 'unauthenticated');
    const r2 = await changesNothing(() => srv.api('POST', '/api/v1/users', { body: goodUser('no.auth') }));
    assertError(r2, 'unauthenticated');
  });

  test('a wrong token, a malformed header or another scheme is 401 unauthenticated', async () => {
    for (const authorization of [
      'Bearer not-a-real-token',
      `Bearer ${admin.token}x`,
      'Bearer ',
      `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
      'ApiKey hk_not-a-real-key-at-all-000000000000000000000',
    ]) {
      const r = await changesNothing(() => srv.api('GET', '/api/v1/me', { headers: { authorization } }));
      assertError(r, 'unauthenticated');
    }
  });

  test('a role the route does not admit is 403 forbidden, and creates nothing', async () => {
    const r = await changesNothing(() => srv.api('GET', '/api/v1/users', { token: dispatcher.token }), { audited: true });
    assertError(r, 'forbidden');
    const r2 = await changesNothing(
      () => srv.api('POST', '/api/v1/users', { token: dispatcher.token, body: goodUser('by.dispatcher') }),
      { audited: true },
    );
    assertError(r2, 'forbidden');
    const r3 = await srv.api('GET', '/api/v1/audit', { token: dispatcher.token });
    assertError(r3, 'forbidden');
    const r4 = await srv.api('POST', '/api/v1/apikeys', { token: dispatcher.token, body: { name: 'x', role: 'telephony' } });
    assertError(r4, 'forbidden');
  });

  test('a cookie session without X-CSRF-Token on an unsafe method is 403 csrf_failed', async () => {
    assert.ok(admin.cookie, 'the log-in set the hamyar_session cookie');
    const r = await changesNothing(() =>
      srv.api('POST', '/api/v1/users', { cookie: admin.cookie, body: goodUser('csrf.missing') }),
    );
    assertError(r, 'csrf_failed');
  });
});

describe('rate limit', () => {
  let limited;
  before(async () => {
    limited = await startServer({ env: { HAMYAR_LOGIN_RATE: '3' } });
  });
  after(async () => {
    if (!limited) return;
    await limited.stop();
    removeDir(limited.dir);
  });

  test('log-in attempts past HAMYAR_LOGIN_RATE a minute are 429 rate_limited with Retry-After, even with the right password', async () => {
    const users = count(limited.db, 'users');
    for (let i = 0; i < 3; i++) {
      const r = await limited.api('POST', '/api/v1/session', { body: { username: 'admin', password: `wrong-password-${i}` } });
      assertError(r, 'bad_credentials');
    }
    const before = count(limited.db, 'audit');
    const r = await limited.api('POST', '/api/v1/session', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    assertError(r, 'rate_limited');
    assert.match(r.headers['retry-after'] || '', /^[1-9]\d*$/, 'Retry-After in seconds');
    assert.ok(Number(r.headers['retry-after']) <= 60);
    const r2 = await limited.api('POST', '/api/v1/session', { body: { username: 'admin', password: 'wrong-password-x' } });
    assertError(r2, 'rate_limited');
    // A refused attempt is not a log-in attempt: no failure counted, no session made.
    assert.equal(count(limited.db, 'users'), users);
    assert.equal(count(limited.db, 'sessions'), 0);
    assert.ok(count(limited.db, 'audit') >= before);
    // Other routes are not limited by the log-in budget.
    const h = await limited.api('GET', '/api/v1/health');
    assert.equal(h.status, 200);
  });
});
