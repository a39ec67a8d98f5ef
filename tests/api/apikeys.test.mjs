// apikeys.test.mjs — keys for integrations: created by an admin and shown once, listed
// by prefix only, accepted as "Authorization: ApiKey KEY" on the one foundation route
// that admits integrations (the event stream), refused elsewhere, and dead once revoked.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { validateResponse } from './lib/openapi.mjs';
import { ADMIN_PASSWORD, count, sql, startServer, stopAndRemove } from './lib/server.mjs';
import { openEvents } from './lib/sse.mjs';

let srv;
let admin;

before(async () => {
  srv = await startServer({ env: { HAMYAR_SSE_HEARTBEAT_S: '1' } });
  admin = await srv.login('admin', ADMIN_PASSWORD);
});
after(() => stopAndRemove(srv));

const code = (r) => r.json?.error?.code;
const create = (body) => srv.api('POST', '/api/v1/apikeys', { token: admin.token, body });

// Opens the event stream with a key, waits for its first bytes, and closes it.
async function streamWithKey(key) {
  const s = await openEvents(srv, { apikey: key });
  try {
    if (s.status === 200) {
      assert.match(s.headers['content-type'], /^text\/event-stream/);
      await s.waitFor((x) => x.bytes > 0, 'the first bytes of the stream', 10000);
    } else {
      validateResponse('GET', '/api/v1/events', s.status, s.json, s.headers, s.body);
    }
    return s;
  } finally {
    s.close();
  }
}

describe('API keys', () => {
  let phone;

  test('creating answers 201 with the key, shown only this once', async () => {
    const r = await create({ name: 'asterisk-rasht', role: 'telephony' });
    assert.equal(r.status, 201, r.text);
    phone = r.json;
    assert.equal(phone.name, 'asterisk-rasht');
    assert.equal(phone.role, 'telephony');
    assert.equal(phone.revoked_at, null);
    assert.ok(phone.key.startsWith(phone.prefix), 'the prefix is the start of the key');
    assert.ok(phone.key.length >= 40, 'a key carries at least 256 bits');
    assert.ok(phone.prefix.length < phone.key.length / 2, 'the prefix does not give the key away');
    assert.match(r.headers['cache-control'] || '', /no-store/);
    // Only the key's SHA-256 is stored.
    const hash = createHash('sha256').update(phone.key).digest('hex');
    assert.equal(Number(sql(srv.db, `SELECT count(*) FROM apikeys WHERE key_hash = X'${hash}'`)), 1);
  });

  test('the list shows the prefix, never the key', async () => {
    const r = await srv.api('GET', '/api/v1/apikeys', { token: admin.token });
    assert.equal(r.status, 200);
    const item = r.json.items.find((k) => k.id === phone.id);
    assert.ok(item, 'the new key is listed');
    assert.deepEqual(item, { id: phone.id, name: phone.name, role: 'telephony', prefix: phone.prefix, created_at: phone.created_at, revoked_at: null });
    assert.ok(!r.text.includes(phone.key), 'the key is not in the list');
  });

  test('the key opens the event stream', async () => {
    const s = await streamWithKey(phone.key);
    assert.equal(s.status, 200);
  });

  test('the key is refused on routes for people and admins (403 forbidden)', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/v1/users', undefined],
      ['GET', '/api/v1/me', undefined],
      ['GET', '/api/v1/audit', undefined],
      ['GET', '/api/v1/apikeys', undefined],
      ['POST', '/api/v1/users', { username: 'by.phone', password: 'by-phone-password', roles: ['admin'] }],
      ['DELETE', '/api/v1/session', undefined],
    ]) {
      const r = await srv.api(method, path, { apikey: phone.key, body });
      assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
      assert.equal(code(r), 'forbidden');
    }
    assert.equal(Number(sql(srv.db, "SELECT count(*) FROM users WHERE username = 'by.phone'")), 0);
  });

  test('a made-up key, or a key sent as a bearer token, is 401', async () => {
    const fake = phone.key.slice(0, -4) + (phone.key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    assert.equal((await streamWithKey(fake)).status, 401);
    const asBearer = await openEvents(srv, { token: phone.key });
    asBearer.close();
    assert.equal(asBearer.status, 401);
    const empty = await openEvents(srv, { headers: { authorization: 'ApiKey' } });
    empty.close();
    assert.equal(empty.status, 401);
  });

  test('an open311 key works the same way', async () => {
    const r = await create({ name: 'open311-portal', role: 'open311' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.role, 'open311');
    assert.equal((await streamWithKey(r.json.key)).status, 200);
  });

  test('a name that exists is 409 already_exists; names and roles are checked', async () => {
    const keys = count(srv.db, 'apikeys');
    const dup = await create({ name: 'asterisk-rasht', role: 'open311' });
    assert.equal(dup.status, 409);
    assert.equal(code(dup), 'already_exists');
    assert.equal(dup.json.error.field, 'name');
    for (const [body, field] of [
      [{ name: 'Bad Name', role: 'telephony' }, 'name'],
      [{ name: '', role: 'telephony' }, 'name'],
      [{ name: 'x'.repeat(65), role: 'telephony' }, 'name'],
      [{ name: 'admin-key', role: 'admin' }, 'role'],
      [{ name: 'dispatch-key', role: 'dispatcher' }, 'role'],
      [{ name: 'no-role' }, 'role'],
    ]) {
      const r = await create(body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.json.error.field, field);
    }
    assert.equal(count(srv.db, 'apikeys'), keys);
  });

  test('no Idempotency-Key replay: the answer holds the key, so it is never stored; a retry is 409', async () => {
    const headers = { 'idempotency-key': 'apikey-create-1' };
    const stored = count(srv.db, 'idempotency');
    const a = await srv.api('POST', '/api/v1/apikeys', { token: admin.token, body: { name: 'retried-key', role: 'telephony' }, headers });
    assert.equal(a.status, 201, a.text);
    assert.equal(count(srv.db, 'idempotency'), stored, 'no answer was kept for replay');
    const b = await srv.api('POST', '/api/v1/apikeys', { token: admin.token, body: { name: 'retried-key', role: 'telephony' }, headers });
    assert.equal(b.status, 409, b.text);
    assert.equal(code(b), 'already_exists');
    assert.equal(b.headers['idempotent-replayed'], undefined);
    assert.ok(!b.text.includes(a.json.key));
    assert.equal(Number(sql(srv.db, "SELECT count(*) FROM apikeys WHERE name = 'retried-key'")), 1);
  });

  test('a key is nowhere in the database: not in a dump, not in the files\' bytes', async () => {
    const keys = [];
    for (const [i, headers] of [{}, { 'idempotency-key': 'apikey-at-rest-1' }].entries()) {
      const r = await srv.api('POST', '/api/v1/apikeys', { token: admin.token, body: { name: `at-rest-${i}`, role: 'open311' }, headers });
      assert.equal(r.status, 201, r.text);
      keys.push(r.json.key);
    }
    const dump = execFileSync('sqlite3', [srv.db, '.dump'], { encoding: 'utf8', maxBuffer: 256 << 20 });
    assert.ok(dump.includes('at-rest-0') && dump.includes('at-rest-1'), 'the dump holds the keys\' rows');
    // The database file and its write-ahead log, byte for byte (freed pages included).
    const files = [srv.db, `${srv.db}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
    for (const key of keys) {
      assert.ok(!dump.includes(key), 'the key is in the database dump');
      assert.ok(!dump.includes(key.slice(3)), 'the key without its hk_ prefix is in the database dump');
      for (const bytes of files) assert.equal(bytes.indexOf(key.slice(3)), -1, 'the key is in the database files');
    }
  });

  test('revoking answers 204; the key stops working; the list shows when', async () => {
    const r = await srv.api('DELETE', `/api/v1/apikeys/${phone.id}`, { token: admin.token });
    assert.equal(r.status, 204, r.text);
    assert.equal((await streamWithKey(phone.key)).status, 401);
    const list = await srv.api('GET', '/api/v1/apikeys', { token: admin.token });
    const item = list.json.items.find((k) => k.id === phone.id);
    assert.equal(typeof item.revoked_at, 'string');
    assert.ok(Date.parse(item.revoked_at) >= Date.parse(item.created_at));
    // Revoking again changes nothing.
    const again = await srv.api('DELETE', `/api/v1/apikeys/${phone.id}`, { token: admin.token });
    assert.ok([204, 404, 409].includes(again.status), again.text);
    const list2 = await srv.api('GET', '/api/v1/apikeys', { token: admin.token });
    assert.equal(list2.json.items.find((k) => k.id === phone.id).revoked_at, item.revoked_at);
  });

  test('an unknown id is 404 not_found', async () => {
    const r = await srv.api('DELETE', '/api/v1/apikeys/424242', { token: admin.token });
    assert.equal(r.status, 404);
    assert.equal(code(r), 'not_found');
  });

  test('only an admin manages keys', async () => {
    const u = await srv.createUser(admin.token, 'keys.supervisor', ['supervisor']);
    const s = await srv.login('keys.supervisor', u.password);
    const keys = count(srv.db, 'apikeys');
    for (const [method, path, body] of [
      ['GET', '/api/v1/apikeys', undefined],
      ['POST', '/api/v1/apikeys', { name: 'sneaky', role: 'telephony' }],
      ['DELETE', '/api/v1/apikeys/1', undefined],
    ]) {
      const r = await srv.api(method, path, { token: s.token, body });
      assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
      assert.equal(code(r), 'forbidden');
    }
    assert.equal(count(srv.db, 'apikeys'), keys);
  });
});
