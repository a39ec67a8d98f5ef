// shutdown.test.mjs — SIGTERM while requests are in flight and an event stream is open:
// the server finishes what it acknowledged, closes the stream, and exits 0; every
// acknowledged creation is stored.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { ADMIN_PASSWORD, removeDir, sql, startServer } from './lib/server.mjs';
import { openEvents } from './lib/sse.mjs';

const TOTAL = 30;

let srv;
after(async () => {
  if (srv) {
    await srv.kill();
    removeDir(srv.dir);
  }
});

describe('graceful shutdown', () => {
  test('SIGTERM with requests in flight: exit 0, acknowledged users stored, the stream ended', async () => {
    srv = await startServer();
    const admin = await srv.login('admin', ADMIN_PASSWORD);
    const stream = await openEvents(srv, { token: admin.token });
    assert.equal(stream.status, 200);

    const outcome = new Map();
    const acked = new Map();
    let firstAck;
    const gotOne = new Promise((r) => {
      firstAck = r;
    });
    const requests = [];
    for (let i = 0; i < TOTAL; i++) {
      const username = `shutdown.${String(i).padStart(2, '0')}`;
      requests.push(
        srv
          .api('POST', '/api/v1/users', {
            token: admin.token,
            body: { username, password: `shutdown-password-${i}`, roles: ['dispatcher'] },
            validate: false,
          })
          .then((r) => {
            outcome.set(username, { status: r.status, code: r.json?.error?.code });
            if (r.status === 201) {
              acked.set(username, r.json.id);
              firstAck();
            }
          })
          .catch((e) => outcome.set(username, { status: 'error', message: e.message })),
      );
    }
    const allDone = Promise.all(requests);
    await Promise.race([gotOne, allDone]);
    const exit = await srv.terminate();
    await allDone;
    assert.deepEqual(exit, { code: 0, signal: null }, `exit after SIGTERM\n${srv.diagnostics()}`);
    srv.stopped = true;

    // Each request was either answered (201, or 503 unavailable once shutting down) or
    // refused at the door; none got another error.
    for (const [name, o] of outcome) {
      assert.ok(o.status === 201 || o.status === 'error' || (o.status === 503 && o.code === 'unavailable'), `${name}: ${JSON.stringify(o)}`);
    }
    assert.ok(acked.size >= 1);
    const stored = new Set(sql(srv.db, "SELECT username FROM users WHERE username LIKE 'shutdown.%'").split('\n').filter(Boolean));
    for (const name of acked.keys()) assert.ok(stored.has(name), `${name} was acknowledged but is not stored`);
    // The stream was ended by the server, not left hanging.
    await stream.waitFor((s) => s.closed, 'the stream to close', 10000);
    // The log says the server stopped, as JSON lines.
    const lines = srv.logLines();
    assert.ok(lines.length > 0);
    assert.deepEqual(lines.filter((l) => l.unparsed), [], 'every stderr line is JSON');
  });

  test('SIGTERM on an idle server exits 0 promptly and the database is consistent', async () => {
    const s = await startServer();
    await s.login('admin', ADMIN_PASSWORD);
    const exit = await s.terminate();
    assert.deepEqual(exit, { code: 0, signal: null }, s.diagnostics());
    assert.equal(sql(s.db, 'PRAGMA integrity_check'), 'ok');
    removeDir(s.dir);
  });
});
