// call_metrics.test.mjs — GET /api/v1/metrics/call-handling: figures computed from the
// records a test made through the API (calls with known ring and answer times, phone
// calls abandoned, priority-1 incidents dispatched inside and outside 60 s), over RFC
// 3339 instants and Jalali periods; an empty period; bad periods and wrong roles.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { RASHT, code, field, newNumber, startCentre } from './lib/centre.mjs';
import { stopAndRemove } from './lib/server.mjs';

let srv;
let as;
let phoneKey;
let from;
let to;
const SEC = 1000;
// ring → answer of the guidance calls, in seconds: 7 within 15 s, 9 within 20 s
const WAITS = [5, 5, 5, 10, 10, 12, 14, 16, 18, 25];

const figures = (query, role = 'supervisor') => srv.api('GET', `/api/v1/metrics/call-handling${query}`, { token: as[role].token });
const iso = (ms) => new Date(ms).toISOString();

async function call(body) {
  const r = await srv.api('POST', '/api/v1/calls', { token: as.call_taker.token, body: { caller_number: newNumber(), location: RASHT, ...body } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// A priority-1 incident whose call was answered `ago` ms ago, dispatched now.
async function dispatchedP1(ago) {
  const c = await call({ type: 'shooting', answer_at: iso(Date.now() - ago) });
  const inc = await srv.api('POST', '/api/v1/incidents', { token: as.call_taker.token, body: { call_id: c.id } });
  assert.equal(inc.status, 201, inc.text);
  const recs = await srv.api('GET', `/api/v1/incidents/${inc.json.id}/recommendations?limit=1`, { token: as.dispatcher.token });
  const a = await srv.api('POST', `/api/v1/incidents/${inc.json.id}/assignments`, { token: as.dispatcher.token, body: { unit_id: recs.json.items[0].unit.id } });
  assert.equal(a.status, 201, a.text);
}

before(async () => {
  ({ srv, as, phoneKey } = await startCentre());
  from = iso(Date.now() - 3600 * SEC);
  const base = Date.now() - 10 * 60 * SEC;
  for (const [i, w] of WAITS.entries()) {
    const ring = base + i * 30 * SEC;
    await call({ type: 'information', outcome: 'guidance', ring_at: iso(ring), answer_at: iso(ring + w * SEC) });
  }
  for (const id of ['metrics-abandoned-1', 'metrics-abandoned-2']) {
    const ring = await srv.api('POST', '/api/v1/telephony/events', { apikey: phoneKey, body: { event: 'ring', telephony_call_id: id, ani: newNumber() } });
    assert.equal(ring.status, 200, ring.text);
    const gone = await srv.api('POST', '/api/v1/telephony/events', { apikey: phoneKey, body: { event: 'abandon', telephony_call_id: id } });
    assert.equal(gone.status, 200, gone.text);
  }
  await dispatchedP1(30 * SEC);
  await dispatchedP1(120 * SEC);
  to = iso(Date.now() + 3600 * SEC);
});
after(() => stopAndRemove(srv));

describe('call-handling figures', () => {
  test('counts, intervals and goals come from the records', async () => {
    const r = await figures(`?from=${from}&to=${to}`);
    assert.equal(r.status, 200, r.text);
    const f = r.json;
    assert.equal(f.from, new Date(from).toISOString());
    assert.equal(f.to, new Date(to).toISOString());
    assert.equal(f.calls, 12);
    assert.equal(f.incidents, 2);
    assert.equal(f.abandoned, 2);
    assert.deepEqual(f.by_outcome, { operation: 2, non_emergency: 0, guidance: 10, invalid: 0 });
    // nearest rank over [5,5,5,10,10,12,14,16,18,25]
    assert.deepEqual(f.intervals.ring_to_answer, { count: 10, p50_s: 10, p90_s: 18, p95_s: 25, max_s: 25 });
    assert.equal(f.intervals.answer_to_dispatch.count, 2);
    assert.ok(f.intervals.answer_to_dispatch.max_s >= 120);
    assert.equal(f.intervals.dispatch_to_on_scene.count, 0);
    assert.equal(f.intervals.dispatch_to_on_scene.p50_s, null);
    assert.deepEqual(f.goals.answer_15s, { limit_s: 15, goal: 0.9, count: 10, within: 7, share: 0.7, met: false });
    assert.deepEqual(f.goals.answer_20s, { limit_s: 20, goal: 0.95, count: 10, within: 9, share: 0.9, met: false });
    assert.deepEqual(f.goals.priority1_dispatch_60s, { limit_s: 60, goal: 0.9, count: 2, within: 1, share: 0.5, met: false });
    assert.equal(f.by_hour.length, 24);
    assert.deepEqual(f.by_hour.map((h) => h.hour), [...Array(24).keys()]);
    assert.equal(f.by_hour.reduce((n, h) => n + h.calls, 0), 12);
    assert.deepEqual(f.by_county.map((c) => [c.county, c.calls]), [['rasht', 12]]);
    assert.equal(f.by_county[0].goals.answer_15s.within, 7);
  });

  test('a Jalali month (Persian or Latin digits) gives the same figures as its instants', async () => {
    const j = (await srv.api('GET', '/api/v1/time')).json.jalali_latin;
    const month = `${j.year}-${String(j.month).padStart(2, '0')}`;
    const latin = await figures(`?from=${month}&to=${month}`);
    assert.equal(latin.status, 200, latin.text);
    assert.equal(latin.json.calls, 12);
    assert.equal(latin.json.abandoned, 2);
    assert.ok(Date.parse(latin.json.from) <= Date.parse(from) && Date.parse(latin.json.to) >= Date.now());
    const persian = month.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[d]);
    const p = await figures(`?from=${encodeURIComponent(persian)}&to=${encodeURIComponent(persian)}`);
    assert.equal(p.status, 200, p.text);
    assert.deepEqual(p.json, latin.json);
  });

  test('a period with no calls has zero counts and no percentiles or verdicts', async () => {
    const r = await figures(`?from=${iso(Date.now() + 7200 * SEC)}&to=${iso(Date.now() + 9000 * SEC)}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.calls, 0);
    assert.equal(r.json.abandoned, 0);
    assert.deepEqual(r.json.intervals.ring_to_answer, { count: 0, p50_s: null, p90_s: null, p95_s: null, max_s: null });
    assert.deepEqual(r.json.goals.answer_15s, { limit_s: 15, goal: 0.9, count: 0, within: 0, share: null, met: null });
    assert.deepEqual(r.json.by_county, []);
  });

  test('missing, malformed, reversed and over-long periods are 400 with the field', async () => {
    const cases = [
      ['', 'from', 'missing_field'],
      [`?from=${from}`, 'to', 'missing_field'],
      [`?to=${to}`, 'from', 'missing_field'],
      [`?from=yesterday&to=${to}`, 'from', 'invalid_field'],
      [`?from=${from}&to=1404-13`, 'to', 'invalid_field'],
      [`?from=${to}&to=${from}`, 'to', 'invalid_field'],
      [`?from=${from}&to=${from}`, 'to', 'invalid_field'],
      ['?from=1402&to=1404', 'to', 'invalid_field'],
    ];
    for (const [q, f, c] of cases) {
      const r = await figures(q);
      assert.equal(r.status, 400, q);
      assert.equal(field(r), f, q);
      assert.equal(code(r), c, q);
    }
    assert.equal((await figures('?from=1404&to=1404')).status, 200, 'one Jalali year is allowed');
  });

  test('supervisors, analysts and commanders read the figures; others are 403', async () => {
    for (const role of ['supervisor', 'analyst', 'commander']) assert.equal((await figures(`?from=${from}&to=${to}`, role)).status, 200, role);
    for (const role of ['call_taker', 'dispatcher', 'oversight', 'records', 'admin']) {
      const r = await figures(`?from=${from}&to=${to}`, role);
      assert.equal(r.status, 403, role);
      assert.equal(code(r), 'forbidden');
    }
  });
});
