// commendations.test.mjs — citizens commended for helping the police (the deed's day
// in Jalali or RFC 3339, places, the 197 contact it came from, Idempotency-Key, bad
// input, roles, the list with its filters and paging) and an officer's record from
// 197 (every praise naming the officer, complaints counted by outcome), audited.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { code, field, startCentre } from './lib/centre.mjs';
import { count, sql, stopAndRemove } from './lib/server.mjs';

let srv;
let as;

before(async () => {
  ({ srv, as } = await startCentre());
});
after(() => stopAndRemove(srv));

const tok = (role) => as[role].token;
const api = (method, path, role, body, opts = {}) => srv.api(method, path, { token: tok(role), body, ...opts });
const commend = (body, role = 'records', opts = {}) => api('POST', '/api/v1/commendations', role, body, opts);
const rows = () => count(srv.db, 'commendations');

const base = { citizen_name: 'مريم احمدی', reason: 'گزارش به‌موقع سرقت خودرو', deed_date: '1404-07-09' };

describe('commending a citizen', () => {
  test('a Jalali day (Persian digits too) is that day\'s start in Tehran; names and text are normalised', async () => {
    const r = await commend({ ...base, deed_date: '۱۴۰۴-۰۷-۰۹', citizen_phone: '۰۹۱۲ ۳۴۵ ۶۷۸۹', county: 'rasht', proposed_by_unit: 'rasht-k11-01' });
    assert.equal(r.status, 201, r.text);
    const c = r.json;
    assert.equal(c.deed_at, '2025-09-30T20:30:00.000Z', '9 Mehr 1404 00:00 Asia/Tehran');
    assert.equal(c.citizen_name, 'مریم احمدی');
    assert.equal(c.citizen_phone, '09123456789');
    assert.equal(c.county, 'rasht');
    assert.equal(c.proposed_by_unit, 'rasht-k11-01');
    assert.equal(c.proposed_by_station, null);
    assert.equal(c.feedback_id, null);
    assert.equal(c.created_by, as.records.user.id);
    assert.equal(sql(srv.db, `SELECT count(*) FROM audit WHERE action = 'commendation.created' AND subject = 'commendation:${c.id}'`), '1');
  });

  test('an RFC 3339 time, the county from the proposing station, and the 197 contact it came from', async () => {
    const f = await api('POST', '/api/v1/feedback', 'oversight', { channel: 'phone', kind: 'report', text: 'شهروندی سارق را نشان داد' });
    assert.equal(f.status, 201, f.text);
    const r = await commend(
      { ...base, deed_date: '2025-10-01T08:30:00Z', proposed_by_station: 'lahijan-k12', feedback_id: f.json.feedback.id },
      'oversight',
    );
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.deed_at, '2025-10-01T08:30:00.000Z');
    assert.equal(r.json.county, 'lahijan');
    assert.equal(r.json.proposed_by_station, 'lahijan-k12');
    assert.equal(r.json.feedback_id, f.json.feedback.id);
  });

  test('bad input is a clear 4xx and stores nothing', async () => {
    const before = rows();
    const tomorrow = new Date(Date.now() + 2 * 86400000).toISOString();
    for (const [body, status, want, where] of [
      [{ reason: 'x', deed_date: '1404-07-09' }, 400, 'missing_field', 'citizen_name'],
      [{ ...base, reason: undefined }, 400, 'missing_field', 'reason'],
      [{ ...base, deed_date: undefined }, 400, 'missing_field', 'deed_date'],
      [{ ...base, deed_date: '1404-07' }, 400, 'invalid_field', 'deed_date'],
      [{ ...base, deed_date: '1404-13-01' }, 400, 'invalid_field', 'deed_date'],
      [{ ...base, deed_date: 'yesterday' }, 400, 'invalid_field', 'deed_date'],
      [{ ...base, deed_date: tomorrow }, 400, 'invalid_field', 'deed_date'],
      [{ ...base, citizen_phone: 'بدون تلفن' }, 400, 'invalid_field', 'citizen_phone'],
      [{ ...base, county: 'atlantis' }, 400, 'invalid_field', 'county'],
      [{ ...base, proposed_by_station: 'nowhere' }, 400, 'invalid_field', 'proposed_by_station'],
      [{ ...base, county: 'talesh', proposed_by_station: 'rasht-k11' }, 400, 'invalid_field', 'county'],
      [{ ...base, reason: 'ر'.repeat(4001) }, 400, 'invalid_field', 'reason'],
      [{ ...base, medal: 'gold' }, 400, 'unknown_field', 'medal'],
      [{ ...base, feedback_id: 999999 }, 404, 'not_found', 'feedback_id'],
    ]) {
      const r = await commend(body);
      assert.equal(r.status, status, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
      assert.equal(code(r), want, JSON.stringify(body).slice(0, 80));
      assert.equal(field(r), where, JSON.stringify(body).slice(0, 80));
    }
    assert.equal(rows(), before);
  });

  test('Idempotency-Key: a retry records nothing twice', async () => {
    const before = rows();
    const headers = { 'idempotency-key': 'commend-1' };
    const a = await commend({ ...base, citizen_name: 'رضا' }, 'records', { headers });
    const b = await commend({ ...base, citizen_name: 'رضا' }, 'records', { headers });
    assert.equal(a.status, 201);
    assert.equal(b.headers['idempotent-replayed'], 'true');
    assert.deepEqual(b.json, a.json);
    assert.equal(rows(), before + 1);
    assert.equal((await commend({ ...base, citizen_name: 'علی' }, 'records', { headers })).status, 409);
  });

  test('only the desk and the records office commend; the command reads', async () => {
    for (const role of ['call_taker', 'dispatcher', 'supervisor', 'analyst', 'commander', 'admin']) {
      assert.equal((await commend(base, role)).status, 403, role);
    }
    for (const role of ['supervisor', 'oversight', 'records', 'analyst', 'commander']) {
      assert.equal((await api('GET', '/api/v1/commendations', role)).status, 200, role);
    }
    for (const role of ['call_taker', 'dispatcher', 'admin']) {
      assert.equal((await api('GET', '/api/v1/commendations', role)).status, 403, role);
    }
  });
});

describe('the list of commendations', () => {
  test('filtered by the deed\'s time and county, newest first, paged, audited', async () => {
    const made = [];
    for (const [day, county] of [['1403-05-01', 'talesh'], ['1403-05-20', 'talesh'], ['1403-06-02', 'astara']]) {
      const r = await commend({ ...base, deed_date: day, county });
      assert.equal(r.status, 201, r.text);
      made.push(r.json.id);
    }
    const list = async (q) => (await api('GET', `/api/v1/commendations${q}`, 'analyst')).json;
    assert.deepEqual((await list('?from=1403-05&to=1403-05')).items.map((c) => c.id), [made[1], made[0]]);
    assert.deepEqual((await list('?from=1403&to=1403&county=astara')).items.map((c) => c.id), [made[2]]);
    const page = await list('?from=1403&to=1403&limit=2');
    assert.deepEqual(page.items.map((c) => c.id), [made[2], made[1]]);
    const rest = await list(`?from=1403&to=1403&limit=2&cursor=${page.next_cursor}`);
    assert.deepEqual(rest.items.map((c) => c.id), [made[0]]);
    assert.equal(rest.next_cursor, null);
    assert.ok(Number(sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'commendation.list'")) >= 4);
    for (const q of ['?county=atlantis', '?from=soon', '?limit=500', '?cursor=x']) {
      const r = await api('GET', `/api/v1/commendations${q}`, 'records');
      assert.equal(r.status, 400, q);
    }
  });
});

describe("an officer's record from 197", () => {
  const officer = '880011';
  const desk = (body) => api('POST', '/api/v1/feedback', 'oversight', { channel: 'phone', ...body });

  // A complaint naming the officer, taken through the workflow to `outcome` (or left open).
  async function complaint(outcome) {
    const r = await desk({ kind: 'complaint', subject: { station: 'rasht-k16', officer }, text: 'شکایت از مأمور' });
    assert.equal(r.status, 201, r.text);
    const id = r.json.feedback.id;
    if (!outcome) return id;
    const step = async (path, body, want = 200) => {
      const s = await api('POST', `/api/v1/feedback/${id}/${path}`, 'oversight', body);
      assert.equal(s.status, want, `${path}: ${s.text}`);
    };
    await step('assign', { user_id: as.supervisor.user.id });
    await step('status', { status: 'under_review' });
    await step('replies', { text: 'نتیجه بررسی', for_citizen: true }, 201);
    await step('status', { status: 'answered' });
    await step('status', { status: 'closed', outcome });
    return id;
  }

  test('every praise naming the officer, and complaints by outcome; audited', async () => {
    const empty = await api('GET', `/api/v1/officers/${officer}/record`, 'analyst');
    assert.equal(empty.status, 200, empty.text);
    assert.deepEqual(empty.json, {
      officer,
      praise: { count: 0, items: [] },
      complaints: { count: 0, open: 0, by_outcome: { substantiated: 0, not_substantiated: 0, reconciled: 0, withdrawn: 0, forwarded: 0 } },
    });
    const p1 = await desk({ kind: 'praise', subject: { station: 'rasht-k16', officer }, text: 'از مأمور کلانتری ۱۶ سپاسگزارم' });
    const p2 = await desk({ kind: 'praise', subject: { station: 'rasht-k17', officer: '۸۸۰۰۱۱' }, text: 'برخورد بسیار خوب' });
    await desk({ kind: 'praise', subject: { officer: '880012' }, text: 'مأمور دیگری' });
    await desk({ kind: 'suggestion', subject: { officer }, text: 'پیشنهادی که ستایش نیست' });
    await complaint('reconciled');
    await complaint('reconciled');
    await complaint('not_substantiated');
    await complaint(null);
    const r = await api('GET', `/api/v1/officers/${encodeURIComponent('۸۸۰۰۱۱')}/record`, 'commander');
    assert.equal(r.status, 200, r.text);
    const { praise, complaints } = r.json;
    assert.equal(r.json.officer, officer);
    assert.equal(praise.count, 2);
    assert.deepEqual(praise.items.map((x) => x.id), [p2.json.feedback.id, p1.json.feedback.id], 'newest first');
    const [latest] = praise.items;
    assert.equal(latest.number, p2.json.feedback.number);
    assert.equal(latest.station, 'rasht-k17');
    assert.equal(latest.county, 'rasht');
    assert.equal(latest.text, 'برخورد بسیار خوب');
    assert.equal(latest.received_at, p2.json.feedback.received_at);
    assert.match(latest.date, /^[۰-۹]{4}\/[۰-۹]{2}\/[۰-۹]{2}$/, 'a Jalali date in Persian digits');
    assert.deepEqual(complaints, {
      count: 4,
      open: 1,
      by_outcome: { substantiated: 0, not_substantiated: 1, reconciled: 2, withdrawn: 0, forwarded: 0 },
    });
    assert.ok(Number(sql(srv.db, `SELECT count(*) FROM audit WHERE action = 'officer.record' AND subject = 'officer:${officer}'`)) >= 2);
  });

  test('a personnel number is digits; roles outside figures are refused', async () => {
    const bad = await api('GET', '/api/v1/officers/abc/record', 'analyst');
    assert.equal(bad.status, 400);
    assert.equal(field(bad), 'officer');
    for (const role of ['call_taker', 'dispatcher', 'records', 'admin']) {
      assert.equal((await api('GET', `/api/v1/officers/${officer}/record`, role)).status, 403, role);
    }
    for (const role of ['supervisor', 'oversight', 'analyst', 'commander']) {
      assert.equal((await api('GET', `/api/v1/officers/${officer}/record`, role)).status, 200, role);
    }
  });
});
