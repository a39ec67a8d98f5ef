// session.test.mjs — logging in and out: bearer and cookie use, CSRF, expiry (idle and
// absolute), wrong passwords, the lock after repeated failures and its unlock, disabled
// accounts, password changes, and the TOTP second factor (codes computed here with
// node:crypto per RFC 6238, independently of the server), each code accepted once.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { ADMIN_PASSWORD, removeDir, sleep, sql, startServer, stopAndRemove } from './lib/server.mjs';
import { base32Decode, totp, wrongTotp } from './lib/totp.mjs';

let srv;
let admin;

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin', ADMIN_PASSWORD);
});
after(() => stopAndRemove(srv));

const code = (r) => r.json?.error?.code;

describe('log-in', () => {
  test('answers 201 with a token, a CSRF token, the limits and the user, and sets the cookie', async () => {
    const t0 = Date.now();
    const s = await srv.login('admin', ADMIN_PASSWORD);
    const t1 = Date.now();
    // 256 random bits in base64url is 43 characters.
    assert.match(s.token, /^[A-Za-z0-9_-]{43,}$/);
    assert.match(s.csrf, /^[A-Za-z0-9_-]{43,}$/);
    assert.notEqual(s.token, s.csrf);
    assert.notEqual(s.token, admin.token, 'each log-in makes a new token');
    assert.equal(s.res.json.idle_timeout_s, 1800, 'idle timeout 30 minutes');
    const expires = Date.parse(s.res.json.expires_at);
    assert.ok(expires >= t0 + 12 * 3600e3 - 1000 && expires <= t1 + 12 * 3600e3 + 1000, 'absolute limit 12 hours');
    assert.equal(s.user.username, 'admin');
    assert.deepEqual(s.user.roles, ['admin']);
    // The cookie: the same token, HttpOnly, SameSite=Strict, Path=/.
    assert.equal(s.cookie, `hamyar_session=${s.token}`);
    assert.match(s.setCookie, /;\s*HttpOnly/i);
    assert.match(s.setCookie, /;\s*SameSite=Strict/i);
    assert.match(s.setCookie, /;\s*Path=\//i);
    // Only the token's SHA-256 is stored, never the token.
    const hash = createHash('sha256').update(s.token).digest('hex');
    assert.equal(Number(sql(srv.db, `SELECT count(*) FROM sessions WHERE token_hash = X'${hash}'`)), 1);
    for (const f of [srv.db, `${srv.db}-wal`]) {
      if (existsSync(f)) assert.ok(!readFileSync(f).includes(s.token), `the token is in ${f}`);
    }
  });

  test('a wrong password and an unknown username are the same 401 bad_credentials', async () => {
    const a = await srv.api('POST', '/api/v1/session', { body: { username: 'admin', password: 'not-the-password' } });
    assert.equal(a.status, 401);
    assert.equal(code(a), 'bad_credentials');
    const b = await srv.api('POST', '/api/v1/session', { body: { username: 'nobody.here', password: 'not-the-password' } });
    assert.equal(b.status, 401);
    assert.equal(code(b), 'bad_credentials');
    assert.equal(a.json.error.message, b.json.error.message, 'the answer does not tell which names exist');
    assert.equal(a.headers['set-cookie'], undefined, 'no cookie on a failed log-in');
  });
});

describe('using a session', () => {
  test('the token works as a bearer token and the cookie works alone', async () => {
    const s = await srv.login('admin', ADMIN_PASSWORD);
    const viaBearer = await srv.api('GET', '/api/v1/me', { token: s.token });
    assert.equal(viaBearer.status, 200);
    assert.equal(viaBearer.json.username, 'admin');
    const viaCookie = await srv.api('GET', '/api/v1/me', { cookie: s.cookie });
    assert.equal(viaCookie.status, 200);
    assert.equal(viaCookie.json.username, 'admin');
  });

  test('a cookie on an unsafe method needs the right X-CSRF-Token; a bearer token does not', async () => {
    const s = await srv.login('admin', ADMIN_PASSWORD);
    const body = { display_name: 'مدیر' };
    const none = await srv.api('PATCH', '/api/v1/me', { cookie: s.cookie, body });
    assert.equal(none.status, 403);
    assert.equal(code(none), 'csrf_failed');
    const wrong = await srv.api('PATCH', '/api/v1/me', { cookie: s.cookie, csrf: admin.csrf, body });
    assert.equal(wrong.status, 403, 'another session\'s CSRF token is wrong');
    assert.equal(code(wrong), 'csrf_failed');
    const asToken = await srv.api('PATCH', '/api/v1/me', { cookie: s.cookie, csrf: s.token, body });
    assert.equal(code(asToken), 'csrf_failed', 'the session token is not the CSRF token');
    const right = await srv.api('PATCH', '/api/v1/me', { cookie: s.cookie, csrf: s.csrf, body });
    assert.equal(right.status, 200, right.text);
    assert.equal(right.json.display_name, 'مدیر');
    const bearer = await srv.api('PATCH', '/api/v1/me', { token: s.token, body: { latin_digits: true } });
    assert.equal(bearer.status, 200, bearer.text);
    assert.equal(bearer.json.latin_digits, true);
    const back = await srv.api('PATCH', '/api/v1/me', { token: s.token, body: { latin_digits: false } });
    assert.equal(back.json.latin_digits, false);
  });

  test('log-out ends the session (bearer) and clears the cookie (cookie + CSRF)', async () => {
    const s = await srv.login('admin', ADMIN_PASSWORD);
    const out = await srv.api('DELETE', '/api/v1/session', { token: s.token });
    assert.equal(out.status, 204);
    const after1 = await srv.api('GET', '/api/v1/me', { token: s.token });
    assert.equal(after1.status, 401);
    const afterCookie = await srv.api('GET', '/api/v1/me', { cookie: s.cookie });
    assert.equal(afterCookie.status, 401, 'the cookie holds the same, ended session');

    const c = await srv.login('admin', ADMIN_PASSWORD);
    const noCsrf = await srv.api('DELETE', '/api/v1/session', { cookie: c.cookie });
    assert.equal(noCsrf.status, 403);
    assert.equal(code(noCsrf), 'csrf_failed');
    const stillIn = await srv.api('GET', '/api/v1/me', { cookie: c.cookie });
    assert.equal(stillIn.status, 200, 'a refused log-out changes nothing');
    const ok = await srv.api('DELETE', '/api/v1/session', { cookie: c.cookie, csrf: c.csrf });
    assert.equal(ok.status, 204);
    assert.match(ok.headers['set-cookie'] || '', /hamyar_session=;.*Max-Age=0/i, 'the cookie is cleared');
    const gone = await srv.api('GET', '/api/v1/me', { cookie: c.cookie });
    assert.equal(gone.status, 401);
    // Other sessions of the same user go on.
    const other = await srv.api('GET', '/api/v1/me', { token: admin.token });
    assert.equal(other.status, 200);
  });

  test('a session is read from the database once and then kept; a change behind hamyar\'s back counts within HAMYAR_AUTH_CACHE_MS', async () => {
    const counter = async (name) => {
      const m = await srv.api('GET', '/metrics');
      return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(m.text)[1]);
    };
    const s = await srv.login('admin', ADMIN_PASSWORD);
    const [hits0, misses0] = [await counter('hamyar_auth_cache_hits_total'), await counter('hamyar_auth_cache_misses_total')];
    for (let i = 0; i < 5; i++) assert.equal((await srv.api('GET', '/api/v1/me', { token: s.token })).status, 200);
    const hits = (await counter('hamyar_auth_cache_hits_total')) - hits0;
    const misses = (await counter('hamyar_auth_cache_misses_total')) - misses0;
    assert.equal(hits + misses, 5, 'each request counted once');
    assert.ok(hits >= 3, `most of five requests in a row are answered from what was kept (${hits} were)`);
    // Ended with the sqlite3 shell, as no hamyar process would: the server is not told,
    // and trusts what it kept for at most the default second.
    const hash = createHash('sha256').update(s.token).digest('hex');
    sql(srv.db, `UPDATE sessions SET revoked_ms = 1 WHERE token_hash = X'${hash}'`);
    await sleep(1100);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: s.token })).status, 401);
  });
});

describe('lock-out', () => {
  test('five wrong passwords lock the account even for the right password; an admin unlocks it', async () => {
    const u = await srv.createUser(admin.token, 'lock.me', ['call_taker']);
    for (let i = 1; i <= 4; i++) {
      const r = await srv.api('POST', '/api/v1/session', { body: { username: 'lock.me', password: `wrong-guess-${i}` } });
      assert.equal(r.status, 401, `attempt ${i}`);
      assert.equal(code(r), 'bad_credentials');
    }
    // The fifth failure locks: it is still a wrong password.
    const fifth = await srv.api('POST', '/api/v1/session', { body: { username: 'lock.me', password: 'wrong-guess-5' } });
    assert.ok(['bad_credentials', 'account_locked'].includes(code(fifth)), fifth.text);
    const right = await srv.api('POST', '/api/v1/session', { body: { username: 'lock.me', password: u.password } });
    assert.equal(right.status, 403);
    assert.equal(code(right), 'account_locked');
    const seen = await srv.api('GET', `/api/v1/users/${u.id}`, { token: admin.token });
    assert.equal(seen.json.locked, true);

    const unlocked = await srv.api('POST', `/api/v1/users/${u.id}/unlock`, { token: admin.token });
    assert.equal(unlocked.status, 200);
    assert.equal(unlocked.json.locked, false);
    const s = await srv.login('lock.me', u.password);
    assert.equal(s.user.locked, false);
    // Unlocking also cleared the count: four more failures do not lock again.
    for (let i = 1; i <= 4; i++) {
      const r = await srv.api('POST', '/api/v1/session', { body: { username: 'lock.me', password: `again-wrong-${i}` } });
      assert.equal(code(r), 'bad_credentials');
    }
    await srv.login('lock.me', u.password);
  });

  test('a successful log-in clears the failures before the lock', async () => {
    const u = await srv.createUser(admin.token, 'lock.reset', ['call_taker']);
    for (let i = 0; i < 4; i++) {
      await srv.api('POST', '/api/v1/session', { body: { username: 'lock.reset', password: `bad-${i}-password` } });
    }
    await srv.login('lock.reset', u.password);
    for (let i = 0; i < 4; i++) {
      const r = await srv.api('POST', '/api/v1/session', { body: { username: 'lock.reset', password: `bad2-${i}-password` } });
      assert.equal(code(r), 'bad_credentials');
    }
    await srv.login('lock.reset', u.password);
  });
});

describe('disabled accounts and password changes', () => {
  test('a disabled user cannot log in, and the sessions it had end', async () => {
    const u = await srv.createUser(admin.token, 'to.disable', ['records']);
    const s = await srv.login('to.disable', u.password);
    const patched = await srv.api('PATCH', `/api/v1/users/${u.id}`, { token: admin.token, body: { disabled: true } });
    assert.equal(patched.status, 200);
    assert.equal(patched.json.disabled, true);
    const me = await srv.api('GET', '/api/v1/me', { token: s.token });
    assert.ok([401, 403].includes(me.status), `the old session still works: ${me.status}`);
    const r = await srv.api('POST', '/api/v1/session', { body: { username: 'to.disable', password: u.password } });
    assert.equal(r.status, 403);
    assert.equal(code(r), 'account_disabled');
    // A wrong password for a disabled account is still just a wrong password.
    const w = await srv.api('POST', '/api/v1/session', { body: { username: 'to.disable', password: 'wrong-password-0' } });
    assert.equal(code(w), 'bad_credentials');
    await srv.api('PATCH', `/api/v1/users/${u.id}`, { token: admin.token, body: { disabled: false } });
    await srv.login('to.disable', u.password);
  });

  test('changing one\'s password ends one\'s other sessions; the old password stops working', async () => {
    const u = await srv.createUser(admin.token, 'pw.change', ['analyst']);
    const s1 = await srv.login('pw.change', u.password);
    const s2 = await srv.login('pw.change', u.password);
    const wrong = await srv.api('POST', '/api/v1/me/password', {
      token: s1.token,
      body: { current_password: 'not-my-password', new_password: 'pw-change-new-1' },
    });
    assert.equal(wrong.status, 400, wrong.text);
    assert.equal(wrong.json.error.field, 'current_password');
    const short = await srv.api('POST', '/api/v1/me/password', {
      token: s1.token,
      body: { current_password: u.password, new_password: 'short' },
    });
    assert.equal(short.status, 400);
    assert.equal(short.json.error.field, 'new_password');
    const ok = await srv.api('POST', '/api/v1/me/password', {
      token: s1.token,
      body: { current_password: u.password, new_password: 'pw-change-new-1' },
    });
    assert.equal(ok.status, 204, ok.text);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: s1.token })).status, 200, 'the caller\'s session goes on');
    assert.equal((await srv.api('GET', '/api/v1/me', { token: s2.token })).status, 401, 'the other session ended');
    const old = await srv.api('POST', '/api/v1/session', { body: { username: 'pw.change', password: u.password } });
    assert.equal(code(old), 'bad_credentials');
    await srv.login('pw.change', 'pw-change-new-1');
  });

  test('an administrator\'s password reset ends the user\'s sessions', async () => {
    const u = await srv.createUser(admin.token, 'pw.reset', ['oversight']);
    const s = await srv.login('pw.reset', u.password);
    const r = await srv.api('POST', `/api/v1/users/${u.id}/password`, { token: admin.token, body: { password: 'pw-reset-new-12' } });
    assert.equal(r.status, 204);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: s.token })).status, 401);
    await srv.login('pw.reset', 'pw-reset-new-12');
  });
});

describe('TOTP second factor', () => {
  test('enrol, confirm with an RFC 6238 code, then log-in needs the code', async () => {
    const u = await srv.createUser(admin.token, 'totp.user', ['supervisor']);
    const s = await srv.login('totp.user', u.password);
    const begin = await srv.api('POST', '/api/v1/me/totp', { token: s.token });
    assert.equal(begin.status, 201, begin.text);
    const { secret, otpauth_uri: uri } = begin.json;
    assert.ok(base32Decode(secret).length >= 20, 'at least 160 bits of secret (RFC 4226)');
    const parsed = new URL(uri);
    assert.equal(parsed.protocol, 'otpauth:');
    assert.equal(parsed.host, 'totp');
    assert.ok(decodeURIComponent(parsed.pathname).includes('totp.user'));
    assert.equal(parsed.searchParams.get('secret'), secret);

    // Not confirmed yet: the log-in does not ask for a code.
    await srv.login('totp.user', u.password);

    const bad = await srv.api('POST', '/api/v1/me/totp/confirm', { token: s.token, body: { code: wrongTotp(secret) } });
    assert.ok(bad.status >= 400 && bad.status < 500, bad.text);
    const stillOff = await srv.api('GET', '/api/v1/me', { token: s.token });
    assert.equal(stillOff.json.totp_enabled, false, 'a wrong code enables nothing');

    const confirmedAt = Date.now();
    const ok = await srv.api('POST', '/api/v1/me/totp/confirm', { token: s.token, body: { code: totp(secret, confirmedAt) } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.totp_enabled, true);

    const without = await srv.api('POST', '/api/v1/session', { body: { username: 'totp.user', password: u.password } });
    assert.equal(without.status, 401);
    assert.equal(code(without), 'totp_required');
    assert.equal(without.headers['set-cookie'], undefined);
    const wrong = await srv.api('POST', '/api/v1/session', {
      body: { username: 'totp.user', password: u.password, totp: wrongTotp(secret) },
    });
    assert.equal(wrong.status, 401);
    assert.equal(code(wrong), 'totp_invalid');
    // The right code with a wrong password is still a wrong password.
    const wrongPw = await srv.api('POST', '/api/v1/session', {
      body: { username: 'totp.user', password: 'not-the-password', totp: totp(secret) },
    });
    assert.equal(code(wrongPw), 'bad_credentials');
    // The code that confirmed the enrolment is used up; the next step's code (within
    // the ±1 step window) logs in.
    const reused = await srv.api('POST', '/api/v1/session', {
      body: { username: 'totp.user', password: u.password, totp: totp(secret, confirmedAt) },
    });
    assert.equal(code(reused), 'totp_invalid');
    const right = await srv.login('totp.user', u.password, { totp: totp(secret, confirmedAt + 30000) });
    assert.equal(right.user.totp_enabled, true);

    // A second enrolment cannot silently replace the enabled factor.
    const again = await srv.api('POST', '/api/v1/me/totp', { token: right.token });
    assert.equal(again.status, 409, again.text);
  });
});

describe('TOTP codes are accepted once (RFC 6238 §5.2)', () => {
  // Enrols `name` and confirms with the code of step T; returns what the tests need.
  async function enrolled(name) {
    const u = await srv.createUser(admin.token, name, ['dispatcher']);
    const s = await srv.login(name, u.password);
    const { secret } = (await srv.api('POST', '/api/v1/me/totp', { token: s.token })).json;
    const t = Date.now();
    const ok = await srv.api('POST', '/api/v1/me/totp/confirm', { token: s.token, body: { code: totp(secret, t) } });
    assert.equal(ok.status, 200, ok.text);
    const id = ok.json.id;
    return { u, secret, id, at: (steps) => totp(secret, t + steps * 30000), step: Math.floor(t / 30000) };
  }
  const attempt = (name, password, code1) =>
    srv.api('POST', '/api/v1/session', { body: { username: name, password, totp: code1 } });

  test('the same code again is 401 totp_invalid; the next step\'s code works once; older codes never', async () => {
    const e = await enrolled('totp.replay');
    // Step T was used by the confirmation; T+1 logs in.
    const first = await srv.login('totp.replay', e.u.password, { totp: e.at(1) });
    assert.equal(first.res.status, 201);
    assert.equal(sql(srv.db, `SELECT totp_last_step FROM users WHERE id = ${e.id}`), String(e.step + 1));
    // The same code at once (well within its 30-second window): refused, no cookie.
    const replay = await attempt('totp.replay', e.u.password, e.at(1));
    assert.equal(replay.status, 401, replay.text);
    assert.equal(code(replay), 'totp_invalid');
    assert.equal(replay.headers['set-cookie'], undefined);
    // An older code of the window is refused too, once a newer one was accepted.
    assert.equal(code(await attempt('totp.replay', e.u.password, e.at(0))), 'totp_invalid');
    // The audit tells a replay from a wrong code.
    const reasons = sql(
      srv.db,
      `SELECT json_extract(detail, '$.reason') FROM audit WHERE action = 'session.login_failed' AND subject = 'user:${e.id}' ORDER BY id`,
    ).split('\n');
    assert.deepEqual(reasons, ['totp_replayed', 'totp_replayed']);
    // The first session still works; the failed attempts changed nothing else.
    assert.equal((await srv.api('GET', '/api/v1/me', { token: first.token })).status, 200);
  });

  test('two log-ins racing with one code: exactly one gets a session', async () => {
    const e = await enrolled('totp.twins');
    const code1 = e.at(1);
    const answers = await Promise.all([1, 2, 3].map(() => attempt('totp.twins', e.u.password, code1)));
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 401, 401], answers.map((r) => r.text).join('\n'));
    for (const r of answers.filter((x) => x.status === 401)) assert.equal(code(r), 'totp_invalid');
    assert.equal(Number(sql(srv.db, `SELECT count(*) FROM sessions WHERE user_id = ${e.id}`)), 1 + 1, 'the enrolling session and one more');
  });
});

describe('expiry', () => {
  let short;
  let shortMax;
  before(async () => {
    [short, shortMax] = await Promise.all([
      startServer({ env: { HAMYAR_SESSION_IDLE_S: '2' } }),
      startServer({ env: { HAMYAR_SESSION_MAX_S: '3', HAMYAR_SESSION_IDLE_S: '3600' } }),
    ]);
  });
  after(async () => {
    for (const s of [short, shortMax]) {
      if (!s) continue;
      await s.stop();
      removeDir(s.dir);
    }
  });

  test('a session unused for longer than HAMYAR_SESSION_IDLE_S is 401 session_expired', async () => {
    const s = await short.login('admin', ADMIN_PASSWORD);
    assert.equal(s.res.json.idle_timeout_s, 2);
    assert.equal((await short.api('GET', '/api/v1/me', { token: s.token })).status, 200);
    await sleep(3500);
    const r = await short.api('GET', '/api/v1/me', { token: s.token });
    assert.equal(r.status, 401);
    assert.equal(code(r), 'session_expired');
    // It stays ended: an expired session is not revived by another try.
    const again = await short.api('GET', '/api/v1/me', { token: s.token });
    assert.equal(again.status, 401);
    await short.login('admin', ADMIN_PASSWORD);
  });

  test('a session older than HAMYAR_SESSION_MAX_S is 401 session_expired though in use', async () => {
    const t0 = Date.now();
    const s = await shortMax.login('admin', ADMIN_PASSWORD);
    const expires = Date.parse(s.res.json.expires_at);
    assert.ok(expires >= t0 + 3000 - 1000 && expires <= Date.now() + 3000 + 1000, `expires_at ${s.res.json.expires_at}`);
    // Keep it busy, so the idle limit is not what ends it, until it ends.
    let r;
    for (;;) {
      r = await shortMax.api('GET', '/api/v1/me', { token: s.token });
      if (r.status !== 200) break;
      assert.ok(Date.now() < expires + 10000, 'the session outlived expires_at');
      await sleep(300);
    }
    // The server refused at or after expires_at (it read its clock before we read ours).
    assert.ok(Date.now() >= expires, 'the session ended before expires_at');
    assert.equal(r.status, 401);
    assert.equal(code(r), 'session_expired');
    // Ended for good.
    assert.equal((await shortMax.api('GET', '/api/v1/me', { token: s.token })).status, 401);
  });
});
