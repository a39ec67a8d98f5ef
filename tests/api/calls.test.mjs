// calls.test.mjs — call-taking: recording a call (from the phone system's record or
// typed in), Persian text normalised, county derived, priority suggested, repeat
// candidates ranked with their reasons, linking a call to an incident (count,
// priority, timeline), reading and listing with filters and cursor paging,
// Idempotency-Key, bad input and wrong roles.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { ANZALI, RASHT, RASHT_NEAR, code, field, newNumber, startCentre } from './lib/centre.mjs';
import { count, metricValue, removeDir, sql, startServer, stopAndRemove } from './lib/server.mjs';
import { openEvents } from './lib/sse.mjs';

let srv;
let as;
let key;
const streams = [];

before(async () => {
  ({ srv, as, phoneKey: key } = await startCentre());
});
after(() => stopAndRemove(srv, streams));

const phone = (body) => srv.api('POST', '/api/v1/telephony/events', { apikey: key, body });
const take = (body, opts = {}) => srv.api('POST', '/api/v1/calls', { token: as.call_taker.token, body, ...opts });
const get = (path, role = 'dispatcher') => srv.api('GET', path, { token: as[role].token });

async function taken(body) {
  const r = await take(body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function incidentFrom(callId) {
  const r = await srv.api('POST', '/api/v1/incidents', { token: as.call_taker.token, body: { call_id: callId } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const link = (callId, incidentId, role = 'call_taker') =>
  srv.api('POST', `/api/v1/calls/${callId}/link`, { token: as[role].token, body: { incident_id: incidentId } });

describe('recording a call', () => {
  test('from the phone system: number, location and times come from its record', async () => {
    const number = newNumber();
    await phone({ event: 'ring', telephony_call_id: 'c-1', time: '2025-10-01T08:30:00Z', ani: number, location: { ...RASHT, uncertainty_m: 40, source: 'gnss' } });
    await phone({ event: 'answer', telephony_call_id: 'c-1', time: '2025-10-01T08:30:06Z' });
    const c = await taken({ telephony_call_id: 'c-1', type: 'theft', narrative: 'سرقت گوشي از داخل خودرو' });
    assert.equal(c.telephony_call_id, 'c-1');
    assert.equal(c.caller_number, number);
    assert.deepEqual(c.location, { ...RASHT, uncertainty_m: 40 });
    assert.equal(c.ring_at, '2025-10-01T08:30:00.000Z');
    assert.equal(c.answer_at, '2025-10-01T08:30:06.000Z');
    assert.equal(c.county, 'rasht', 'derived from the location');
    assert.equal(c.priority, 3, "the type's priority");
    assert.equal(c.outcome, 'operation');
    assert.equal(c.narrative, 'سرقت گوشی از داخل خودرو', 'Arabic yeh normalised');
    assert.equal(c.incident_id, null);
    assert.equal(c.taker_id, as.call_taker.user.id);
    assert.ok(Math.abs(Date.parse(c.created_at) - Date.now()) < 60000);
    assert.ok(Array.isArray(c.duplicate_candidates));
    // The phone system's record now points at the call.
    assert.equal(sql(srv.db, "SELECT call_id FROM telephony_calls WHERE ext_id = 'c-1'"), String(c.id));
    const { duplicate_candidates: _, ...stored } = c;
    assert.deepEqual((await get(`/api/v1/calls/${c.id}`)).json, stored);
  });

  test("the phone system's number is put in the same form; a withheld one is kept as sent", async () => {
    await phone({ event: 'ring', telephony_call_id: 'c-ani-1', ani: '+98 911 555-0001', location: RASHT });
    assert.equal((await taken({ telephony_call_id: 'c-ani-1', type: 'theft' })).caller_number, '+989115550001');
    await phone({ event: 'ring', telephony_call_id: 'c-ani-2', ani: 'anonymous', location: RASHT });
    assert.equal((await taken({ telephony_call_id: 'c-ani-2', type: 'theft' })).caller_number, 'anonymous');
  });

  test('what the call-taker gives wins over the phone system', async () => {
    await phone({ event: 'ring', telephony_call_id: 'c-2', ani: newNumber(), location: RASHT });
    const number = newNumber();
    const c = await taken({
      telephony_call_id: 'c-2',
      caller_number: number,
      location: ANZALI,
      ring_at: '2025-10-01T10:00:00Z',
      answer_at: '2025-10-01T10:00:03Z',
      type: 'fight',
      priority: 1,
    });
    assert.equal(c.caller_number, number);
    assert.deepEqual(c.location, { ...ANZALI, uncertainty_m: 0 });
    assert.equal(c.county, 'anzali');
    assert.equal(c.ring_at, '2025-10-01T10:00:00.000Z');
    assert.equal(c.answer_at, '2025-10-01T10:00:03.000Z');
    assert.equal(c.priority, 1, 'the priority can be overridden');
  });

  test('typed in: the number in one form, answered now, text normalised', async () => {
    const c = await taken({
      caller_number: '+98 (۹۱۱) ۲۲۲-۳۳۴۴',
      caller_name: '  علي  كريمي ',
      address: 'رشت،  خيابان امام',
      type: 'noise',
      outcome: 'non_emergency',
    });
    assert.equal(c.caller_number, '+989112223344');
    assert.equal(c.caller_name, 'علی کریمی');
    assert.equal(c.address, 'رشت، خیابان امام');
    assert.equal(c.location, null);
    assert.equal(c.county, null);
    assert.equal(c.ring_at, null);
    assert.ok(Math.abs(Date.parse(c.answer_at) - Date.now()) < 60000);
    assert.equal(c.telephony_call_id, null);
    assert.equal(c.outcome, 'non_emergency');
    assert.equal(c.priority, 4);
  });

  test('a county given is checked against the list; guidance needs no place', async () => {
    const c = await taken({ caller_number: newNumber(), county: 'lahijan', address: 'لاهیجان', type: 'information', outcome: 'guidance' });
    assert.equal(c.county, 'lahijan');
    const g = await taken({ caller_number: newNumber(), type: 'information', outcome: 'guidance' });
    assert.equal(g.location, null);
    assert.equal(g.address, null);
    const bad = await take({ caller_number: newNumber(), county: 'tehran', address: 'x', type: 'theft' });
    assert.equal(bad.status, 400);
    assert.equal(field(bad), 'county');
  });

  test('bad input is 400 with the field, and stores nothing', async () => {
    const n = newNumber();
    const base = { caller_number: n, type: 'theft', location: RASHT };
    const cases = [
      [{ caller_number: n, location: RASHT }, 'missing_field', 'type'],
      [{ ...base, type: 'robbery_of_the_century' }, 'invalid_field', 'type'],
      [{ ...base, priority: 5 }, 'invalid_field', 'priority'],
      [{ ...base, priority: 0 }, 'invalid_field', 'priority'],
      [{ ...base, outcome: 'prank' }, 'invalid_field', 'outcome'],
      [{ ...base, caller_number: 'unknown' }, 'invalid_field', 'caller_number'],
      [{ ...base, caller_number: '12' }, 'invalid_field', 'caller_number'],
      [{ type: 'theft', location: RASHT }, 'missing_field', 'caller_number'],
      [{ caller_number: n, type: 'theft' }, 'missing_field', 'location'],
      [{ ...base, location: { lat: 37.2, lon: 200 } }, 'invalid_field', 'location.lon'],
      [{ ...base, location: { lat: 37.2, lon: 49.5, source: 'gnss' } }, 'unknown_field', 'location.source'],
      [{ ...base, location: [37.2, 49.5] }, 'invalid_field', 'location'],
      [{ ...base, ring_at: '1404-07-09' }, 'invalid_field', 'ring_at'],
      [{ ...base, answer_at: 'now' }, 'invalid_field', 'answer_at'],
      [{ ...base, narrative: '' }, 'invalid_field', 'narrative'],
      [{ ...base, address: 'x'.repeat(501) }, 'invalid_field', 'address'],
      [{ ...base, callback: true }, 'unknown_field', 'callback'],
    ];
    const rows = count(srv.db, 'calls');
    for (const [body, c, f] of cases) {
      const r = await take(body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(code(r), c, JSON.stringify(body));
      assert.equal(field(r), f, JSON.stringify(body));
    }
    const unknown = await take({ ...base, telephony_call_id: 'no-such-phone-call' });
    assert.equal(unknown.status, 404);
    assert.equal(field(unknown), 'telephony_call_id');
    assert.equal(count(srv.db, 'calls'), rows);
  });

  test('a phone call is recorded once: a second call for it is 409', async () => {
    await phone({ event: 'ring', telephony_call_id: 'c-3', ani: newNumber(), location: RASHT });
    const first = await taken({ telephony_call_id: 'c-3', type: 'theft' });
    const second = await take({ telephony_call_id: 'c-3', type: 'theft' });
    assert.equal(second.status, 409);
    assert.equal(field(second), 'telephony_call_id');
    assert.match(second.json.error.message, new RegExp(String(first.id)));
  });

  test('Idempotency-Key: a retry answers the first call, stored once; another body is 409', async () => {
    const body = { caller_number: newNumber(), type: 'vandalism', location: RASHT };
    const headers = { 'idempotency-key': 'calls-idem-1' };
    const rows = count(srv.db, 'calls');
    const a = await take(body, { headers });
    const b = await take(body, { headers });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.equal(b.headers['idempotent-replayed'], 'true');
    assert.deepEqual(b.json, a.json);
    assert.equal(count(srv.db, 'calls'), rows + 1);
    const c = await take({ ...body, priority: 1 }, { headers });
    assert.equal(c.status, 409);
    assert.equal(code(c), 'idempotency_mismatch');
  });

  // The filter of keys the server has seen (src/http/idemseen.h), by its two counts.
  const keyCounts = async (server = srv) => {
    const { text } = await server.api('GET', '/metrics', { validate: false });
    return {
      fresh: metricValue(text, 'hamyar_idempotency_keys_new_total'),
      looked: metricValue(text, 'hamyar_idempotency_keys_looked_up_total'),
    };
  };

  test('Idempotency-Key: a new key is not looked up; a key stored behind the server\'s back is still a replay', async () => {
    const before = await keyCounts();
    const body = { caller_number: newNumber(), type: 'theft', location: RASHT };
    const headers = { 'idempotency-key': 'calls-idem-fresh-1' };
    assert.equal((await take(body, { headers })).status, 201);
    const first = await keyCounts();
    assert.deepEqual(first, { fresh: before.fresh + 1, looked: before.looked }, 'straight to the write');
    const again = await take(body, { headers });
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(await keyCounts(), { fresh: first.fresh, looked: first.looked + 1 }, 'a retry reads');

    // An answer stored with a key this server never saw (as another server on the file
    // would): the filter calls it new, and the write, refused by the stored key, answers
    // the stored answer instead of recording a second call.
    const taker = sql(srv.db, "SELECT id FROM users WHERE username = 'calltaker1'");
    const other = { caller_number: newNumber(), type: 'noise', location: ANZALI };
    const hash = createHash('sha256').update(JSON.stringify(other)).digest('hex');
    const stored = '{"id":987654,"note":"stored by another server"}';
    sql(srv.db, 'INSERT INTO idempotency (principal, "key", route, body_hash, status, response, created_ms) ' +
      `VALUES (${taker}, 'calls-idem-behind', 'POST /api/v1/calls', X'${hash}', 201, '${stored}', ${Date.now()})`);
    const rows = count(srv.db, 'calls');
    const beforeBehind = await keyCounts();
    const r = await take(other, { headers: { 'idempotency-key': 'calls-idem-behind' }, validate: false });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers['idempotent-replayed'], 'true');
    assert.equal(r.text, stored);
    assert.equal(count(srv.db, 'calls'), rows, 'no second call');
    assert.equal((await keyCounts()).fresh, beforeBehind.fresh + 1, 'the key was new to the filter');
    const mismatch = await take({ ...other, priority: 1 }, { headers: { 'idempotency-key': 'calls-idem-behind' } });
    assert.equal(code(mismatch), 'idempotency_mismatch');
  });

  test('Idempotency-Key: the keys of answers stored before the server started are looked up', async () => {
    const own = await startCentre();
    let restarted;
    try {
      const body = { caller_number: newNumber(), type: 'theft', location: RASHT };
      const opts = { token: own.as.call_taker.token, body, headers: { 'idempotency-key': 'calls-idem-restart' } };
      const first = await own.srv.api('POST', '/api/v1/calls', opts);
      assert.equal(first.status, 201, first.text);
      await own.srv.stop();
      restarted = await startServer({ db: own.srv.db, dir: own.srv.dir });
      const before = await keyCounts(restarted);
      const again = await restarted.api('POST', '/api/v1/calls', opts);
      assert.equal(again.headers['idempotent-replayed'], 'true', again.text);
      assert.deepEqual(again.json, first.json);
      assert.deepEqual(await keyCounts(restarted), { fresh: before.fresh, looked: before.looked + 1 });
    } finally {
      if (restarted) await restarted.stop();
      else await own.srv.stop();
      removeDir(own.srv.dir);
    }
  });

  test('only call-takers and supervisors record calls', async () => {
    const body = { caller_number: newNumber(), type: 'theft', location: RASHT };
    assert.equal((await srv.api('POST', '/api/v1/calls', { token: as.supervisor.token, body })).status, 201);
    for (const role of ['dispatcher', 'analyst', 'commander', 'oversight', 'records', 'admin']) {
      const r = await srv.api('POST', '/api/v1/calls', { token: as[role].token, body });
      assert.equal(r.status, 403, role);
    }
    assert.equal((await srv.api('POST', '/api/v1/calls', { apikey: key, body })).status, 403);
  });

  test('each call is a live event for the centre and an audit row', async () => {
    const s = await openEvents(srv, { token: as.dispatcher.token });
    streams.push(s);
    const c = await taken({ caller_number: newNumber(), type: 'burglary', location: RASHT });
    const ev = await s.waitForEvent((e) => e.event === 'call.created' && e.data.subject === `call:${c.id}`, 'call.created');
    const { duplicate_candidates: _, ...plain } = c;
    assert.deepEqual(ev.data.payload, plain);
    // written before the writer gave the call its id: the same call as a read of it, id first
    assert.deepEqual(Object.keys(c).slice(0, 2), ['id', 'telephony_call_id']);
    const read = await srv.api('GET', `/api/v1/calls/${c.id}`, { token: as.dispatcher.token });
    assert.deepEqual(read.json, plain);
    assert.equal(sql(srv.db, `SELECT actor || '|' || detail FROM audit WHERE subject = 'call:${c.id}' AND action = 'call.create'`),
      `calltaker1|{"duplicate_candidates":${c.duplicate_candidates.length},"outcome":"operation","priority":${c.priority},"telephony_call_id":null,"type":"burglary"}`);
  });
});

describe('repeat calls', () => {
  test('candidates: the same caller first, then the same or a related type nearby; never refused', async () => {
    const caller = newNumber();
    const first = await taken({ caller_number: caller, type: 'street_robbery', location: RASHT });
    assert.ok(!first.duplicate_candidates.some((d) => d.reasons.includes('same_caller')), 'a new number has no same-caller candidate');
    const robbery = await incidentFrom(first.id);
    const crash = await incidentFrom((await taken({ caller_number: newNumber(), type: 'crash_damage', location: RASHT_NEAR })).id);

    // The same caller again, far away and about something else.
    const again = await taken({ caller_number: `+98${caller.slice(1)}`, type: 'noise', location: ANZALI });
    const same = again.duplicate_candidates.find((d) => d.incident.id === robbery.id);
    assert.ok(same, JSON.stringify(again.duplicate_candidates));
    assert.deepEqual(same.reasons, ['same_caller', 'recent']);
    assert.equal(again.duplicate_candidates[0].incident.id, robbery.id, 'a same-caller candidate ranks first');
    assert.ok(!again.duplicate_candidates.some((d) => d.incident.id === crash.id), 'unrelated and far: no candidate');

    // Someone else, a related type (an assault is how a robbery victim may describe it), 14 m away.
    const related = await taken({ caller_number: newNumber(), type: 'assault', location: RASHT_NEAR });
    const r = related.duplicate_candidates.find((d) => d.incident.id === robbery.id);
    assert.deepEqual(r.reasons, ['related_type', 'nearby', 'recent']);
    assert.ok(r.distance_m >= 0 && r.distance_m < 50, String(r.distance_m));
    assert.equal(r.minutes, 0);
    assert.ok(!related.duplicate_candidates.some((d) => d.incident.id === crash.id), 'a crash is not related to an assault');

    // The same type nearby outranks a related one.
    const sameType = await taken({ caller_number: newNumber(), type: 'crash_damage', location: RASHT });
    const ids = sameType.duplicate_candidates.map((d) => d.incident.id);
    assert.equal(ids[0], crash.id);
    assert.deepEqual(sameType.duplicate_candidates[0].reasons, ['same_type', 'nearby', 'recent']);
    for (const d of sameType.duplicate_candidates) assert.ok(d.score <= sameType.duplicate_candidates[0].score);
  });

  test('without a location only the caller can match; closed incidents are not candidates', async () => {
    const caller = newNumber();
    const a = await taken({ caller_number: caller, type: 'fire', location: RASHT });
    const inc = await incidentFrom(a.id);
    const b = await taken({ caller_number: caller, type: 'fire', address: 'رشت' });
    const d = b.duplicate_candidates.find((x) => x.incident.id === inc.id);
    assert.deepEqual(d.reasons, ['same_caller', 'same_type', 'recent']);
    assert.equal(d.distance_m, null);
    const closed = await srv.api('POST', `/api/v1/incidents/${inc.id}/status`, { token: as.dispatcher.token, body: { status: 'closed', disposition: 'unfounded' } });
    assert.equal(closed.status, 200, closed.text);
    const c = await taken({ caller_number: caller, type: 'fire', location: RASHT });
    assert.ok(!c.duplicate_candidates.some((x) => x.incident.id === inc.id));
  });

  test('the open incidents are read once while none changes, and again as soon as one does', async () => {
    const searches = async () => {
      const { text } = await srv.api('GET', '/metrics', { validate: false });
      return {
        kept: metricValue(text, 'hamyar_repeat_searches_kept_total'),
        read: metricValue(text, 'hamyar_repeat_searches_read_total'),
      };
    };
    const caller = newNumber();
    const before = await searches();
    const first = await taken({ caller_number: caller, type: 'vandalism', location: RASHT });
    for (let i = 0; i < 4; i++) await taken({ caller_number: newNumber(), type: 'noise', location: ANZALI });
    const quiet = await searches();
    assert.equal(quiet.kept + quiet.read - before.kept - before.read, 5, 'one search a call');
    // New calls change no incident: what one read is used by the next (for up to a second).
    assert.ok(quiet.kept - before.kept >= 3, `read ${quiet.read - before.read} times for 5 calls`);

    // An incident made from the first call is a candidate for the very next one.
    const inc = await incidentFrom(first.id);
    const next = await taken({ caller_number: caller, type: 'vandalism', location: RASHT });
    assert.ok(next.duplicate_candidates.some((d) => d.incident.id === inc.id), JSON.stringify(next.duplicate_candidates));
    assert.ok((await searches()).read > quiet.read, 'read again after the change');
  });
});

describe('linking a call to an incident', () => {
  test('the incident counts the call and shows it; a retry changes nothing', async () => {
    const a = await taken({ caller_number: newNumber(), type: 'drug_dealing', location: ANZALI });
    const inc = await incidentFrom(a.id);
    const b = await taken({ caller_number: newNumber(), type: 'drug_dealing', location: ANZALI });
    assert.ok(b.duplicate_candidates.some((d) => d.incident.id === inc.id));
    const s = await openEvents(srv, { token: as.supervisor.token });
    streams.push(s);
    const r = await link(b.id, inc.id);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.call.incident_id, inc.id);
    assert.equal(r.json.incident.call_count, 2);
    assert.equal(r.json.incident.priority, inc.priority, 'the second call leaves the priority');
    const line = (await get(`/api/v1/incidents/${inc.id}/timeline`)).json.items.at(-1);
    assert.equal(line.kind, 'call_linked');
    assert.equal(line.data.call_id, b.id);
    assert.equal(line.actor, 'calltaker1');
    const ev = await s.waitForEvent((e) => e.event === 'call.linked' && e.data.subject === `call:${b.id}`, 'call.linked');
    assert.equal(ev.data.payload.incident.call_count, 2);
    await s.waitForEvent((e) => e.event === 'incident.updated' && e.data.payload.line?.kind === 'call_linked' && e.data.payload.incident.id === inc.id, 'incident.updated');
    const again = await link(b.id, inc.id, 'dispatcher');
    assert.equal(again.status, 200);
    assert.equal(again.json.incident.call_count, 2);
    assert.equal((await get(`/api/v1/incidents/${inc.id}/timeline`)).json.items.length, 2);
  });

  test('repeat calls raise the priority: the 3rd call and every second one after', async () => {
    const a = await taken({ caller_number: newNumber(), type: 'noise', priority: 4, location: RASHT });
    const inc = await incidentFrom(a.id);
    const priorities = [];
    for (let i = 0; i < 4; i++) {
      const c = await taken({ caller_number: newNumber(), type: 'noise', location: RASHT });
      const r = await link(c.id, inc.id);
      assert.equal(r.status, 200, r.text);
      priorities.push([r.json.incident.call_count, r.json.incident.priority]);
    }
    assert.deepEqual(priorities, [[2, 4], [3, 3], [4, 3], [5, 2]]);
    const kinds = (await get(`/api/v1/incidents/${inc.id}/timeline`)).json.items.map((l) => l.kind);
    assert.deepEqual(kinds, ['created', 'call_linked', 'call_linked', 'priority', 'call_linked', 'call_linked', 'priority']);
    const raised = (await get(`/api/v1/incidents/${inc.id}/timeline`)).json.items.filter((l) => l.kind === 'priority');
    assert.deepEqual(raised.map((l) => [l.data.from, l.data.to]), [[4, 3], [3, 2]]);
  });

  test('a call linked elsewhere, a closed incident: 409; unknown ids: 404', async () => {
    const a = await taken({ caller_number: newNumber(), type: 'theft', location: RASHT });
    const one = await incidentFrom(a.id);
    const b = await taken({ caller_number: newNumber(), type: 'theft', location: RASHT });
    const two = await incidentFrom(b.id);
    const elsewhere = await link(a.id, two.id);
    assert.equal(elsewhere.status, 409);
    assert.match(elsewhere.json.error.message, new RegExp(`incident ${one.id}`));
    const c = await taken({ caller_number: newNumber(), type: 'theft', location: RASHT });
    const close = await srv.api('POST', `/api/v1/incidents/${two.id}/status`, { token: as.supervisor.token, body: { status: 'closed', disposition: 'duplicate' } });
    assert.equal(close.status, 200);
    const closed = await link(c.id, two.id);
    assert.equal(closed.status, 409);
    assert.match(closed.json.error.message, /closed/);
    const noIncident = await link(c.id, 999999);
    assert.equal(noIncident.status, 404);
    assert.equal(field(noIncident), 'incident_id');
    assert.equal((await link(999999, one.id)).status, 404);
    const bad = await srv.api('POST', `/api/v1/calls/${c.id}/link`, { token: as.call_taker.token, body: { incident_id: 'one' } });
    assert.equal(bad.status, 400);
    assert.equal(field(bad), 'incident_id');
    assert.equal(sql(srv.db, `SELECT incident_id IS NULL FROM calls WHERE id = ${c.id}`), '1');
    for (const role of ['analyst', 'commander', 'records']) assert.equal((await link(c.id, one.id, role)).status, 403, role);
  });
});

describe('reading calls', () => {
  test('one call: 404 when unknown; readers by role; each read audited', async () => {
    const c = await taken({ caller_number: newNumber(), type: 'fraud', address: 'فومن', outcome: 'non_emergency' });
    for (const role of ['call_taker', 'dispatcher', 'supervisor', 'analyst', 'commander']) {
      const r = await get(`/api/v1/calls/${c.id}`, role);
      assert.equal(r.status, 200, role);
      assert.equal(r.json.id, c.id);
    }
    for (const role of ['oversight', 'records', 'admin']) assert.equal((await get(`/api/v1/calls/${c.id}`, role)).status, 403, role);
    assert.equal((await get('/api/v1/calls/999999')).status, 404);
    assert.equal((await get('/api/v1/calls/abc')).status, 404);
    assert.equal(sql(srv.db, `SELECT count(*) FROM audit WHERE action = 'call.read' AND subject = 'call:${c.id}'`), '5');
  });

  test('the list: newest first, filters, cursor paging', async () => {
    const caller = newNumber();
    const made = [];
    for (const type of ['smuggling', 'smuggling', 'vehicle_theft', 'smuggling']) {
      made.push(await taken({ caller_number: caller, type, location: ANZALI, outcome: type === 'vehicle_theft' ? 'operation' : 'non_emergency' }));
    }
    const persian = caller.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[d]);
    const byCaller = await get(`/api/v1/calls?caller_number=${encodeURIComponent(persian)}`);
    assert.equal(byCaller.status, 200, byCaller.text);
    assert.deepEqual(byCaller.json.items.map((c) => c.id), made.map((c) => c.id).reverse());
    const smuggling = await get(`/api/v1/calls?caller_number=${caller}&type=smuggling&outcome=non_emergency&county=anzali`);
    assert.deepEqual(smuggling.json.items.map((c) => c.id), [made[3].id, made[1].id, made[0].id]);
    // Paging two at a time walks the same list.
    const seen = [];
    let cursor = null;
    for (let i = 0; i < 5; i++) {
      const r = await get(`/api/v1/calls?caller_number=${caller}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(r.json.items.length <= 2);
      seen.push(...r.json.items.map((c) => c.id));
      cursor = r.json.next_cursor;
      if (!cursor) break;
    }
    assert.deepEqual(seen, made.map((c) => c.id).reverse());
    // Time filters take RFC 3339 and Jalali periods.
    const future = await get(`/api/v1/calls?caller_number=${caller}&from=2099-01-01T00:00:00Z`);
    assert.deepEqual(future.json.items, []);
    const past = await get(`/api/v1/calls?caller_number=${caller}&to=1404-07`);
    assert.deepEqual(past.json.items, []);
    const now = await get(`/api/v1/calls?caller_number=${caller}&from=1404`);
    assert.equal(now.json.items.length, 4);
    // Calls of one incident.
    const inc = await incidentFrom(made[2].id);
    const ofIncident = await get(`/api/v1/calls?incident_id=${inc.id}`);
    assert.deepEqual(ofIncident.json.items.map((c) => c.id), [made[2].id]);
  });

  test('bad filters are 400 with the field; the list is for the centre', async () => {
    const cases = [
      ['type=alien_landing', 'type'],
      ['outcome=prank', 'outcome'],
      ['county=tehran', 'county'],
      ['caller_number=abc', 'caller_number'],
      ['incident_id=0', 'incident_id'],
      ['from=yesterday', 'from'],
      ['to=1404-13', 'to'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['cursor=abc', 'cursor'],
    ];
    for (const [q, f] of cases) {
      const r = await get(`/api/v1/calls?${q}`);
      assert.equal(r.status, 400, `${q}: ${r.text}`);
      assert.equal(field(r), f, q);
    }
    for (const role of ['oversight', 'records', 'admin']) assert.equal((await get('/api/v1/calls', role)).status, 403, role);
    assert.equal((await srv.api('GET', '/api/v1/calls', { apikey: key })).status, 403);
  });
});
