// events.test.mjs — the live event stream (Server-Sent Events): two clients see the
// same event, a reconnecting client resumes from Last-Event-ID, heartbeats keep the
// line open, and a caller sees only the events its roles may see.
//
// No timing assertions: "did not receive" is judged after the stream has carried
// heartbeats sent after the event was delivered elsewhere, which the server writes in
// order on the same connection.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { validateResponse } from './lib/openapi.mjs';
import { ADMIN_PASSWORD, startServer, stopAndRemove } from './lib/server.mjs';
import { openEvents } from './lib/sse.mjs';

let srv;
let admin;
let dispatcher;
const streams = [];

before(async () => {
  srv = await startServer({ env: { HAMYAR_SSE_HEARTBEAT_S: '1' } });
  admin = await srv.login('admin', ADMIN_PASSWORD);
  const d = await srv.createUser(admin.token, 'events.dispatcher', ['dispatcher']);
  dispatcher = await srv.login('events.dispatcher', d.password);
});
after(() => stopAndRemove(srv, streams));

async function open(opts) {
  const s = await openEvents(srv, opts);
  streams.push(s);
  return s;
}

const heartbeats = (s) => s.comments.filter((c) => c === 'heartbeat').length;
const waitHeartbeats = (s, n) => {
  const base = heartbeats(s);
  return s.waitFor((x) => heartbeats(x) >= base + n, `${n} heartbeat(s)`, 10000);
};
const userCreated = (id) => (e) => e.event === 'user.created' && e.data?.subject === `user:${id}`;

let serial = 0;
const newUser = () => {
  serial += 1;
  return srv.createUser(admin.token, `ev.user.${serial}`, ['call_taker']);
};

describe('the event stream', () => {
  test('answers text/event-stream and needs a caller', async () => {
    const s = await open({ token: admin.token });
    assert.equal(s.status, 200);
    assert.match(s.headers['content-type'], /^text\/event-stream/);
    validateResponse('GET', '/api/v1/events', 200, undefined, s.headers, '');
    const anon = await open({});
    assert.equal(anon.status, 401);
    validateResponse('GET', '/api/v1/events', anon.status, anon.json, anon.headers, anon.body);
    assert.equal(anon.json.error.code, 'unauthenticated');
    s.close();
  });

  test('two clients both receive user.created with the same id, in the documented shape', async () => {
    const a = await open({ token: admin.token });
    const b = await open({ cookie: admin.cookie });
    assert.equal(a.status, 200);
    assert.equal(b.status, 200, 'a cookie session may stream (GET needs no CSRF token)');
    // Both are connected once they have seen something from the server.
    await Promise.all([a.waitFor((x) => x.bytes > 0, 'a first byte'), b.waitFor((x) => x.bytes > 0, 'a first byte')]);
    const u = await newUser();
    const [ea, eb] = await Promise.all([
      a.waitForEvent(userCreated(u.id), `user.created for user:${u.id} on a`),
      b.waitForEvent(userCreated(u.id), `user.created for user:${u.id} on b`),
    ]);
    assert.equal(ea.id, eb.id);
    assert.equal(ea.raw, eb.raw);
    assert.equal(String(ea.data.id), ea.id, 'the SSE id is the event id');
    assert.equal(ea.data.type, 'user.created');
    assert.equal(ea.data.subject, `user:${u.id}`);
    assert.ok(Math.abs(Date.parse(ea.data.time) - Date.now()) < 60000);
    assert.deepEqual(a.problems, [], 'every event matches components.schemas.Event');
    assert.deepEqual(b.problems, []);
    // The payload never carries a password or its hash.
    assert.ok(!ea.raw.includes(u.password) && !ea.raw.includes('argon2'));
    a.close();
    b.close();
  });

  test('events arrive in id order, one per change', async () => {
    const s = await open({ token: admin.token });
    await s.waitFor((x) => x.bytes > 0, 'a first byte');
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await newUser());
    await s.waitForEvent(userCreated(made[2].id), 'the third user.created');
    const ours = s.events.filter((e) => e.event === 'user.created');
    const ids = ours.map((e) => Number(e.id));
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
    for (const u of made) assert.equal(ours.filter(userCreated(u.id)).length, 1);
    s.close();
  });

  test('a reconnect with Last-Event-ID first receives the events it missed', async () => {
    const s = await open({ token: admin.token });
    await s.waitFor((x) => x.bytes > 0, 'a first byte');
    const u1 = await newUser();
    const seen = await s.waitForEvent(userCreated(u1.id), 'the first user.created');
    s.close();
    const missed = [await newUser(), await newUser()];
    const again = await open({ token: admin.token, lastEventId: seen.id });
    assert.equal(again.status, 200);
    await again.waitForEvent(userCreated(missed[1].id), 'the second missed user.created');
    const got = again.events.filter((e) => e.event === 'user.created');
    assert.ok(got.every((e) => Number(e.id) > Number(seen.id)), 'nothing at or before Last-Event-ID');
    assert.deepEqual(
      got.slice(0, 2).map((e) => e.data.subject),
      missed.map((u) => `user:${u.id}`),
    );
    // ?last_event_id= does the same for clients that cannot set headers.
    const viaQuery = await open({ token: admin.token, path: `/api/v1/events?last_event_id=${seen.id}` });
    assert.equal(viaQuery.status, 200);
    await viaQuery.waitForEvent(userCreated(missed[1].id), 'the missed events via ?last_event_id=');
    assert.ok(viaQuery.events.every((e) => Number(e.id) > Number(seen.id)));
    // Live events follow the replay.
    const live = await newUser();
    await again.waitForEvent(userCreated(live.id), 'a live event after the replay');
    again.close();
    viaQuery.close();
  });

  test('a malformed Last-Event-ID is 400 invalid_field', async () => {
    const s = await open({ token: admin.token, lastEventId: 'yesterday' });
    assert.equal(s.status, 400);
    validateResponse('GET', '/api/v1/events', s.status, s.json, s.headers, s.body);
    assert.equal(s.json.error.code, 'invalid_field');
  });

  test('a heartbeat comment arrives every HAMYAR_SSE_HEARTBEAT_S', async () => {
    const s = await open({ token: admin.token });
    await waitHeartbeats(s, 2);
    assert.ok(heartbeats(s) >= 2);
    s.close();
  });

  test('a dispatcher\'s stream does not carry admin-only events', async () => {
    const adm = await open({ token: admin.token });
    const dis = await open({ token: dispatcher.token });
    assert.equal(dis.status, 200);
    await Promise.all([adm.waitFor((x) => x.bytes > 0, 'a first byte'), dis.waitFor((x) => x.bytes > 0, 'a first byte')]);
    const u = await newUser();
    await adm.waitForEvent(userCreated(u.id), 'user.created on the admin stream');
    // Two heartbeats written after the event was committed: had the dispatcher been
    // sent it, it would have come before them.
    await waitHeartbeats(dis, 2);
    assert.deepEqual(dis.events.filter((e) => e.event.startsWith('user.')), []);
    dis.close();
    // Nor in a replay from the beginning.
    const replay = await open({ token: dispatcher.token, lastEventId: 0 });
    await waitHeartbeats(replay, 1);
    assert.deepEqual(replay.events.filter((e) => e.event.startsWith('user.') || e.event.startsWith('apikey.')), []);
    const adminReplay = await open({ token: admin.token, lastEventId: 0 });
    await adminReplay.waitForEvent(userCreated(u.id), 'the admin replay from 0');
    adm.close();
    replay.close();
    adminReplay.close();
  });

  test('a change that fails emits no event', async () => {
    const s = await open({ token: admin.token });
    await s.waitFor((x) => x.bytes > 0, 'a first byte');
    const dup = await srv.api('POST', '/api/v1/users', {
      token: admin.token,
      body: { username: 'events.dispatcher', password: 'duplicate-password', roles: ['admin'] },
    });
    assert.equal(dup.status, 409);
    const next = await newUser();
    await s.waitForEvent(userCreated(next.id), 'the next user.created');
    const created = s.events.filter((e) => e.event === 'user.created');
    assert.deepEqual(created.map((e) => e.data.subject), [`user:${next.id}`]);
    s.close();
  });

  test('changes to users and keys are events too', async () => {
    const s = await open({ token: admin.token });
    await s.waitFor((x) => x.bytes > 0, 'a first byte');
    const u = await newUser();
    await srv.api('PATCH', `/api/v1/users/${u.id}`, { token: admin.token, body: { roles: ['dispatcher'] } });
    await s.waitForEvent((e) => e.event === 'user.updated' && e.data.subject === `user:${u.id}`, 'user.updated');
    const k = await srv.api('POST', '/api/v1/apikeys', { token: admin.token, body: { name: 'events-key', role: 'telephony' } });
    assert.equal(k.status, 201);
    const ev = await s.waitForEvent((e) => e.event === 'apikey.created', 'apikey.created');
    assert.ok(!ev.raw.includes(k.json.key), 'the key itself is never in an event');
    s.close();
  });
});
