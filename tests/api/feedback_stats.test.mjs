// feedback_stats.test.mjs — GET /api/v1/feedback/stats: the 197 desk's figures computed
// from the contacts a test made on a server of its own (so every count is exact): by
// kind, channel, county and station, the praise share, time to answer, overdue under
// a 0-day deadline, open contacts, outcomes and the reconciliation share; periods as
// RFC 3339 or Jalali, as the call-handling figures read them; bad periods and roles.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { code, field, startCentre } from './lib/centre.mjs';
import { stopAndRemove } from './lib/server.mjs';

let srv;
let as;
let today; // the Jalali day, "1404-09-09"
let year;

before(async () => {
  ({ srv, as } = await startCentre({ env: { HAMYAR_FEEDBACK_DEADLINE_DAYS: '0' } }));
  const t = (await srv.api('GET', '/api/v1/time')).json.jalali_latin;
  year = t.year;
  today = `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
});
after(() => stopAndRemove(srv));

const api = (method, path, role, body) => srv.api(method, path, { token: as[role].token, body });
const stats = (q, role = 'analyst') => api('GET', `/api/v1/feedback/stats${q}`, role);

async function take(body) {
  const r = await api('POST', '/api/v1/feedback', 'oversight', { text: 'متن آزمایشی', ...body });
  assert.equal(r.status, 201, r.text);
  return r.json.feedback.id;
}

async function step(id, path, body, want = 200) {
  const r = await api('POST', `/api/v1/feedback/${id}/${path}`, 'oversight', body);
  assert.equal(r.status, want, `${path}: ${r.text}`);
}

// Takes a contact through the workflow to closed with `outcome`.
async function closeAs(id, outcome) {
  await step(id, 'assign', { user_id: as.supervisor.user.id });
  await step(id, 'status', { status: 'under_review' });
  await step(id, 'replies', { text: 'پاسخ', for_citizen: true }, 201);
  await step(id, 'status', { status: 'answered' });
  await step(id, 'status', { status: 'closed', outcome });
}

describe('the desk\'s figures', () => {
  test('counts, shares and times are those of the contacts made', async () => {
    const empty = await stats(`?from=${today}&to=${today}`);
    assert.equal(empty.status, 200, empty.text);
    assert.equal(empty.json.total, 0);
    assert.equal(empty.json.praise_share, 0);
    assert.deepEqual(empty.json.answer_time_s, { count: 0, p50: null, p90: null, max: null });

    await take({ channel: 'phone', kind: 'praise', subject: { station: 'rasht-k11' } });
    await take({ channel: 'phone', kind: 'praise', subject: { station: 'rasht-k11' } });
    await take({ channel: 'web', kind: 'praise', subject: { station: 'lahijan-k11' } });
    const c1 = await take({ channel: 'letter', kind: 'complaint', subject: { station: 'rasht-k12' } });
    const c2 = await take({ channel: 'letter', kind: 'complaint', subject: { county: 'lahijan' } });
    const c3 = await take({ channel: 'in_person', kind: 'complaint' });
    await take({ channel: 'in_person', kind: 'suggestion' });
    const e1 = await take({ channel: 'phone', kind: 'enquiry' });
    await closeAs(c1, 'reconciled');
    await closeAs(c2, 'not_substantiated');
    await step(c3, 'status', { status: 'closed', outcome: 'withdrawn' });
    await step(e1, 'replies', { text: 'پاسخ پرسش', for_citizen: true }, 201);
    await step(e1, 'status', { status: 'under_review' }, 409); // received → under_review is not a move
    await step(e1, 'assign', { user_id: as.supervisor.user.id });
    await step(e1, 'status', { status: 'under_review' });
    await step(e1, 'status', { status: 'answered' });

    const r = await stats(`?from=${today}&to=${today}`);
    assert.equal(r.status, 200, r.text);
    const s = r.json;
    assert.equal(s.total, 8);
    assert.deepEqual(s.by_kind, { praise: 3, complaint: 3, suggestion: 1, report: 0, enquiry: 1 });
    assert.deepEqual(s.by_channel, { phone: 3, web: 1, in_person: 2, letter: 2, open311: 0 });
    assert.deepEqual(s.by_county, [
      { code: 'rasht', count: 3 },
      { code: 'lahijan', count: 2 },
      { code: null, count: 3 },
    ]);
    assert.deepEqual(s.by_station, [
      { code: 'rasht-k11', count: 2 },
      { code: 'lahijan-k11', count: 1 },
      { code: 'rasht-k12', count: 1 },
      { code: null, count: 4 },
    ]);
    assert.equal(s.praise_share, 3 / 8);
    assert.equal(s.answer_time_s.count, 3, 'two complaints and the enquiry were answered');
    for (const k of ['p50', 'p90', 'max']) assert.ok(s.answer_time_s[k] >= 0 && s.answer_time_s[k] < 600, k);
    assert.equal(s.open, 5);
    // A 0-day deadline: every contact neither answered nor closed is overdue.
    assert.equal(s.overdue, 4);
    assert.deepEqual(s.outcomes, { substantiated: 0, not_substantiated: 1, reconciled: 1, withdrawn: 1, forwarded: 0 });
    const near = (x, want, what) => assert.ok(Math.abs(x - want) < 1e-9, `${what}: ${x}, not ${want}`);
    near(s.outcome_shares.reconciled, 1 / 3, 'reconciled share');
    near(s.outcome_shares.withdrawn, 1 / 3, 'withdrawn share');
    near(s.outcome_shares.substantiated, 0, 'substantiated share');
    near(s.reconciliation_share, 1 / 3, 'one of three closed complaints');
    assert.equal(s.from < s.to, true);

    // The same period as RFC 3339 instants; a period without these contacts counts none.
    const since = new Date(Date.now() - 3600000).toISOString();
    const until = new Date(Date.now() + 3600000).toISOString();
    assert.equal((await stats(`?from=${since}&to=${until}`)).json.total, 8);
    assert.equal((await stats(`?from=${year - 1}&to=${year - 1}`)).json.total, 0);
    assert.equal((await stats(`?from=${year}&to=${year}`, 'commander')).json.total, 8);
  });

  test('periods are checked as the call-handling figures check them', async () => {
    for (const [q, want, where] of [
      ['', 'missing_field', 'from'],
      [`?from=${today}`, 'missing_field', 'to'],
      [`?to=${today}`, 'missing_field', 'from'],
      [`?from=${year}&to=${year - 1}`, 'invalid_field', 'to'],
      [`?from=${year - 2}&to=${year}`, 'invalid_field', 'to'],
      ['?from=soon&to=later', 'invalid_field', 'from'],
    ]) {
      const r = await stats(q);
      assert.equal(r.status, 400, q);
      assert.equal(code(r), want, q);
      assert.equal(field(r), where, q);
    }
  });

  test('the desk, supervisors, analysts and the command read the figures; nobody else', async () => {
    for (const role of ['oversight', 'supervisor', 'analyst', 'commander']) {
      assert.equal((await stats(`?from=${today}&to=${today}`, role)).status, 200, role);
    }
    for (const role of ['call_taker', 'dispatcher', 'records', 'admin']) {
      assert.equal((await stats(`?from=${today}&to=${today}`, role)).status, 403, role);
    }
  });
});
