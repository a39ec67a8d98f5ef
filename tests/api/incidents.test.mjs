// incidents.test.mjs — incidents made from calls: numbering by Jalali year (Persian or
// Latin digits), what they take from the call, the status machine with its illegal
// moves (409) and dispositions, notes appended to the timeline, reading and listing
// with filters and paging, Idempotency-Key, two clients seeing the same events, bad
// input and wrong roles.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ANZALI, RASHT, code, field, newNumber, startCentre } from './lib/centre.mjs';
import { count, sql, stopAndRemove } from './lib/server.mjs';
import { openEvents } from './lib/sse.mjs';

let srv;
let as;
let jalaliYear;
const streams = [];

before(async () => {
  ({ srv, as } = await startCentre());
  jalaliYear = (await srv.api('GET', '/api/v1/time')).json.jalali_latin.year;
});
after(() => stopAndRemove(srv, streams));

const get = (path, role = 'dispatcher') => srv.api('GET', path, { token: as[role].token });
const create = (callId, opts = {}, role = 'call_taker') =>
  srv.api('POST', '/api/v1/incidents', { token: as[role].token, body: { call_id: callId }, ...opts });
const move = (id, body, role = 'dispatcher') => srv.api('POST', `/api/v1/incidents/${id}/status`, { token: as[role].token, body });
const note = (id, text, role = 'dispatcher') => srv.api('POST', `/api/v1/incidents/${id}/notes`, { token: as[role].token, body: { text } });
const timeline = async (id) => (await get(`/api/v1/incidents/${id}/timeline`)).json.items;

async function call(body = {}) {
  const r = await srv.api('POST', '/api/v1/calls', {
    token: as.call_taker.token,
    body: { caller_number: newNumber(), type: 'burglary', location: RASHT, ...body },
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function incident(body = {}) {
  const c = await call(body);
  const r = await create(c.id);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const persianDigits = (s) => s.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[d]);

describe('creating an incident from a call', () => {
  test('it takes the call\'s type, priority, place and answer time, and is numbered by Jalali year', async () => {
    const c = await call({ type: 'armed_robbery', address: 'رشت، میدان شهرداری', answer_at: '2025-10-01T08:30:05Z' });
    const r = await create(c.id);
    assert.equal(r.status, 201, r.text);
    const i = r.json;
    assert.equal(i.type, 'armed_robbery');
    assert.equal(i.priority, c.priority);
    assert.deepEqual(i.location, { lat: RASHT.lat, lon: RASHT.lon });
    assert.equal(i.county, 'rasht');
    assert.equal(i.address, 'رشت، میدان شهرداری');
    assert.equal(i.answer_at, '2025-10-01T08:30:05.000Z');
    assert.equal(i.status, 'pending');
    assert.equal(i.call_count, 1);
    assert.equal(i.first_call_id, c.id);
    assert.equal(i.year, jalaliYear);
    assert.equal(i.number_latin, `${jalaliYear}-${String(i.seq).padStart(6, '0')}`);
    assert.equal(i.number, persianDigits(i.number_latin), 'Persian digits by default');
    for (const k of ['dispatched_at', 'en_route_at', 'on_scene_at', 'cleared_at', 'closed_at', 'disposition']) assert.equal(i[k], null, k);
    // The call now belongs to it, and the timeline starts with its creation.
    assert.equal((await get(`/api/v1/calls/${c.id}`)).json.incident_id, i.id);
    const [line, ...rest] = await timeline(i.id);
    assert.deepEqual(rest, []);
    assert.equal(line.kind, 'created');
    assert.equal(line.actor, 'calltaker1');
    assert.equal(line.actor_id, as.call_taker.user.id);
    assert.equal(line.data.call_id, c.id);
    assert.ok(Math.abs(Date.parse(line.time) - Date.now()) < 60000);
  });

  test('numbers follow one another within the year', async () => {
    const a = await incident();
    const b = await incident();
    assert.equal(b.year, a.year);
    assert.equal(b.seq, a.seq + 1);
  });

  test('a user who prefers Latin digits sees the number in Latin', async () => {
    const me = await srv.api('PATCH', '/api/v1/me', { token: as.supervisor.token, body: { latin_digits: true } });
    assert.equal(me.status, 200, me.text);
    const c = await call();
    const r = await create(c.id, {}, 'supervisor');
    assert.equal(r.json.number, r.json.number_latin);
    assert.match(r.json.number, /^\d{4}-\d{6}$/);
    assert.equal((await get(`/api/v1/incidents/${r.json.id}`, 'supervisor')).json.incident.number, r.json.number_latin);
    assert.equal((await get(`/api/v1/incidents/${r.json.id}`, 'dispatcher')).json.incident.number, persianDigits(r.json.number_latin));
  });

  test('a call that already has an incident is 409; unknown calls 404; bad bodies 400', async () => {
    const i = await incident();
    const again = await create(i.first_call_id);
    assert.equal(again.status, 409);
    assert.equal(field(again), 'call_id');
    assert.match(again.json.error.message, new RegExp(`incident ${i.id}`));
    const unknown = await create(999999);
    assert.equal(unknown.status, 404);
    assert.equal(field(unknown), 'call_id');
    for (const body of [{}, { call_id: 'one' }, { call_id: 0 }, { call_id: 1, status: 'pending' }]) {
      const r = await srv.api('POST', '/api/v1/incidents', { token: as.call_taker.token, body });
      assert.equal(r.status, 400, JSON.stringify(body));
    }
  });

  test('Idempotency-Key: a retry answers the same incident and makes no second one', async () => {
    const c = await call();
    const headers = { 'idempotency-key': 'incidents-idem-1' };
    const rows = count(srv.db, 'incidents');
    const a = await create(c.id, { headers });
    const b = await create(c.id, { headers });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.equal(b.headers['idempotent-replayed'], 'true');
    assert.deepEqual(b.json, a.json);
    assert.equal(count(srv.db, 'incidents'), rows + 1);
  });

  test('only the call floor creates incidents', async () => {
    const c = await call();
    for (const role of ['analyst', 'commander', 'oversight', 'records', 'admin']) assert.equal((await create(c.id, {}, role)).status, 403, role);
    assert.equal((await create(c.id, {}, 'dispatcher')).status, 201);
  });

  test('two connected clients see the same incident events', async () => {
    const a = await openEvents(srv, { token: as.dispatcher.token });
    const b = await openEvents(srv, { token: as.commander.token });
    streams.push(a, b);
    const i = await incident({ type: 'fire' });
    await note(i.id, 'آتش‌نشانی در جریان است');
    const mine = (e) => e.data?.subject === `incident:${i.id}`;
    for (const s of [a, b]) await s.waitFor((x) => x.events.filter(mine).length === 2, 'two incident events');
    const seen = (s) => s.events.filter(mine).map((e) => ({ id: e.id, type: e.event, payload: e.data.payload }));
    assert.deepEqual(seen(a), seen(b));
    assert.deepEqual(seen(a).map((e) => e.type), ['incident.created', 'incident.updated']);
    assert.equal(seen(a)[0].payload.incident.id, i.id);
    assert.equal(seen(a)[1].payload.line.kind, 'note');
    assert.deepEqual([...a.problems, ...b.problems], []);
  });
});

describe('status', () => {
  test('pending → closed with a disposition; then nothing moves it', async () => {
    const i = await incident();
    const r = await move(i.id, { status: 'closed', disposition: 'unfounded' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'closed');
    assert.equal(r.json.disposition, 'unfounded');
    assert.ok(r.json.closed_at);
    const line = (await timeline(i.id)).at(-1);
    assert.equal(line.kind, 'status');
    assert.deepEqual(line.data, { from: 'pending', to: 'closed', disposition: 'unfounded' });
    assert.equal(line.actor, 'dispatcher1');
    for (const status of ['pending', 'en_route', 'on_scene', 'cleared', 'closed']) {
      const x = await move(i.id, status === 'closed' ? { status, disposition: 'arrest' } : { status });
      assert.equal(x.status, 409, `closed → ${status}`);
      assert.equal(code(x), 'conflict');
    }
    assert.equal(sql(srv.db, `SELECT disposition FROM incidents WHERE id = ${i.id}`), 'unfounded');
  });

  test('an illegal move is 409 naming both statuses, and changes nothing', async () => {
    const i = await incident();
    for (const status of ['en_route', 'on_scene', 'cleared']) {
      const r = await move(i.id, { status });
      assert.equal(r.status, 409, status);
      assert.equal(field(r), 'status');
      assert.match(r.json.error.message, new RegExp(`from pending to ${status}`));
    }
    const same = await move(i.id, { status: 'pending' });
    assert.equal(same.status, 409);
    // Only an assignment dispatches an incident.
    const d = await move(i.id, { status: 'dispatched' });
    assert.equal(d.status, 409);
    assert.match(d.json.error.message, /assign/);
    assert.equal((await get(`/api/v1/incidents/${i.id}`)).json.incident.status, 'pending');
    assert.equal((await timeline(i.id)).length, 1);
  });

  test('closing needs a known disposition; other moves take none; bad bodies are 400', async () => {
    const i = await incident();
    const cases = [
      [{ status: 'closed' }, 'missing_field', 'disposition'],
      [{ status: 'closed', disposition: 'solved_by_magic' }, 'invalid_field', 'disposition'],
      [{ status: 'cleared', disposition: 'arrest' }, 'invalid_field', 'disposition'],
      [{ status: 'finished' }, 'invalid_field', 'status'],
      [{}, 'missing_field', 'status'],
      [{ status: 'closed', disposition: 'arrest', reason: 'x' }, 'unknown_field', 'reason'],
    ];
    for (const [body, c, f] of cases) {
      const r = await move(i.id, body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(code(r), c, JSON.stringify(body));
      assert.equal(field(r), f, JSON.stringify(body));
    }
    assert.equal((await move(999999, { status: 'closed', disposition: 'arrest' })).status, 404);
    assert.equal((await get(`/api/v1/incidents/${i.id}`)).json.incident.status, 'pending');
  });

  test('with a unit on it: dispatched, en route, on scene, cleared, closed; never back from the scene', async () => {
    const i = await incident({ type: 'fight', location: RASHT });
    const units = await get('/api/v1/units?status=available&county=rasht');
    assert.equal(units.status, 200, units.text);
    const unit = units.json.items[0];
    const a = await srv.api('POST', `/api/v1/incidents/${i.id}/assignments`, { token: as.dispatcher.token, body: { unit_id: unit.id } });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.json.incident.status, 'dispatched');
    const detail = (await get(`/api/v1/incidents/${i.id}`)).json;
    assert.deepEqual(detail.units.map((u) => [u.id, u.status, u.incident_id]), [[unit.id, 'dispatched', i.id]]);
    const steps = [];
    for (const status of ['en_route', 'on_scene']) {
      const r = await move(i.id, { status });
      assert.equal(r.status, 200, `${status}: ${r.text}`);
      steps.push(r.json);
    }
    const [enRoute, onScene] = steps;
    assert.ok(enRoute.en_route_at && onScene.on_scene_at);
    assert.equal(onScene.en_route_at, enRoute.en_route_at, 'the first time of each step is kept');
    assert.equal(onScene.dispatched_at, a.json.incident.dispatched_at);
    for (const status of ['pending', 'dispatched', 'en_route']) assert.equal((await move(i.id, { status })).status, 409, `on_scene → ${status}`);
    assert.equal((await move(i.id, { status: 'closed', disposition: 'arrest' })).status, 409, 'closing needs clearing first');
    const cleared = await move(i.id, { status: 'cleared' });
    assert.equal(cleared.status, 200);
    // Clearing by hand frees the unit still on it.
    const freed = (await get(`/api/v1/units?incident_id=${i.id}`)).json.items;
    assert.deepEqual(freed, []);
    assert.deepEqual((await get(`/api/v1/incidents/${i.id}`)).json.units, []);
    const back = (await get('/api/v1/units?status=available&county=rasht')).json.items.find((u) => u.id === unit.id);
    assert.equal(back?.incident_id, null);
    assert.deepEqual((await timeline(i.id)).at(-1).data.released_units, [unit.id]);
    const closed = await move(i.id, { status: 'closed', disposition: 'arrest' });
    assert.equal(closed.status, 200);
    assert.ok(closed.json.cleared_at && closed.json.closed_at);
    const kinds = (await timeline(i.id)).map((l) => (l.kind === 'status' ? `${l.data.from}>${l.data.to}` : l.kind));
    assert.deepEqual(kinds, ['created', 'assigned', 'dispatched>en_route', 'en_route>on_scene', 'on_scene>cleared', 'cleared>closed']);
  });

  test('recalling every unit returns the incident to pending and frees them', async () => {
    const i = await incident({ type: 'assault', location: RASHT });
    const unit = (await get('/api/v1/units?status=available&county=rasht')).json.items[0];
    const a = await srv.api('POST', `/api/v1/incidents/${i.id}/assignments`, { token: as.supervisor.token, body: { unit_id: unit.id } });
    assert.equal(a.status, 201, a.text);
    const r = await move(i.id, { status: 'pending' }, 'supervisor');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'pending');
    assert.equal(r.json.dispatched_at, a.json.incident.dispatched_at, 'the first dispatch time stays');
    assert.deepEqual((await get(`/api/v1/units?incident_id=${i.id}`)).json.items, []);
    assert.equal(sql(srv.db, `SELECT status || '|' || ifnull(incident_id, '-') FROM units WHERE id = ${unit.id}`), '0|-');
  });

  test('dispatchers and supervisors move incidents; no one else', async () => {
    const i = await incident();
    for (const role of ['call_taker', 'analyst', 'commander', 'oversight', 'records', 'admin']) {
      assert.equal((await move(i.id, { status: 'closed', disposition: 'duplicate' }, role)).status, 403, role);
    }
    assert.equal((await move(i.id, { status: 'closed', disposition: 'duplicate' }, 'supervisor')).status, 200);
  });
});

describe('notes and the timeline', () => {
  test('notes are appended in order, normalised, with who and when', async () => {
    const i = await incident({ type: 'missing_child' });
    const a = await note(i.id, 'پدر كودك در محل است', 'call_taker');
    assert.equal(a.status, 201, a.text);
    assert.equal(a.json.kind, 'note');
    assert.equal(a.json.text, 'پدر کودک در محل است');
    assert.equal(a.json.actor, 'calltaker1');
    assert.equal(a.json.incident_id, i.id);
    const b = await note(i.id, 'عکس کودک دریافت شد', 'supervisor');
    const lines = await timeline(i.id);
    assert.deepEqual(lines.map((l) => [l.kind, l.actor]), [['created', 'calltaker1'], ['note', 'calltaker1'], ['note', 'supervisor1']]);
    assert.deepEqual(lines.slice(1), [a.json, b.json]);
    for (let k = 1; k < lines.length; k++) assert.ok(lines[k].id > lines[k - 1].id && Date.parse(lines[k].time) >= Date.parse(lines[k - 1].time));
    // A closed incident still takes notes (records complete the file); nothing edits one.
    await move(i.id, { status: 'closed', disposition: 'resolved_on_scene' });
    assert.equal((await note(i.id, 'کودک به خانواده تحویل شد')).status, 201);
    const patched = await srv.api('PATCH', `/api/v1/incidents/${i.id}/notes`, { token: as.dispatcher.token, body: { text: 'x' } });
    assert.equal(patched.status, 405);
  });

  test('bad notes are 400; unknown incidents 404; readers cannot write', async () => {
    const i = await incident();
    const lines = (await timeline(i.id)).length;
    for (const body of [{}, { text: '' }, { text: '   ' }, { text: 'x'.repeat(4001) }, { text: 7 }, { text: 'x', pinned: true }]) {
      const r = await srv.api('POST', `/api/v1/incidents/${i.id}/notes`, { token: as.dispatcher.token, body });
      assert.equal(r.status, 400, JSON.stringify(body));
    }
    assert.equal((await note(999999, 'x')).status, 404);
    for (const role of ['analyst', 'commander', 'records']) assert.equal((await note(i.id, 'x', role)).status, 403, role);
    assert.equal((await timeline(i.id)).length, lines);
    assert.equal((await get('/api/v1/incidents/999999/timeline')).status, 404);
  });
});

describe('reading incidents', () => {
  test('one incident with its calls, oldest first, and its timeline; reads audited', async () => {
    const i = await incident({ type: 'flood', location: ANZALI });
    const second = await call({ type: 'flood', location: ANZALI });
    const l = await srv.api('POST', `/api/v1/calls/${second.id}/link`, { token: as.call_taker.token, body: { incident_id: i.id } });
    assert.equal(l.status, 200, l.text);
    for (const role of ['call_taker', 'dispatcher', 'supervisor', 'analyst', 'commander']) {
      const r = await get(`/api/v1/incidents/${i.id}`, role);
      assert.equal(r.status, 200, role);
      assert.deepEqual(r.json.calls.map((c) => c.id), [i.first_call_id, second.id]);
      assert.deepEqual(r.json.timeline.map((x) => x.kind), ['created', 'call_linked']);
      assert.equal(r.json.incident.call_count, 2);
    }
    for (const role of ['oversight', 'records', 'admin']) assert.equal((await get(`/api/v1/incidents/${i.id}`, role)).status, 403, role);
    assert.equal((await get('/api/v1/incidents/999999')).status, 404);
    assert.equal(sql(srv.db, `SELECT count(*) FROM audit WHERE action = 'incident.read' AND subject = 'incident:${i.id}'`), '5');
  });

  test('the list filters by status, county, priority, type and time, newest first, paged', async () => {
    const a = await incident({ type: 'smuggling', location: ANZALI, priority: 3 });
    const b = await incident({ type: 'smuggling', location: ANZALI, priority: 2 });
    const c = await incident({ type: 'smuggling', location: ANZALI, priority: 3 });
    await move(c.id, { status: 'closed', disposition: 'arrest' });
    const ids = async (q) => {
      const r = await get(`/api/v1/incidents?${q}`);
      assert.equal(r.status, 200, `${q}: ${r.text}`);
      return r.json.items.map((x) => x.id);
    };
    assert.deepEqual(await ids('type=smuggling'), [c.id, b.id, a.id]);
    assert.deepEqual(await ids('type=smuggling&status=pending'), [b.id, a.id]);
    assert.deepEqual(await ids('type=smuggling&status=pending,closed'), [c.id, b.id, a.id]);
    assert.deepEqual(await ids('type=smuggling&status=closed'), [c.id]);
    assert.deepEqual(await ids('type=smuggling&priority=3'), [c.id, a.id]);
    assert.deepEqual(await ids('type=smuggling&county=anzali&priority=2'), [b.id]);
    assert.deepEqual(await ids('type=smuggling&county=rasht'), []);
    assert.deepEqual(await ids('type=smuggling&from=2099-01-01T00:00:00Z'), []);
    assert.deepEqual(await ids(`type=smuggling&from=${jalaliYear}&to=${jalaliYear}`), [c.id, b.id, a.id]);
    const pages = [];
    let cursor = null;
    for (let n = 0; n < 5; n++) {
      const r = await get(`/api/v1/incidents?type=smuggling&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(r.json.items.map((x) => x.id));
      cursor = r.json.next_cursor;
      if (!cursor) break;
    }
    assert.deepEqual(pages, [[c.id, b.id], [a.id]]);
  });

  test('bad filters are 400 with the field; the list is for the centre', async () => {
    const cases = [
      ['status=open', 'status'],
      ['status=pending,,x', 'status'],
      ['priority=5', 'priority'],
      ['priority=high', 'priority'],
      ['type=ufo', 'type'],
      ['county=tehran', 'county'],
      ['from=tomorrow', 'from'],
      ['to=1404-00', 'to'],
      ['limit=500', 'limit'],
      ['cursor=-3', 'cursor'],
    ];
    for (const [q, f] of cases) {
      const r = await get(`/api/v1/incidents?${q}`);
      assert.equal(r.status, 400, `${q}: ${r.text}`);
      assert.equal(field(r), f, q);
    }
    for (const role of ['call_taker', 'dispatcher', 'supervisor', 'analyst', 'commander']) assert.equal((await get('/api/v1/incidents', role)).status, 200, role);
    for (const role of ['oversight', 'records', 'admin']) assert.equal((await get('/api/v1/incidents', role)).status, 403, role);
  });
});
