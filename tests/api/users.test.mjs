// users.test.mjs — administration of accounts: create, list with cursor paging, get,
// patch (roles, display name, disabled), password reset, unlock, TOTP reset; validation of names,
// passwords and roles; Idempotency-Key; and that only an admin may do any of it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ADMIN_PASSWORD, count, removeDir, sql, startServer, stopAndRemove } from './lib/server.mjs';
import { totp } from './lib/totp.mjs';

let srv;
let admin;
let dispatcher;

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin', ADMIN_PASSWORD);
  const d = await srv.createUser(admin.token, 'users.dispatcher', ['dispatcher']);
  dispatcher = await srv.login('users.dispatcher', d.password);
});
after(() => stopAndRemove(srv));

const code = (r) => r.json?.error?.code;
const post = (body, opts = {}) => srv.api('POST', '/api/v1/users', { token: admin.token, body, ...opts });

async function listAll(limit) {
  const items = [];
  const pages = [];
  let cursor = null;
  for (let i = 0; i < 100; i++) {
    const q = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const r = await srv.api('GET', `/api/v1/users${q}`, { token: admin.token });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= limit);
    pages.push(r.json.items.length);
    items.push(...r.json.items);
    cursor = r.json.next_cursor;
    if (cursor === null) return { items, pages };
  }
  throw new Error('paging did not end');
}

describe('creating users', () => {
  test('POST answers 201 with the user object; GET shows the same', async () => {
    const r = await post({ username: 'ali.rezaei', password: 'ali-rezaei-pass-1', roles: ['call_taker'], display_name: 'علی رضایی' });
    assert.equal(r.status, 201, r.text);
    const u = r.json;
    assert.equal(u.username, 'ali.rezaei');
    assert.deepEqual(u.roles, ['call_taker']);
    assert.equal(u.display_name, 'علی رضایی');
    assert.deepEqual([u.disabled, u.locked, u.totp_enabled, u.latin_digits], [false, false, false, false]);
    assert.ok(Math.abs(Date.parse(u.created_at) - Date.now()) < 60000);
    const g = await srv.api('GET', `/api/v1/users/${u.id}`, { token: admin.token });
    assert.equal(g.status, 200);
    assert.deepEqual(g.json, u);
    // The password is stored as an argon2id hash, never as given.
    const stored = sql(srv.db, `SELECT password_hash FROM users WHERE id = ${u.id}`);
    assert.match(stored, /^\$argon2id\$/);
    assert.ok(!stored.includes('ali-rezaei-pass-1'));
    // The new user can log in.
    await srv.login('ali.rezaei', 'ali-rezaei-pass-1');
  });

  test('Persian display names are normalised (Arabic yeh and kaf, tatweel, spaces)', async () => {
    const r = await post({
      username: 'normalised',
      password: 'normalised-pass-1',
      roles: ['records'],
      display_name: '  علي  كريمي\u0640ان ',
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.display_name, 'علی کریمیان');
  });

  test('several roles are kept; display_name is optional (null)', async () => {
    const r = await post({ username: 'multi.role', password: 'multi-role-pass-1', roles: ['supervisor', 'dispatcher'] });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([...r.json.roles].sort(), ['dispatcher', 'supervisor']);
    assert.equal(r.json.display_name, null);
  });

  test('a username that exists is 409 already_exists, and the first user is unchanged', async () => {
    const users = count(srv.db, 'users');
    const r = await post({ username: 'ali.rezaei', password: 'another-password-1', roles: ['admin'] });
    assert.equal(r.status, 409);
    assert.equal(code(r), 'already_exists');
    assert.equal(r.json.error.field, 'username');
    assert.equal(count(srv.db, 'users'), users);
    await srv.login('ali.rezaei', 'ali-rezaei-pass-1');
  });

  test('usernames are 1..64 of a-z 0-9 . _ -', async () => {
    const users = count(srv.db, 'users');
    for (const username of ['', 'Ali', 'ali rezaei', 'علی', 'a'.repeat(65), 'ali@police', 'ali/x']) {
      const r = await post({ username, password: 'some-good-password', roles: ['call_taker'] });
      assert.equal(r.status, 400, `username ${JSON.stringify(username)}: ${r.text}`);
      assert.equal(code(r), 'invalid_field');
      assert.equal(r.json.error.field, 'username');
    }
    assert.equal(count(srv.db, 'users'), users);
    const longest = await post({ username: 'a'.repeat(64), password: 'some-good-password', roles: ['call_taker'] });
    assert.equal(longest.status, 201, longest.text);
    const odd = await post({ username: 'a.b_c-9', password: 'some-good-password', roles: ['call_taker'] });
    assert.equal(odd.status, 201, odd.text);
  });

  test('passwords are 12..1024 bytes and not the username', async () => {
    const users = count(srv.db, 'users');
    for (const [username, password] of [
      ['short.pw', 'elevenchars'],
      ['long.pw', 'x'.repeat(1025)],
      ['same.as.name.pw', 'same.as.name.pw'],
    ]) {
      const r = await post({ username, password, roles: ['call_taker'] });
      assert.equal(r.status, 400, `${username}: ${r.text}`);
      assert.equal(code(r), 'invalid_field');
      assert.equal(r.json.error.field, 'password');
    }
    assert.equal(count(srv.db, 'users'), users);
    assert.equal((await post({ username: 'twelve.pw', password: 'twelve-chars', roles: ['call_taker'] })).status, 201);
    // 12 bytes, fewer characters: the limit is in bytes.
    assert.equal((await post({ username: 'bytes.pw', password: 'رمزعبوری', roles: ['call_taker'] })).status, 201);
  });

  test('roles must be person roles by name', async () => {
    const users = count(srv.db, 'users');
    for (const roles of [['pilot'], ['telephony'], ['open311'], 'admin', [7], []]) {
      const r = await post({ username: 'bad.roles', password: 'bad-roles-password', roles });
      assert.equal(r.status, 400, `roles ${JSON.stringify(roles)}: ${r.text}`);
      assert.equal(code(r), 'invalid_field');
      assert.equal(r.json.error.field, 'roles');
    }
    assert.equal(count(srv.db, 'users'), users);
    for (const role of ['call_taker', 'dispatcher', 'supervisor', 'oversight', 'records', 'analyst', 'commander', 'admin']) {
      const r = await post({ username: `role.${role}`, password: 'every-role-password', roles: [role] });
      assert.equal(r.status, 201, `${role}: ${r.text}`);
      assert.deepEqual(r.json.roles, [role]);
    }
  });
});

describe('Idempotency-Key', () => {
  test('a retry with the same key and body answers the first result again and creates one user', async () => {
    const users = count(srv.db, 'users');
    const body = { username: 'idem.once', password: 'idem-once-password', roles: ['analyst'] };
    const headers = { 'idempotency-key': 'create-idem-once-1' };
    const first = await post(body, { headers });
    assert.equal(first.status, 201, first.text);
    assert.notEqual(first.headers['idempotent-replayed'], 'true');
    const again = await post(body, { headers });
    assert.equal(again.status, 201, again.text);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.json, first.json);
    assert.equal(count(srv.db, 'users'), users + 1);
    // Without the key the same body is a new request: the name is taken.
    const noKey = await post(body);
    assert.equal(code(noKey), 'already_exists');
  });

  test('the same key with another body is 409 idempotency_mismatch and stores nothing', async () => {
    const headers = { 'idempotency-key': 'create-idem-mismatch' };
    const first = await post({ username: 'idem.first', password: 'idem-first-password', roles: ['analyst'] }, { headers });
    assert.equal(first.status, 201);
    const users = count(srv.db, 'users');
    const other = await post({ username: 'idem.second', password: 'idem-second-password', roles: ['analyst'] }, { headers });
    assert.equal(other.status, 409, other.text);
    assert.equal(code(other), 'idempotency_mismatch');
    assert.equal(count(srv.db, 'users'), users);
    const listed = await srv.api('GET', '/api/v1/users?limit=200', { token: admin.token });
    assert.ok(!listed.json.items.some((u) => u.username === 'idem.second'));
  });

  test('concurrent requests with one key create one user and all answer it', async () => {
    const users = count(srv.db, 'users');
    const body = { username: 'idem.race', password: 'idem-race-password', roles: ['analyst'] };
    const headers = { 'idempotency-key': 'create-idem-race' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(body, { headers })));
    for (const a of answers) assert.equal(a.status, 201, a.text);
    assert.equal(new Set(answers.map((a) => a.json.id)).size, 1);
    assert.equal(count(srv.db, 'users'), users + 1);
  });

  test('a stored answer is kept idempotency_keep_s, then removed by the sweep, and the key is new again', async () => {
    const short = await startServer({ env: { HAMYAR_IDEMPOTENCY_KEEP_S: '1' } });
    try {
      const root = await short.login('admin', ADMIN_PASSWORD);
      const body = { username: 'idem.kept', password: 'idem-kept-password', roles: ['analyst'] };
      const opts = { token: root.token, body, headers: { 'idempotency-key': 'create-idem-kept' } };
      const first = await short.api('POST', '/api/v1/users', opts);
      assert.equal(first.status, 201, first.text);
      const again = await short.api('POST', '/api/v1/users', opts);
      assert.equal(again.headers['idempotent-replayed'], 'true', 'within the second: replayed');
      // The sweep runs every quarter of the time kept (at least every 250 ms).
      for (let i = 0; i < 100 && count(short.db, 'idempotency') > 0; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(count(short.db, 'idempotency'), 0, 'the stored answer was removed');
      assert.equal(sql(short.db, "SELECT actor FROM audit WHERE action = 'idempotency.expire' LIMIT 1"), 'system');
      // Now the key is a new request: the name it asks for is taken.
      const late = await short.api('POST', '/api/v1/users', opts);
      assert.equal(code(late), 'already_exists', late.text);
      assert.notEqual(late.headers['idempotent-replayed'], 'true');
    } finally {
      await short.stop();
      removeDir(short.dir);
    }
  });

  test('a key longer than 128 characters is refused', async () => {
    const users = count(srv.db, 'users');
    const r = await post(
      { username: 'idem.long', password: 'idem-long-password', roles: ['analyst'] },
      { headers: { 'idempotency-key': 'k'.repeat(129) } },
    );
    assert.equal(r.status, 400, r.text);
    assert.equal(count(srv.db, 'users'), users);
    const ok = await post(
      { username: 'idem.long', password: 'idem-long-password', roles: ['analyst'] },
      { headers: { 'idempotency-key': 'k'.repeat(128) } },
    );
    assert.equal(ok.status, 201, ok.text);
  });

  test('keys belong to their caller: another admin\'s same key is not a replay', async () => {
    const other = await srv.createUser(admin.token, 'second.admin', ['admin']);
    const s = await srv.login('second.admin', other.password);
    const headers = { 'idempotency-key': 'shared-key-name' };
    const a = await post({ username: 'idem.mine', password: 'idem-mine-password', roles: ['analyst'] }, { headers });
    assert.equal(a.status, 201);
    const b = await srv.api('POST', '/api/v1/users', {
      token: s.token,
      body: { username: 'idem.yours', password: 'idem-yours-password', roles: ['analyst'] },
      headers,
    });
    assert.equal(b.status, 201, b.text);
    assert.notEqual(b.headers['idempotent-replayed'], 'true');
    assert.equal(b.json.username, 'idem.yours');
  });
});

describe('listing', () => {
  test('pages by cursor cover every user once, in id order', async () => {
    for (let i = 0; i < 5; i++) await post({ username: `page.${i}`, password: `page-user-pass-${i}`, roles: ['commander'] });
    const all = await srv.api('GET', '/api/v1/users?limit=200', { token: admin.token });
    assert.equal(all.json.next_cursor, null);
    const total = count(srv.db, 'users');
    assert.equal(all.json.items.length, total);
    const { items, pages } = await listAll(2);
    assert.deepEqual(items.map((u) => u.id), all.json.items.map((u) => u.id));
    assert.equal(new Set(items.map((u) => u.id)).size, items.length, 'no user twice');
    const ids = items.map((u) => u.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'id order');
    assert.ok(pages.slice(0, -1).every((n) => n === 2), `full pages before the last: ${pages}`);
    assert.ok(items.some((u) => u.username === 'admin'));
  });

  test('the default page is 50; limit is 1..200', async () => {
    while (count(srv.db, 'users') <= 50) {
      const n = count(srv.db, 'users');
      await post({ username: `filler.${n}`, password: `filler-password-${n}`, roles: ['commander'] });
    }
    const r = await srv.api('GET', '/api/v1/users', { token: admin.token });
    assert.equal(r.json.items.length, 50);
    assert.equal(typeof r.json.next_cursor, 'string');
    for (const limit of ['0', '201', '-1', 'ten', '1.5']) {
      const bad = await srv.api('GET', `/api/v1/users?limit=${limit}`, { token: admin.token });
      assert.equal(bad.status, 400, `limit=${limit}: ${bad.text}`);
      assert.equal(code(bad), 'invalid_field');
      assert.equal(bad.json.error.field, 'limit');
    }
    assert.equal((await srv.api('GET', '/api/v1/users?limit=200', { token: admin.token })).status, 200);
    assert.equal((await srv.api('GET', '/api/v1/users?limit=1', { token: admin.token })).json.items.length, 1);
  });

  test('a malformed cursor is 400', async () => {
    const r = await srv.api('GET', '/api/v1/users?cursor=not-a-cursor', { token: admin.token });
    assert.equal(r.status, 400, r.text);
  });
});

describe('changing users', () => {
  let u;
  before(async () => {
    u = await srv.createUser(admin.token, 'to.change', ['call_taker']);
  });

  test('PATCH roles, display name and disabled', async () => {
    const r = await srv.api('PATCH', `/api/v1/users/${u.id}`, {
      token: admin.token,
      body: { roles: ['dispatcher', 'supervisor'], display_name: 'سارا احمدی' },
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([...r.json.roles].sort(), ['dispatcher', 'supervisor']);
    assert.equal(r.json.display_name, 'سارا احمدی');
    assert.equal(r.json.disabled, false);
    const s = await srv.login('to.change', u.password);
    assert.deepEqual([...s.user.roles].sort(), ['dispatcher', 'supervisor']);
    // Roles take effect at once: supervisors read the audit log.
    assert.equal((await srv.api('GET', '/api/v1/audit?limit=1', { token: s.token })).status, 200);
    const d = await srv.api('PATCH', `/api/v1/users/${u.id}`, { token: admin.token, body: { disabled: true } });
    assert.equal(d.json.disabled, true);
    assert.deepEqual([...d.json.roles].sort(), ['dispatcher', 'supervisor'], 'fields not sent are unchanged');
    const e = await srv.api('PATCH', `/api/v1/users/${u.id}`, { token: admin.token, body: { disabled: false } });
    assert.equal(e.json.disabled, false);
  });

  test('PATCH refuses bad roles and unknown fields, and changes nothing', async () => {
    const before1 = (await srv.api('GET', `/api/v1/users/${u.id}`, { token: admin.token })).json;
    for (const body of [{ roles: ['pilot'] }, { roles: ['telephony'] }, { disabled: 'yes' }, { username: 'renamed' }, { password: 'new-password-123' }]) {
      const r = await srv.api('PATCH', `/api/v1/users/${u.id}`, { token: admin.token, body });
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
    }
    const after1 = (await srv.api('GET', `/api/v1/users/${u.id}`, { token: admin.token })).json;
    assert.deepEqual(after1, before1);
  });

  test('an unknown id is 404 not_found on every user route', async () => {
    const id = 987654;
    const calls = [
      ['GET', `/api/v1/users/${id}`, undefined],
      ['PATCH', `/api/v1/users/${id}`, { disabled: true }],
      ['POST', `/api/v1/users/${id}/password`, { password: 'a-good-new-password' }],
      ['POST', `/api/v1/users/${id}/unlock`, undefined],
      ['DELETE', `/api/v1/users/${id}/totp`, undefined],
    ];
    for (const [method, path, body] of calls) {
      const r = await srv.api(method, path, { token: admin.token, body });
      assert.equal(r.status, 404, `${method} ${path}: ${r.text}`);
      assert.equal(code(r), 'not_found');
    }
  });

  test('password reset: 204, the new password works, a short one is refused', async () => {
    const bad = await srv.api('POST', `/api/v1/users/${u.id}/password`, { token: admin.token, body: { password: 'short' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.field, 'password');
    const r = await srv.api('POST', `/api/v1/users/${u.id}/password`, { token: admin.token, body: { password: 'to-change-new-pw' } });
    assert.equal(r.status, 204);
    await srv.login('to.change', 'to-change-new-pw');
    const old = await srv.api('POST', '/api/v1/session', { body: { username: 'to.change', password: u.password } });
    assert.equal(code(old), 'bad_credentials');
  });

  test('unlock of a user who is not locked answers the user, unlocked', async () => {
    const r = await srv.api('POST', `/api/v1/users/${u.id}/unlock`, { token: admin.token });
    assert.equal(r.status, 200);
    assert.equal(r.json.locked, false);
    assert.equal(r.json.id, u.id);
  });

  test('reading a user is audited as user.read with the user as subject', async () => {
    const before2 = Number(sql(srv.db, `SELECT count(*) FROM audit WHERE action = 'user.read' AND subject = 'user:${u.id}'`));
    await srv.api('GET', `/api/v1/users/${u.id}`, { token: admin.token });
    const after2 = Number(sql(srv.db, `SELECT count(*) FROM audit WHERE action = 'user.read' AND subject = 'user:${u.id}'`));
    assert.equal(after2, before2 + 1);
  });

  test('an administrator cannot disable themselves or drop their own admin role', async () => {
    const me = (await srv.api('GET', '/api/v1/me', { token: admin.token })).json;
    const r = await srv.api('PATCH', `/api/v1/users/${me.id}`, { token: admin.token, body: { disabled: true } });
    assert.equal(r.status, 409, r.text);
    const r2 = await srv.api('PATCH', `/api/v1/users/${me.id}`, { token: admin.token, body: { roles: ['dispatcher'] } });
    assert.equal(r2.status, 409, r2.text);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: admin.token })).status, 200);
  });
});

describe('resetting a second factor (a lost phone)', () => {
  test('after DELETE /users/{id}/totp the user logs in without a code, and may enrol again', async () => {
    const u = await srv.createUser(admin.token, 'lost.phone', ['call_taker']);
    const s = await srv.login('lost.phone', u.password);
    const { secret } = (await srv.api('POST', '/api/v1/me/totp', { token: s.token })).json;
    const t = Date.now();
    const ok = await srv.api('POST', '/api/v1/me/totp/confirm', { token: s.token, body: { code: totp(secret, t) } });
    assert.equal(ok.json.totp_enabled, true, ok.text);
    await srv.login('lost.phone', u.password, { totp: totp(secret, t + 30000) });
    const needs = await srv.api('POST', '/api/v1/session', { body: { username: 'lost.phone', password: u.password } });
    assert.equal(code(needs), 'totp_required');

    const events = count(srv.db, 'events');
    const r = await srv.api('DELETE', `/api/v1/users/${u.id}/totp`, { token: admin.token });
    assert.equal(r.status, 204, r.text);
    assert.equal(r.text, '');
    const row = sql(srv.db, `SELECT coalesce(totp_secret, 'NULL'), totp_enabled, totp_last_step FROM users WHERE id = ${u.id}`);
    assert.equal(row, 'NULL|0|0', 'the secret is gone, not only switched off');
    const g = await srv.api('GET', `/api/v1/users/${u.id}`, { token: admin.token });
    assert.equal(g.json.totp_enabled, false);

    const again = await srv.login('lost.phone', u.password);
    assert.equal(again.user.totp_enabled, false);
    // Audited, by the admin, with the user as subject; announced to admins.
    const audit = sql(srv.db, `SELECT actor, detail FROM audit WHERE action = 'user.totp_reset' AND subject = 'user:${u.id}'`);
    assert.equal(audit, 'admin|{"was_enabled":true,"was_enrolling":false}');
    assert.equal(count(srv.db, 'events'), events + 1);
    const ev = JSON.parse(sql(srv.db, `SELECT payload FROM events WHERE type = 'user.updated' AND subject = 'user:${u.id}' ORDER BY id DESC LIMIT 1`));
    assert.equal(ev.totp_enabled, false);

    // The session that existed before the reset goes on; a new enrolment is allowed.
    const enrol = await srv.api('POST', '/api/v1/me/totp', { token: again.token });
    assert.equal(enrol.status, 201, enrol.text);
    assert.notEqual(enrol.json.secret, secret);
    // Resetting a user without a factor (here: half-way through enrolling) is 204 too.
    const r2 = await srv.api('DELETE', `/api/v1/users/${u.id}/totp`, { token: admin.token });
    assert.equal(r2.status, 204);
    assert.equal(sql(srv.db, `SELECT coalesce(totp_secret, 'NULL') FROM users WHERE id = ${u.id}`), 'NULL');
  });
});

describe('only an admin', () => {
  test('every user route is 403 forbidden for a dispatcher, and nothing changes', async () => {
    const users = count(srv.db, 'users');
    const target = (await srv.api('GET', '/api/v1/users?limit=1', { token: admin.token })).json.items[0];
    const calls = [
      ['GET', '/api/v1/users', undefined],
      ['POST', '/api/v1/users', { username: 'by.dispatcher', password: 'by-dispatcher-pass', roles: ['admin'] }],
      ['GET', `/api/v1/users/${target.id}`, undefined],
      ['PATCH', `/api/v1/users/${target.id}`, { roles: ['dispatcher'] }],
      ['POST', `/api/v1/users/${target.id}/password`, { password: 'taken-over-password' }],
      ['POST', `/api/v1/users/${target.id}/unlock`, undefined],
      ['DELETE', `/api/v1/users/${target.id}/totp`, undefined],
      ['DELETE', `/api/v1/users/${dispatcher.user.id}/totp`, undefined],
    ];
    for (const [method, path, body] of calls) {
      const r = await srv.api(method, path, { token: dispatcher.token, body });
      assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
      assert.equal(code(r), 'forbidden');
    }
    assert.equal(count(srv.db, 'users'), users);
    const still = (await srv.api('GET', `/api/v1/users/${target.id}`, { token: admin.token })).json;
    assert.deepEqual(still, target);
    await srv.login('admin', ADMIN_PASSWORD);
  });
});
