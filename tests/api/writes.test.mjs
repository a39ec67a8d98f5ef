// writes.test.mjs — durable writes through the HTTP layer: a write holds no worker
// thread while it waits for its commit, so writes from many connections share one
// commit (group commit), each is answered only once it is on disk, and SIGTERM under a
// steady stream of writes still answers what committed and exits 0.
//
// Every answer carries X-Request-Id and every audit row the request id that wrote it,
// so the checks go request by request: each 200 has exactly one audit row.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { ADMIN_PASSWORD, metricValue, removeDir, sql, startServer } from './lib/server.mjs';

const servers = [];
after(async () => {
  for (const s of servers) {
    await s.stop();
    removeDir(s.dir);
  }
});

// request_id of every user.update audit row, with how often each occurs.
function updateRows(db) {
  const rows = new Map();
  for (const id of sql(db, "SELECT request_id FROM audit WHERE action = 'user.update'").split('\n').filter(Boolean))
    rows.set(id, (rows.get(id) || 0) + 1);
  return rows;
}

describe('durable writes', () => {
  test('64 concurrent writes on one worker thread share commits; each 200 is one audit row', async () => {
    // One worker thread: a write that held its thread until it was durable would be
    // committed alone and synced alone, so a commit or a sync covering several writes
    // shows that none did.
    const srv = await startServer({ env: { HAMYAR_THREADS: '1' } });
    servers.push(srv);
    const admin = await srv.login('admin', ADMIN_PASSWORD);
    const N = 64;
    const answers = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        srv.api('PATCH', '/api/v1/me', { token: admin.token, body: { latin_digits: i % 2 === 0 } }),
      ),
    );
    for (const r of answers) {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.username, 'admin');
    }
    const rows = updateRows(srv.db);
    assert.equal(rows.size, N);
    for (const r of answers) assert.equal(rows.get(r.headers['x-request-id']), 1, `audit row of ${r.headers['x-request-id']}`);

    const m = await srv.api('GET', '/metrics', { token: admin.token, validate: false });
    assert.equal(m.status, 200);
    const commits = metricValue(m.text, 'hamyar_store_commit_batch_size_count');
    const alone = metricValue(m.text, 'hamyar_store_commit_batch_size_bucket{le="1"}');
    assert.equal(metricValue(m.text, 'hamyar_store_writes_total'), N + 1); // and the log-in
    // Every answered write was made durable first, by syncs that may each cover several commits.
    assert.equal(metricValue(m.text, 'hamyar_store_durable_writes_total'), N + 1);
    const syncs = metricValue(m.text, 'hamyar_store_syncs_total');
    assert.ok(syncs >= 1 && syncs <= commits, `${syncs} syncs for ${commits} commits`);
    assert.ok(alone < commits || syncs < N + 1,
      `some commit or sync covered more than one write (${alone} of ${commits} commits held one; ${syncs} syncs for ${N + 1} writes)`);
    // Each of those syncs was timed: a cumulative histogram whose count is the syncs.
    const buckets = [...m.text.matchAll(/^hamyar_store_sync_duration_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)];
    assert.equal(buckets.length, 10);
    assert.equal(buckets.at(-1)[1], '+Inf');
    const bound = (b) => (b[1] === '+Inf' ? Infinity : Number(b[1]));
    for (let i = 1; i < buckets.length; i++) {
      assert.ok(bound(buckets[i]) > bound(buckets[i - 1]), `bucket bounds grow: ${buckets[i - 1][1]}, ${buckets[i][1]}`);
      assert.ok(Number(buckets[i][2]) >= Number(buckets[i - 1][2]), 'counts are cumulative');
    }
    assert.equal(Number(buckets.at(-1)[2]), syncs);
    assert.equal(metricValue(m.text, 'hamyar_store_sync_duration_seconds_count'), syncs);
    assert.ok(metricValue(m.text, 'hamyar_store_sync_duration_seconds_sum') > 0, 'a sync takes some time');
    assert.ok(metricValue(m.text, 'hamyar_store_writer_busy_seconds_total') > 0, 'the writer ran the batches');
    // A few hundred small writes never fill the log to where it is copied back.
    assert.equal(metricValue(m.text, 'hamyar_store_checkpoints_total'), 0);

    assert.deepEqual(srv.logLines().filter((l) => l.level === 'error'), [], 'no errors logged');
  });

  test('SIGTERM during a stream of writes: exit 0, every 200 is on disk once', async () => {
    const srv = await startServer();
    servers.push(srv);
    const admin = await srv.login('admin', ADMIN_PASSWORD);
    const CONNECTIONS = 32;
    const ENOUGH = 300; // answers before the signal
    const acked = [];
    const unexpected = [];
    let enough;
    const gotEnough = new Promise((r) => {
      enough = r;
    });
    // Each loop writes until the server goes away (a network error ends it).
    let stop = false;
    const loop = async (i) => {
      for (let k = 0; !stop; k++) {
        let r;
        try {
          r = await srv.api('PATCH', '/api/v1/me', { token: admin.token, body: { latin_digits: (i + k) % 2 === 0 }, validate: false });
        } catch {
          return;
        }
        if (r.status !== 200) {
          unexpected.push(`${r.status} ${r.text}`);
          return;
        }
        acked.push(r.headers['x-request-id']);
        if (acked.length >= ENOUGH) enough();
      }
    };
    const loops = Array.from({ length: CONNECTIONS }, (_, i) => loop(i));
    const allDone = Promise.all(loops);
    await Promise.race([gotEnough, allDone]);
    // The writes go on for a while after the signal, then the clients leave, so the
    // server need not wait out its 10 s for ordinary requests.
    const exiting = srv.terminate(30000);
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    const exit = await exiting;
    await allDone;
    srv.stopped = true;
    assert.deepEqual(exit, { code: 0, signal: null }, `exit after SIGTERM\n${srv.diagnostics()}`);
    assert.deepEqual(unexpected, []);
    assert.ok(acked.length >= ENOUGH);

    const rows = updateRows(srv.db);
    for (const id of acked) assert.equal(rows.get(id), 1, `answered 200 but ${rows.get(id) || 0} audit rows: ${id}`);
    for (const [id, n] of rows) assert.equal(n, 1, `${id} written ${n} times`);
    assert.equal(sql(srv.db, 'PRAGMA integrity_check'), 'ok');
    const lines = srv.logLines();
    assert.deepEqual(lines.filter((l) => l.unparsed), [], 'every stderr line is JSON');
    assert.ok(lines.some((l) => l.event === 'http.stop' && l.msg === 'stopped'), 'the server says it stopped');
    assert.deepEqual(lines.filter((l) => l.level === 'error'), [], 'no errors logged');
  });
});
