// audit.test.mjs — the audit log through the API (what is recorded, the filters, the
// Jalali periods, who may read it) and its hash chain through `hamyar audit verify`,
// before and after tampering with the database.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ADMIN_PASSWORD, DEMO_PASSWORD, cli, count, sql, startServer, stopAndRemove } from './lib/server.mjs';

let srv;
let admin;
let created; // a user made by the test
let createAnswer;
const t0 = Date.now();

// Today's Jalali year and month in Asia/Tehran, as node's ICU has them.
function jalaliNow(offsetYears = 0) {
  const fmt = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', { timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit', day: '2-digit' });
  const p = Object.fromEntries(fmt.formatToParts(new Date()).map((x) => [x.type, x.value]));
  return { year: String(Number(p.year.replace(/\D/g, '')) + offsetYears), month: p.month, day: p.day };
}
const toPersianDigits = (s) => s.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[d]);

before(async () => {
  srv = await startServer({ demo: true });
  admin = await srv.login('admin', ADMIN_PASSWORD);
  const bad = await srv.api('POST', '/api/v1/session', { body: { username: 'admin', password: 'a-wrong-password' } });
  assert.equal(bad.status, 401);
  createAnswer = await srv.api('POST', '/api/v1/users', {
    token: admin.token,
    body: { username: 'audited.user', password: 'audited-user-pass', roles: ['records'] },
  });
  assert.equal(createAnswer.status, 201);
  created = createAnswer.json;
  const read = await srv.api('GET', `/api/v1/users/${created.id}`, { token: admin.token });
  assert.equal(read.status, 200);
});
after(() => stopAndRemove(srv));

const audit = async (query = '', token = admin.token) => {
  const r = await srv.api('GET', `/api/v1/audit${query}`, { token });
  assert.equal(r.status, 200, `GET /api/v1/audit${query}: ${r.text}`);
  return r.json;
};

describe('what the audit log records', () => {
  test('log-ins, failed log-ins, user creation and user reads, newest first', async () => {
    const { items } = await audit('?limit=200');
    const ids = items.map((r) => r.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
    const actions = items.map((r) => r.action);
    const login = items.find((r) => r.action === 'session.login' && r.actor === 'admin');
    assert.ok(login, `no session.login by admin in ${actions}`);
    assert.equal(login.ip, '127.0.0.1');
    assert.match(login.request_id, /^[0-9a-f]{32}$/);
    const failed = items.find((r) => r.action === 'session.login_failed');
    assert.ok(failed, `no session.login_failed in ${actions}`);
    assert.equal(failed.actor, 'admin', 'the failed log-in names the username tried');
    const create = items.find((r) => r.action === 'user.create' && r.subject === `user:${created.id}`);
    assert.ok(create, `no user.create of user:${created.id} in ${actions}`);
    assert.equal(create.actor, 'admin');
    assert.equal(create.actor_id, admin.user.id);
    assert.equal(create.request_id, createAnswer.headers['x-request-id'], 'the row names the request that wrote it');
    const read = items.find((r) => r.action === 'user.read' && r.subject === `user:${created.id}`);
    assert.ok(read, `no user.read of user:${created.id} in ${actions}`);
    for (const r of items) assert.ok(Date.parse(r.time) >= t0 - 60000 && Date.parse(r.time) <= Date.now() + 60000);
    // The password never reaches the audit log.
    assert.ok(!JSON.stringify(items).includes('audited-user-pass'));
    assert.ok(!JSON.stringify(items).includes('a-wrong-password'));
  });

  test('the API\'s rows are the database\'s rows', async () => {
    const { items } = await audit('?limit=5');
    for (const r of items) {
      const [actor, action, subject] = sql(srv.db, `SELECT actor, action, subject FROM audit WHERE id = ${r.id}`).split('|');
      assert.deepEqual([actor, action, subject], [r.actor, r.action, r.subject]);
    }
    assert.equal(items[0].id <= count(srv.db, 'audit'), true);
  });
});

describe('filters', () => {
  test('action=session.* is a prefix; an exact action is exact', async () => {
    const { items } = await audit(`?action=${encodeURIComponent('session.*')}&limit=200`);
    assert.ok(items.length >= 2);
    assert.ok(items.every((r) => r.action.startsWith('session.')), JSON.stringify(items.map((r) => r.action)));
    assert.ok(items.some((r) => r.action === 'session.login'));
    assert.ok(items.some((r) => r.action === 'session.login_failed'));
    const exact = await audit('?action=session.login&limit=200');
    assert.ok(exact.items.length >= 1);
    assert.ok(exact.items.every((r) => r.action === 'session.login'));
    const none = await audit('?action=session&limit=200');
    assert.equal(none.items.length, 0, 'without * an action is not a prefix');
  });

  test('actor and subject', async () => {
    const byAdmin = await audit('?actor=admin&limit=200');
    assert.ok(byAdmin.items.length >= 3);
    assert.ok(byAdmin.items.every((r) => r.actor === 'admin'));
    const nobody = await audit('?actor=nobody.at.all');
    assert.deepEqual(nobody.items, []);
    assert.equal(nobody.next_cursor, null);
    const subj = await audit(`?subject=user:${created.id}&limit=200`);
    assert.ok(subj.items.length >= 2);
    assert.ok(subj.items.every((r) => r.subject === `user:${created.id}`));
    const both = await audit(`?subject=user:${created.id}&action=user.read`);
    assert.ok(both.items.length >= 1 && both.items.every((r) => r.action === 'user.read' && r.subject === `user:${created.id}`));
  });

  test('from and to as RFC 3339 instants', async () => {
    const from = new Date(t0 - 60000).toISOString();
    const inRange = await audit(`?from=${from}&limit=200`);
    assert.ok(inRange.items.some((r) => r.action === 'user.create'));
    const future = await audit(`?from=${new Date(Date.now() + 3600e3).toISOString()}`);
    assert.deepEqual(future.items, []);
    const past = await audit(`?to=${new Date(t0 - 3600e3).toISOString()}`);
    assert.deepEqual(past.items, []);
    // Rows lie within [from, to).
    const mid = inRange.items[Math.floor(inRange.items.length / 2)];
    const upTo = await audit(`?to=${encodeURIComponent(mid.time)}&limit=200`);
    assert.ok(upTo.items.every((r) => Date.parse(r.time) < Date.parse(mid.time)), 'to is exclusive');
    const since = await audit(`?from=${encodeURIComponent(mid.time)}&limit=200`);
    assert.ok(since.items.every((r) => Date.parse(r.time) >= Date.parse(mid.time)), 'from is inclusive');
    assert.ok(since.items.some((r) => r.id === mid.id));
  });

  test('from and to as Jalali periods: this year, this month, last year, in Persian digits too', async () => {
    const { year, month } = jalaliNow();
    const last = jalaliNow(-1).year;
    const thisYear = await audit(`?from=${year}&limit=200`);
    assert.ok(thisYear.items.some((r) => r.action === 'user.create'), `from=${year}`);
    const thisMonth = await audit(`?from=${year}-${month}&to=${year}-${month}&limit=200`);
    assert.ok(thisMonth.items.some((r) => r.action === 'user.create'), `from=to=${year}-${month} covers the whole month`);
    const lastYear = await audit(`?from=${last}&to=${last}`);
    assert.deepEqual(lastYear.items, [], `from=to=${last}`);
    const untilLastYear = await audit(`?to=${last}`);
    assert.deepEqual(untilLastYear.items, []);
    const fa = await audit(`?from=${encodeURIComponent(toPersianDigits(`${year}-${month}`))}&limit=200`);
    assert.ok(fa.items.some((r) => r.action === 'user.create'), 'Persian digits');
    const faLast = await audit(`?to=${encodeURIComponent(toPersianDigits(last))}`);
    assert.deepEqual(faLast.items, [], 'Persian digits, last year');
    const { day } = jalaliNow();
    const today = await audit(`?from=${year}-${month}-${day}&to=${year}-${month}-${day}&limit=200`);
    assert.ok(today.items.some((r) => r.action === 'user.create'), 'today as a day period');
  });

  test('a malformed from or to is 400 invalid_field naming it', async () => {
    for (const [name, value] of [['from', 'yesterday'], ['to', '1404-13'], ['from', '2025-10-01T25:00:00Z']]) {
      const r = await srv.api('GET', `/api/v1/audit?${name}=${encodeURIComponent(value)}`, { token: admin.token });
      assert.equal(r.status, 400, `${name}=${value}: ${r.text}`);
      assert.equal(r.json.error.code, 'invalid_field');
      assert.equal(r.json.error.field, name);
    }
  });

  test('pages by cursor go back in time without gaps or repeats', async () => {
    const all = (await audit('?limit=200')).items;
    const seen = [];
    let cursor = null;
    for (let i = 0; i < 100; i++) {
      const page = await audit(`?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...page.items);
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    // Reading the log appends rows (audit.read) newer than the first page: compare the
    // rows that existed when the walk began.
    const first = all[0].id;
    const walked = seen.map((r) => r.id).filter((id) => id <= first);
    assert.deepEqual(walked, all.map((r) => r.id).filter((id) => id <= first));
    assert.equal(new Set(seen.map((r) => r.id)).size, seen.length, 'no row twice');
  });
});

describe('who may read it', () => {
  test('a supervisor may; a dispatcher and others may not', async () => {
    const sup = await srv.login('supervisor1', DEMO_PASSWORD);
    const r = await srv.api('GET', '/api/v1/audit?limit=5', { token: sup.token });
    assert.equal(r.status, 200, r.text);
    for (const name of ['dispatcher1', 'calltaker1', 'analyst1', 'commander1', 'records1', 'oversight1']) {
      const s = await srv.login(name, DEMO_PASSWORD);
      const d = await srv.api('GET', '/api/v1/audit', { token: s.token });
      assert.equal(d.status, 403, `${name}: ${d.text}`);
      assert.equal(d.json.error.code, 'forbidden');
    }
  });
});

describe('hamyar audit verify', () => {
  test('the chain is intact after the run; tampering with row 2 is found and named', async () => {
    await srv.stop();
    const rows = count(srv.db, 'audit');
    assert.ok(rows >= 10);
    const ok = cli(['audit', 'verify', '--db', srv.db]);
    assert.equal(ok.status, 0, `${ok.stdout}\n${ok.stderr}`);
    assert.match(ok.stdout, new RegExp(`audit chain intact: ${rows} rows`));

    const tampered = join(srv.dir, 'tampered.db');
    sql(srv.db, `.backup '${tampered}'`);
    sql(tampered, "UPDATE audit SET actor='x' WHERE id=2");
    const bad = cli(['audit', 'verify', '--db', tampered]);
    assert.equal(bad.status, 1, `${bad.stdout}\n${bad.stderr}`);
    assert.match(bad.stdout + bad.stderr, /audit chain broken at row 2\b/);

    // A deleted row in the middle breaks the chain too.
    const holed = join(srv.dir, 'holed.db');
    sql(srv.db, `.backup '${holed}'`);
    sql(holed, 'DELETE FROM audit WHERE id=3');
    const gap = cli(['audit', 'verify', '--db', holed]);
    assert.equal(gap.status, 1, `${gap.stdout}\n${gap.stderr}`);
    assert.match(gap.stdout + gap.stderr, /audit chain broken at row [34]\b/);

    // So does a changed detail of the newest row.
    const last = join(srv.dir, 'last.db');
    sql(srv.db, `.backup '${last}'`);
    sql(last, `UPDATE audit SET detail='{"edited":true}' WHERE id=${rows}`);
    const edited = cli(['audit', 'verify', '--db', last]);
    assert.equal(edited.status, 1);
    assert.match(edited.stdout + edited.stderr, new RegExp(`audit chain broken at row ${rows}\\b`));

    // The original still verifies: verify reads, it does not repair or write.
    assert.equal(cli(['audit', 'verify', '--db', srv.db]).status, 0);
  });
});
