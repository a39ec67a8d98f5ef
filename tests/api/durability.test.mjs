// durability.test.mjs — an acknowledged write is on disk.
//
// ~300 concurrent POST /api/v1/users; once some have been answered 201, the server is
// killed with SIGKILL while the rest are still in flight. A server restarted on the same
// database must have every user whose creation was acknowledged, the audit chain must
// still verify, and a retry (same Idempotency-Key) of a request whose answer was lost
// must not store the user twice.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { ADMIN_PASSWORD, cli, removeDir, sql, startServer } from './lib/server.mjs';

const TOTAL = 300;
const KILL_AFTER = 25; // acknowledged creations before the kill

let srv;
let again;
after(async () => {
  if (again) await again.stop();
  if (srv) {
    await srv.kill();
    removeDir(srv.dir);
  }
});

describe('durability', () => {
  test('every user acknowledged with 201 before SIGKILL exists after a restart', async () => {
    srv = await startServer();
    const admin = await srv.login('admin', ADMIN_PASSWORD);
    const acked = new Map(); // username -> id
    const outcome = new Map(); // username -> status, or 'error'
    const bodies = new Map();
    let resolveEnough;
    const enough = new Promise((r) => {
      resolveEnough = r;
    });
    const requests = [];
    for (let i = 0; i < TOTAL; i++) {
      const username = `durable.${String(i).padStart(3, '0')}`;
      const body = { username, password: `durable-password-${i}`, roles: ['call_taker'] };
      bodies.set(username, body);
      requests.push(
        srv
          .api('POST', '/api/v1/users', { token: admin.token, body, headers: { 'idempotency-key': `durable-${i}` }, validate: false })
          .then((r) => {
            outcome.set(username, r.status);
            if (r.status === 201) {
              assert.equal(r.json.username, username);
              acked.set(username, r.json.id);
              if (acked.size >= KILL_AFTER) resolveEnough();
            }
          })
          .catch(() => outcome.set(username, 'error')),
      );
    }
    const allDone = Promise.all(requests);
    await Promise.race([enough, allDone]);
    const exit = await srv.kill();
    assert.equal(exit.signal, 'SIGKILL');
    await allDone;
    const inFlight = [...outcome.values()].filter((s) => s === 'error').length;
    assert.ok(acked.size >= KILL_AFTER, `only ${acked.size} creations were acknowledged:\n${srv.diagnostics()}`);
    assert.ok(inFlight > 0, 'the kill came while requests were in flight (else the test proves little)');
    for (const [name, status] of outcome) {
      assert.ok(status === 201 || status === 'error', `${name}: unexpected answer ${status}`);
    }

    // The database as the killed server left it: every acknowledged user is there.
    const stored = new Map(
      sql(srv.db, "SELECT username, id FROM users WHERE username LIKE 'durable.%'")
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const [u, id] = l.split('|');
          return [u, Number(id)];
        }),
    );
    const lost = [...acked].filter(([name, id]) => stored.get(name) !== id).map(([name]) => name);
    assert.deepEqual(lost, [], 'acknowledged users missing after SIGKILL');
    // Each user that exists has its one audit row and its one event: one transaction.
    const unmatched = (table, column, value) =>
      sql(
        srv.db,
        `SELECT username FROM users u WHERE username LIKE 'durable.%' AND ` +
          `(SELECT count(*) FROM ${table} t WHERE t.${column} = '${value}' AND t.subject = 'user:' || u.id) != 1`,
      );
    assert.equal(unmatched('audit', 'action', 'user.create'), '', 'users without exactly one user.create audit row');
    assert.equal(unmatched('events', 'type', 'user.created'), '', 'users without exactly one user.created event');
    const verify = cli(['audit', 'verify', '--db', srv.db]);
    assert.equal(verify.status, 0, `the audit chain after SIGKILL: ${verify.stdout}${verify.stderr}`);

    // A restarted server sees them and answers retries of lost answers without
    // storing anything twice.
    again = await startServer({ db: srv.db, dir: srv.dir });
    const admin2 = await again.login('admin', ADMIN_PASSWORD);
    const listed = new Set();
    let cursor = null;
    for (let i = 0; i < 20; i++) {
      const r = await again.api('GET', `/api/v1/users?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { token: admin2.token });
      assert.equal(r.status, 200);
      for (const u of r.json.items) listed.add(u.username);
      cursor = r.json.next_cursor;
      if (!cursor) break;
    }
    for (const name of acked.keys()) assert.ok(listed.has(name), `${name} is not listed after the restart`);

    const unanswered = [...outcome].filter(([, s]) => s === 'error').map(([name]) => name);
    const retried = [...unanswered.filter((n) => stored.has(n)).slice(0, 3), ...unanswered.filter((n) => !stored.has(n)).slice(0, 3)];
    for (const name of retried) {
      const i = Number(name.split('.')[1]);
      const r = await again.api('POST', '/api/v1/users', {
        // The session from before the crash: its log-in was acknowledged, so it survived.
        token: admin.token,
        body: bodies.get(name),
        headers: { 'idempotency-key': `durable-${i}` },
        validate: false,
      });
      assert.equal(r.status, 201, `retry of ${name}: ${r.status} ${r.text}`);
      assert.equal(r.json.username, name);
      if (stored.has(name)) {
        assert.equal(r.headers['idempotent-replayed'], 'true', `${name} was stored before the crash: the retry replays`);
        assert.equal(r.json.id, stored.get(name));
      }
      assert.equal(Number(sql(again.db, `SELECT count(*) FROM users WHERE username='${name}'`)), 1);
    }
    await again.stop();
    again = null;
  });
});
