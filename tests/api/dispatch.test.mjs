// dispatch.test.mjs — sending units: the ranked recommendation (estimated travel time,
// suitability by type, reasons; an incident without a location), the assignment in one
// transaction and one event (unit and incident together, 409 for a unit that is not
// available, nothing changed by a refusal, Idempotency-Key), units driving their
// incident through en route, on scene, cleared and back to pending when recalled, and
// bad input and wrong roles.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { RASHT, code, field, newNumber, startCentre } from './lib/centre.mjs';
import { DATA_DIR, count, removeDir, sql } from './lib/server.mjs';
import { openEvents } from './lib/sse.mjs';

const UNITS = JSON.parse(readFileSync(join(DATA_DIR, 'units.json'), 'utf8')).units;
const SPEED_KMH = { car: 50, motorcycle: 40, traffic: 50, special: 45 };

let srv;
let as;
let stream;

before(async () => {
  ({ srv, as } = await startCentre());
  stream = await openEvents(srv, { token: as.supervisor.token });
});
after(async () => {
  stream?.close();
  if (!srv) return;
  await srv.stop();
  removeDir(srv.dir);
});

const get = (path, role = 'dispatcher') => srv.api('GET', path, { token: as[role].token });
const recommend = (id, query = '', role = 'dispatcher') => get(`/api/v1/incidents/${id}/recommendations${query}`, role);
const assign = (id, unitId, opts = {}, role = 'dispatcher') =>
  srv.api('POST', `/api/v1/incidents/${id}/assignments`, { token: as[role].token, body: { unit_id: unitId }, ...opts });
const setStatus = (id, status) => srv.api('PATCH', `/api/v1/units/${id}`, { token: as.dispatcher.token, body: { status } });
const incidentOf = async (id) => (await get(`/api/v1/incidents/${id}`)).json.incident;
const timeline = async (id) => (await get(`/api/v1/incidents/${id}/timeline`)).json.items;
const unitById = async (id) => (await get('/api/v1/units')).json.items.find((u) => u.id === id);

async function incident(body = {}) {
  const c = await srv.api('POST', '/api/v1/calls', {
    token: as.call_taker.token,
    body: { caller_number: newNumber(), type: 'fight', location: RASHT, ...body },
  });
  assert.equal(c.status, 201, c.text);
  const r = await srv.api('POST', '/api/v1/incidents', { token: as.call_taker.token, body: { call_id: c.json.id } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

describe('recommendations', () => {
  test('available, suitable units ranked by estimated travel time, with distances and reasons', async () => {
    const inc = await incident({ type: 'fight' });
    const r = await recommend(inc.id, '?limit=20');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.incident_id, inc.id);
    assert.equal(r.json.located, true);
    const items = r.json.items;
    assert.equal(items.length, 20);
    let lastKey = -Infinity;
    for (const it of items) {
      assert.equal(it.unit.status, 'available');
      assert.notEqual(it.unit.type, 'motorcycle', 'motorcycles are not sent to violence');
      assert.notEqual(it.unit.type, 'traffic', 'traffic units are not sent to crime');
      assert.ok(Math.abs(it.road_m - it.straight_m * 1.3) < 1e-6);
      assert.equal(it.eta_s, Math.ceil(it.road_m / (SPEED_KMH[it.unit.type] / 3.6) - 1e-9));
      const key = it.eta_s - (it.reasons.includes('type_preferred') ? 120 : 0);
      assert.ok(key >= lastKey, 'ranked by travel time, less the bonus of a preferred type');
      lastKey = key;
      assert.equal(it.position_source, 'station');
      assert.equal(it.stale, true);
      assert.ok(it.reasons.includes('stale_position'));
      assert.equal(it.reasons.includes('type_preferred'), it.unit.type === 'special');
    }
    assert.ok(items[0].reasons.includes('same_county'));
    const nearest = Math.min(...items.map((i) => i.road_m));
    for (const it of items) assert.equal(it.reasons.includes('nearest'), it.road_m === nearest);
  });

  test('a crash prefers traffic units; a unit that reported nearby moments ago comes first', async () => {
    const crash = await incident({ type: 'crash_damage' });
    const r1 = await recommend(crash.id, '?limit=5');
    assert.equal(r1.json.items[0].unit.type, 'traffic');
    assert.ok(r1.json.items[0].reasons.includes('type_preferred'));
    const car = (await get('/api/v1/units?station=rasht-k14')).json.items.find((u) => u.type === 'car');
    const rep = await srv.api('POST', `/api/v1/units/${car.id}/positions`, { token: as.dispatcher.token, body: { lat: RASHT.lat + 0.0005, lon: RASHT.lon } });
    assert.equal(rep.status, 201, rep.text);
    const theft = await incident({ type: 'theft' });
    const r2 = await recommend(theft.id, '?limit=3');
    assert.equal(r2.json.items[0].unit.id, car.id);
    assert.equal(r2.json.items[0].position_source, 'reported');
    assert.equal(r2.json.items[0].stale, false);
    assert.ok(r2.json.items[0].straight_m < 100);
    assert.ok(!r2.json.items[0].reasons.includes('stale_position'));
  });

  test('an incident without a location gets the suitable units without distances', async () => {
    const inc = await incident({ location: undefined, address: 'رشت، خیابان امام', county: 'rasht' });
    const r = await recommend(inc.id, '?limit=5');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.located, false);
    assert.equal(r.json.items.length, 5);
    for (const it of r.json.items) {
      assert.equal(it.straight_m, null);
      assert.equal(it.road_m, null);
      assert.equal(it.eta_s, null);
      assert.ok(!it.reasons.includes('nearest'));
    }
  });

  test('bad input, unknown incidents and wrong roles', async () => {
    const inc = await incident();
    for (const q of ['?limit=0', '?limit=257', '?limit=x']) {
      const r = await recommend(inc.id, q);
      assert.equal(r.status, 400, q);
      assert.equal(field(r), 'limit');
    }
    assert.equal((await recommend(999999)).status, 404);
    for (const role of ['call_taker', 'analyst', 'commander', 'admin']) assert.equal((await recommend(inc.id, '', role)).status, 403, role);
    assert.equal((await recommend(inc.id, '', 'supervisor')).status, 200);
  });
});

describe('assignments', () => {
  test('one transaction and one event: the unit is dispatched, the incident too, with a timeline line', async () => {
    const inc = await incident();
    const unit = (await recommend(inc.id, '?limit=1')).json.items[0].unit;
    const events = count(srv.db, 'events');
    const r = await assign(inc.id, unit.id);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.incident.status, 'dispatched');
    assert.ok(r.json.incident.dispatched_at);
    assert.equal(r.json.unit.id, unit.id);
    assert.equal(r.json.unit.status, 'dispatched');
    assert.equal(r.json.unit.incident_id, inc.id);
    assert.equal(count(srv.db, 'events'), events + 1, 'exactly one event');
    const ev = await stream.waitForEvent((e) => e.event === 'incident.updated' && e.data.payload.line?.kind === 'assigned' && e.data.payload.incident.id === inc.id, 'the assignment event');
    assert.equal(ev.data.payload.unit.id, unit.id);
    assert.equal(ev.data.payload.unit.status, 'dispatched');
    assert.equal(ev.data.payload.incident.status, 'dispatched');
    const line = (await timeline(inc.id)).find((l) => l.kind === 'assigned');
    assert.equal(line.data.unit_id, unit.id);
    assert.equal(line.data.from, 'pending');
    assert.equal(line.data.to, 'dispatched');
    assert.equal(line.actor, 'dispatcher1');
    assert.equal(Number(sql(srv.db, `SELECT count(*) FROM audit WHERE action = 'incident.assigned' AND subject = 'incident:${inc.id}'`)), 1);
    const onIt = (await get(`/api/v1/units?incident_id=${inc.id}`)).json.items;
    assert.deepEqual(onIt.map((u) => u.id), [unit.id]);
    assert.equal((await incidentOf(inc.id)).status, 'dispatched');
  });

  test('a unit that is not available is 409 (field unit_id), and the refusal changes nothing', async () => {
    const first = await incident();
    const second = await incident();
    const unit = (await recommend(first.id, '?limit=1')).json.items[0].unit;
    assert.equal((await assign(first.id, unit.id)).status, 201);
    const lines = (await timeline(second.id)).length;
    const events = count(srv.db, 'events');
    const r = await assign(second.id, unit.id);
    assert.equal(r.status, 409, r.text);
    assert.equal(code(r), 'conflict');
    assert.equal(field(r), 'unit_id');
    assert.match(r.json.error.message, /^unit_not_available: the unit is dispatched/);
    assert.equal((await incidentOf(second.id)).status, 'pending');
    assert.equal((await unitById(unit.id)).incident_id, first.id);
    assert.equal((await timeline(second.id)).length, lines);
    assert.equal(count(srv.db, 'events'), events);
    const busy = (await get('/api/v1/units?station=rasht-k13')).json.items[0];
    assert.equal((await setStatus(busy.id, 'busy')).status, 200);
    const b = await assign(second.id, busy.id);
    assert.equal(b.status, 409);
    assert.match(b.json.error.message, /busy/);
    assert.equal((await setStatus(busy.id, 'available')).status, 200);
  });

  test('an unknown unit or incident is 404; bad bodies are 400; only dispatchers and supervisors assign', async () => {
    const inc = await incident();
    const unknown = await assign(inc.id, 999999);
    assert.equal(unknown.status, 404);
    assert.equal(field(unknown), 'unit_id');
    const unit = (await recommend(inc.id, '?limit=1')).json.items[0].unit;
    assert.equal((await assign(999999, unit.id)).status, 404);
    for (const [body, f] of [[{}, 'unit_id'], [{ unit_id: 'x' }, 'unit_id'], [{ unit_id: 0 }, 'unit_id'], [{ unit_id: unit.id, note: 'x' }, 'note']]) {
      const r = await srv.api('POST', `/api/v1/incidents/${inc.id}/assignments`, { token: as.dispatcher.token, body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(field(r), f);
    }
    for (const role of ['call_taker', 'analyst', 'commander', 'admin']) assert.equal((await assign(inc.id, unit.id, {}, role)).status, 403, role);
    assert.equal((await unitById(unit.id)).status, 'available');
  });

  test('Idempotency-Key: a retried assignment answers the first result and assigns once', async () => {
    const inc = await incident();
    const unit = (await recommend(inc.id, '?limit=1')).json.items[0].unit;
    const headers = { 'idempotency-key': `assign-${inc.id}` };
    const a = await assign(inc.id, unit.id, { headers });
    const b = await assign(inc.id, unit.id, { headers });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.equal(b.headers['idempotent-replayed'], 'true');
    assert.deepEqual(b.json, a.json);
    assert.equal((await timeline(inc.id)).filter((l) => l.kind === 'assigned').length, 1);
  });

  test('a cleared or closed incident takes no unit and gets no recommendation (409)', async () => {
    const inc = await incident();
    const closed = await srv.api('POST', `/api/v1/incidents/${inc.id}/status`, { token: as.dispatcher.token, body: { status: 'closed', disposition: 'unfounded' } });
    assert.equal(closed.status, 200, closed.text);
    assert.equal((await recommend(inc.id)).status, 409);
    const unit = UNITS.find((u) => u.station === 'rasht-k15');
    const id = (await get('/api/v1/units?station=rasht-k15')).json.items.find((u) => u.code === unit.code).id;
    const r = await assign(inc.id, id);
    assert.equal(r.status, 409);
    assert.equal(code(r), 'conflict');
  });
});

describe('units drive their incident', () => {
  test('two units: en route, on scene, one leaves (no change), the last leaves (cleared), then closed', async () => {
    const inc = await incident();
    const [u1, u2] = (await recommend(inc.id, '?limit=2')).json.items.map((i) => i.unit);
    assert.equal((await assign(inc.id, u1.id)).status, 201);
    const again = await assign(inc.id, u2.id);
    assert.equal(again.status, 201, 'a second unit joins');
    const dispatchedAt = (await incidentOf(inc.id)).dispatched_at;
    assert.equal(again.json.incident.status, 'dispatched');
    assert.equal(again.json.incident.dispatched_at, dispatchedAt, 'the first dispatch time is kept');

    const steps = [
      [u1, 'en_route', 'en_route', 'status'],
      [u2, 'on_scene', 'on_scene', 'status'],
      [u1, 'on_scene', 'on_scene', 'unit_status'],
      [u1, 'available', 'on_scene', 'unit_status'],
      [u2, 'available', 'cleared', 'status'],
    ];
    for (const [u, status, incStatus, kind] of steps) {
      const events = count(srv.db, 'events');
      const r = await setStatus(u.id, status);
      assert.equal(r.status, 200, r.text);
      assert.equal(count(srv.db, 'events'), events + 1, 'one event per move');
      const i = await incidentOf(inc.id);
      assert.equal(i.status, incStatus, `${u.code} ${status}`);
      const last = (await timeline(inc.id)).at(-1);
      assert.equal(last.kind, kind);
      assert.equal(last.data.unit_id, u.id);
      assert.equal(last.data.unit_to, status);
      const ev = await stream.waitForEvent((e) => e.event === 'incident.updated' && e.data.payload.line?.id === last.id, 'the move event');
      assert.equal(ev.data.payload.unit.status, status);
    }
    const done = await incidentOf(inc.id);
    assert.ok(done.en_route_at && done.on_scene_at && done.cleared_at);
    assert.equal((await unitById(u1.id)).incident_id, null);
    assert.equal((await setStatus(u2.id, 'busy')).status, 200, 'free again for other work');
    assert.equal((await setStatus(u2.id, 'available')).status, 200);
    const closed = await srv.api('POST', `/api/v1/incidents/${inc.id}/status`, { token: as.dispatcher.token, body: { status: 'closed', disposition: 'arrest' } });
    assert.equal(closed.status, 200, closed.text);
  });

  test('a unit on an incident cannot go busy before it clears; recalling every unit makes the incident pending again', async () => {
    const inc = await incident();
    const u = (await recommend(inc.id, '?limit=1')).json.items[0].unit;
    assert.equal((await assign(inc.id, u.id)).status, 201);
    const busy = await setStatus(u.id, 'busy');
    assert.equal(busy.status, 409);
    assert.match(busy.json.error.message, /available/);
    assert.equal((await setStatus(u.id, 'available')).status, 200);
    const i = await incidentOf(inc.id);
    assert.equal(i.status, 'pending', 'recalled');
    assert.ok(i.dispatched_at, 'the first dispatch stays recorded');
    const line = (await timeline(inc.id)).at(-1);
    assert.equal(line.kind, 'status');
    assert.deepEqual([line.data.from, line.data.to], ['dispatched', 'pending']);
  });
});

test('every event the stream carried matched the document', () => {
  assert.deepEqual(stream.problems, []);
});
