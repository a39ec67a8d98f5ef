// telephony.test.mjs — the phone system's events (ring, answer, hangup, abandon) and
// the queue of calls waiting for a call-taker: each event moves the record forward,
// retries change nothing, out-of-order events are 409, unknown calls 404; ringing
// calls reach call-takers' screens over the event stream; abandoned calls are kept;
// only a telephony key may send events and only the call floor may read the queue.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ANZALI, RASHT, code, field, startCentre } from './lib/centre.mjs';
import { auditCount, count, removeDir, sql, stopAndRemove } from './lib/server.mjs';
import { openEvents } from './lib/sse.mjs';

let srv;
let as;
let key;
const streams = [];

before(async () => {
  ({ srv, as, phoneKey: key } = await startCentre());
});
after(() => stopAndRemove(srv, streams));

const phone = (body, opts = {}) => srv.api('POST', '/api/v1/telephony/events', { apikey: key, body, ...opts });
const queue = (token) => srv.api('GET', '/api/v1/telephony/calls', { token });
let serial = 0;
const newId = () => `pbx-${++serial}`;

describe('telephony events', () => {
  test('ring makes a ringing record with the caller number, location and time', async () => {
    const id = newId();
    const r = await phone({
      event: 'ring',
      telephony_call_id: id,
      time: '2025-10-01T08:30:00Z',
      ani: '09111234567',
      location: { ...RASHT, uncertainty_m: 35, source: 'gnss' },
    });
    assert.equal(r.status, 200, r.text);
    const t = r.json;
    assert.equal(t.telephony_call_id, id);
    assert.equal(t.state, 'ringing');
    assert.equal(t.ani, '09111234567');
    assert.deepEqual(t.location, { ...RASHT, uncertainty_m: 35, source: 'gnss' });
    assert.equal(t.ring_at, '2025-10-01T08:30:00.000Z');
    assert.equal(t.answer_at, null);
    assert.equal(t.call_id, null);
    assert.equal(sql(srv.db, `SELECT state FROM telephony_calls WHERE ext_id = '${id}'`), '0');
  });

  test('without a time the event is stamped now; location is optional', async () => {
    const r = await phone({ event: 'ring', telephony_call_id: newId(), ani: '01333333333' });
    assert.equal(r.status, 200, r.text);
    assert.ok(Math.abs(Date.parse(r.json.ring_at) - Date.now()) < 60000);
    assert.equal(r.json.location, null);
  });

  test('answer, then hangup, each move the record on; the first time of each step is kept', async () => {
    const id = newId();
    await phone({ event: 'ring', telephony_call_id: id, time: '2025-10-01T08:30:00Z', ani: '09120000001' });
    const a = await phone({ event: 'answer', telephony_call_id: id, time: '2025-10-01T08:30:07Z' });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.state, 'answered');
    assert.equal(a.json.answer_at, '2025-10-01T08:30:07.000Z');
    // The phone system retries: the same event again changes nothing.
    const again = await phone({ event: 'answer', telephony_call_id: id, time: '2025-10-01T08:30:09Z' });
    assert.equal(again.status, 200);
    assert.deepEqual(again.json, a.json);
    const h = await phone({ event: 'hangup', telephony_call_id: id, time: '2025-10-01T08:32:00Z' });
    assert.equal(h.status, 200);
    assert.equal(h.json.state, 'ended');
    assert.equal(h.json.end_at, '2025-10-01T08:32:00.000Z');
    assert.equal(h.json.answer_at, '2025-10-01T08:30:07.000Z');
  });

  test('a retried event writes no row, audit line or live event', async () => {
    const id = newId();
    await phone({ event: 'ring', telephony_call_id: id, ani: '09120000002' });
    const rows = count(srv.db, 'telephony_calls');
    const audits = auditCount(srv);
    const events = count(srv.db, 'events');
    const r = await phone({ event: 'ring', telephony_call_id: id, ani: '09120000002' });
    assert.equal(r.status, 200);
    assert.equal(r.json.state, 'ringing');
    assert.deepEqual([count(srv.db, 'telephony_calls'), auditCount(srv), count(srv.db, 'events')], [rows, audits, events]);
  });

  test('an event out of order is 409 and changes nothing', async () => {
    const id = newId();
    await phone({ event: 'ring', telephony_call_id: id, ani: '09120000003' });
    await phone({ event: 'answer', telephony_call_id: id });
    const ended = await phone({ event: 'hangup', telephony_call_id: id });
    for (const event of ['answer', 'ring', 'abandon']) {
      const r = await phone({ event, telephony_call_id: id });
      assert.equal(r.status, 409, `${event} after hangup: ${r.text}`);
      assert.equal(code(r), 'conflict');
      assert.match(r.json.error.message, /ended/);
    }
    const again = await phone({ event: 'hangup', telephony_call_id: id });
    assert.equal(again.status, 200);
    assert.deepEqual(again.json, ended.json);
    // Ringing again once answered is out of order too.
    const other = newId();
    await phone({ event: 'ring', telephony_call_id: other });
    await phone({ event: 'answer', telephony_call_id: other });
    assert.equal((await phone({ event: 'ring', telephony_call_id: other })).status, 409);
    assert.equal((await phone({ event: 'abandon', telephony_call_id: other })).status, 409);
  });

  test('abandoned calls: abandon, or hangup before answer; kept and counted', async () => {
    const before = Number(sql(srv.db, 'SELECT count(*) FROM telephony_calls WHERE state = 3'));
    const a = newId();
    await phone({ event: 'ring', telephony_call_id: a, ani: '09120000004' });
    const ab = await phone({ event: 'abandon', telephony_call_id: a, time: '2025-10-01T09:00:30Z' });
    assert.equal(ab.status, 200);
    assert.equal(ab.json.state, 'abandoned');
    assert.equal(ab.json.end_at, '2025-10-01T09:00:30.000Z');
    assert.equal(ab.json.answer_at, null);
    // Some phone systems follow abandon with hangup: harmless.
    const h = await phone({ event: 'hangup', telephony_call_id: a });
    assert.equal(h.status, 200);
    assert.deepEqual(h.json, ab.json);
    assert.equal((await phone({ event: 'answer', telephony_call_id: a })).status, 409);
    const b = newId();
    await phone({ event: 'ring', telephony_call_id: b, ani: '09120000005' });
    const hb = await phone({ event: 'hangup', telephony_call_id: b });
    assert.equal(hb.json.state, 'abandoned');
    assert.equal(Number(sql(srv.db, 'SELECT count(*) FROM telephony_calls WHERE state = 3')), before + 2);
  });

  test('events for a call that never rang are 404', async () => {
    for (const event of ['answer', 'hangup', 'abandon']) {
      const r = await phone({ event, telephony_call_id: 'never-rang' });
      assert.equal(r.status, 404, r.text);
      assert.equal(code(r), 'not_found');
      assert.equal(field(r), 'telephony_call_id');
    }
    assert.equal(sql(srv.db, "SELECT count(*) FROM telephony_calls WHERE ext_id = 'never-rang'"), '0');
  });

  test('a location or number that comes later is kept; a newer fix replaces an older one', async () => {
    const id = newId();
    await phone({ event: 'ring', telephony_call_id: id });
    const a = await phone({ event: 'answer', telephony_call_id: id, ani: '09120000006', location: { ...RASHT, source: 'cell' } });
    assert.equal(a.json.ani, '09120000006');
    assert.deepEqual(a.json.location, { ...RASHT, uncertainty_m: 0, source: 'cell' });
    const b = await phone({ event: 'answer', telephony_call_id: id, ani: '09999999999', location: { ...ANZALI, uncertainty_m: 12, source: 'gnss' } });
    assert.equal(b.status, 200);
    assert.equal(b.json.state, 'answered');
    assert.equal(b.json.ani, '09120000006', 'the first caller number stands');
    assert.deepEqual(b.json.location, { ...ANZALI, uncertainty_m: 12, source: 'gnss' });
  });

  test('bad input is 400 with the field, and stores nothing', async () => {
    const rows = count(srv.db, 'telephony_calls');
    const cases = [
      [{ telephony_call_id: 'x1' }, 'missing_field', 'event'],
      [{ event: 'pickup', telephony_call_id: 'x1' }, 'invalid_field', 'event'],
      [{ event: 'ring' }, 'missing_field', 'telephony_call_id'],
      [{ event: 'ring', telephony_call_id: '' }, 'invalid_field', 'telephony_call_id'],
      [{ event: 'ring', telephony_call_id: 'x'.repeat(129) }, 'invalid_field', 'telephony_call_id'],
      [{ event: 'ring', telephony_call_id: 'x1', time: 'yesterday' }, 'invalid_field', 'time'],
      [{ event: 'ring', telephony_call_id: 'x1', ani: 42 }, 'invalid_field', 'ani'],
      [{ event: 'ring', telephony_call_id: 'x1', location: { lat: 95, lon: 49 } }, 'invalid_field', 'location.lat'],
      [{ event: 'ring', telephony_call_id: 'x1', location: { lat: 37 } }, 'missing_field', 'location.lon'],
      [{ event: 'ring', telephony_call_id: 'x1', location: { lat: 37, lon: 49, heading: 3 } }, 'unknown_field', 'location.heading'],
      [{ event: 'ring', telephony_call_id: 'x1', location: 'Rasht' }, 'invalid_field', 'location'],
      [{ event: 'ring', telephony_call_id: 'x1', caller: '0911' }, 'unknown_field', 'caller'],
    ];
    for (const [body, c, f] of cases) {
      const r = await phone(body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(code(r), c, JSON.stringify(body));
      assert.equal(field(r), f, JSON.stringify(body));
    }
    assert.equal(count(srv.db, 'telephony_calls'), rows);
  });

  test('only a telephony key may send events', async () => {
    const body = { event: 'ring', telephony_call_id: newId() };
    for (const role of ['call_taker', 'supervisor', 'admin']) {
      const r = await srv.api('POST', '/api/v1/telephony/events', { token: as[role].token, body });
      assert.equal(r.status, 403, `${role}: ${r.text}`);
    }
    const anon = await srv.api('POST', '/api/v1/telephony/events', { body });
    assert.equal(anon.status, 401);
    const admin = as.admin.token;
    const other = await srv.api('POST', '/api/v1/apikeys', { token: admin, body: { name: 'open311-test', role: 'open311' } });
    assert.equal((await srv.api('POST', '/api/v1/telephony/events', { apikey: other.json.key, body })).status, 403);
  });

  test('each change is audited under the key', async () => {
    const id = newId();
    const r = await phone({ event: 'ring', telephony_call_id: id, ani: '09120000007' });
    const row = sql(srv.db, `SELECT actor || '|' || action FROM audit WHERE subject = 'tcall:${r.json.id}' ORDER BY id`);
    assert.equal(row, 'apikey:pbx-test|telephony.ring');
  });
});

describe('the queue and the live screen', () => {
  test('ringing calls reach call-takers over the event stream, in order of their steps', async () => {
    const s = await openEvents(srv, { token: as.call_taker.token });
    streams.push(s);
    assert.equal(s.status, 200);
    const id = newId();
    const ring = await phone({ event: 'ring', telephony_call_id: id, ani: '09120000008', location: { ...RASHT, source: 'gnss' } });
    await phone({ event: 'answer', telephony_call_id: id });
    await phone({ event: 'hangup', telephony_call_id: id });
    const other = newId();
    await phone({ event: 'ring', telephony_call_id: other });
    await phone({ event: 'abandon', telephony_call_id: other });
    const mine = (e) => e.data?.subject === `tcall:${ring.json.id}`;
    await s.waitFor((x) => x.events.filter(mine).length === 3, 'three events of the call');
    assert.deepEqual(s.events.filter(mine).map((e) => e.event), ['call.ringing', 'call.answered', 'call.ended']);
    const ringing = s.events.find(mine);
    assert.deepEqual(ringing.data.payload, ring.json);
    await s.waitForEvent((e) => e.event === 'call.abandoned' && e.data.payload.telephony_call_id === other, 'call.abandoned');
    assert.deepEqual(s.problems, []);
  });

  test('the queue lists ringing and answered calls not yet recorded, oldest first', async () => {
    const ringing = newId();
    const answered = newId();
    const ended = newId();
    await phone({ event: 'ring', telephony_call_id: ringing, time: '2030-01-01T00:00:01Z', ani: '09120000009' });
    await phone({ event: 'ring', telephony_call_id: answered, time: '2030-01-01T00:00:02Z', ani: '09120000010' });
    await phone({ event: 'answer', telephony_call_id: answered, time: '2030-01-01T00:00:05Z' });
    await phone({ event: 'ring', telephony_call_id: ended, time: '2030-01-01T00:00:03Z' });
    await phone({ event: 'abandon', telephony_call_id: ended, time: '2030-01-01T00:00:04Z' });
    const q = await queue(as.call_taker.token);
    assert.equal(q.status, 200, q.text);
    const ids = q.json.items.map((t) => t.telephony_call_id);
    assert.ok(ids.indexOf(ringing) >= 0 && ids.indexOf(answered) > ids.indexOf(ringing), JSON.stringify(ids));
    assert.ok(!ids.includes(ended));
    for (const t of q.json.items) assert.ok(['ringing', 'answered'].includes(t.state));
    const rings = q.json.items.map((t) => Date.parse(t.ring_at));
    assert.deepEqual(rings, [...rings].sort((a, b) => a - b));
    // Once a call-taker records it, it leaves the queue.
    const c = await srv.api('POST', '/api/v1/calls', {
      token: as.call_taker.token,
      body: { telephony_call_id: answered, type: 'noise', address: 'رشت، خیابان سعدی' },
    });
    assert.equal(c.status, 201, c.text);
    const after = await queue(as.dispatcher.token);
    assert.ok(!after.json.items.some((t) => t.telephony_call_id === answered));
    assert.ok(after.json.items.some((t) => t.telephony_call_id === ringing));
    assert.equal(sql(srv.db, `SELECT call_id FROM telephony_calls WHERE ext_id = '${answered}'`), String(c.json.id));
  });

  test('the queue is for the call floor; its read is audited', async () => {
    for (const role of ['call_taker', 'dispatcher', 'supervisor']) assert.equal((await queue(as[role].token)).status, 200, role);
    for (const role of ['analyst', 'commander', 'oversight', 'records', 'admin']) assert.equal((await queue(as[role].token)).status, 403, role);
    assert.equal((await srv.api('GET', '/api/v1/telephony/calls', { apikey: key })).status, 403);
    const before = Number(sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'telephony.list' AND actor = 'supervisor1'"));
    await queue(as.supervisor.token);
    assert.equal(Number(sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'telephony.list' AND actor = 'supervisor1'")), before + 1);
  });
});

describe('ring timeout', () => {
  // A server whose calls ring out after 1 s (HAMYAR_RING_TIMEOUT_S); the sweep runs
  // every quarter of that, so a ghost is gone within a couple of seconds.
  let fast;
  let fastKey;
  let fastAs;
  before(async () => {
    ({ srv: fast, as: fastAs, phoneKey: fastKey } = await startCentre({ env: { HAMYAR_RING_TIMEOUT_S: '1' } }));
  });
  after(async () => {
    if (!fast) return;
    await fast.stop();
    removeDir(fast.dir);
  });
  const ring = (body) => fast.api('POST', '/api/v1/telephony/events', { apikey: fastKey, body });

  test('a call ringing past the timeout is recorded as abandoned by the system, live; an answered one stays', async () => {
    const s = await openEvents(fast, { token: fastAs.call_taker.token });
    streams.push(s);
    // The phone system's clock is an hour behind: the timeout counts by hamyar's.
    const behind = new Date(Date.now() - 3600000).toISOString();
    const ghost = newId();
    const talking = newId();
    assert.equal((await ring({ event: 'ring', telephony_call_id: ghost, time: behind, ani: '09120000011' })).status, 200);
    assert.equal((await ring({ event: 'ring', telephony_call_id: talking, time: behind, ani: '09120000012' })).status, 200);
    assert.equal((await ring({ event: 'answer', telephony_call_id: talking })).status, 200);
    const listed = await fast.api('GET', '/api/v1/telephony/calls', { token: fastAs.call_taker.token });
    assert.ok(listed.json.items.some((t) => t.telephony_call_id === ghost), 'just rung: still in the queue');

    const ev = await s.waitForEvent((e) => e.event === 'call.abandoned' && e.data.payload.telephony_call_id === ghost,
      'call.abandoned for the ghost call');
    assert.equal(ev.data.payload.state, 'abandoned');
    const q = await fast.api('GET', '/api/v1/telephony/calls', { token: fastAs.call_taker.token });
    assert.ok(!q.json.items.some((t) => t.telephony_call_id === ghost), 'gone from the queue');
    assert.ok(q.json.items.some((t) => t.telephony_call_id === talking), 'an answered call is a call-taker\'s, not a ghost');
    assert.equal(sql(fast.db, `SELECT state FROM telephony_calls WHERE ext_id = '${ghost}'`), '3');
    assert.equal(sql(fast.db, `SELECT count(*) FROM audit WHERE action = 'telephony.ring_timeout' AND actor = 'system' AND detail LIKE '%${ghost}%'`), '1');
    // A late hang-up from the phone system changes nothing.
    const late = await ring({ event: 'hangup', telephony_call_id: ghost });
    assert.equal(late.status, 200);
    assert.equal(late.json.state, 'abandoned');
  });
});
