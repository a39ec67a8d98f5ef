// demo.test.mjs — `hamyar init --demo`: a few days of made-up activity written through
// the store, so the API serves a living centre (incidents still open with units on
// them, busy units, repeat calls linked, abandoned phone calls) and the call-handling
// figures computed from it are consistent with the rows; the same days of the 197
// desk (contacts at their yearly rate, praise, overdue ones, timelines, commendations)
// served by its routes and its public tracking page; the same --demo-until gives the
// same activity; running init again adds nothing; the audit chain stays valid.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ADMIN_PASSWORD, DEMO_PASSWORD, cli, count, removeDir, sql, startServer, tempDir } from './lib/server.mjs';

const dirs = [];
let srv;
let db;
let untilMs;
let init;
const HOUR = 3600 * 1000;

function demoDb(until) {
  const dir = tempDir('demo');
  dirs.push(dir);
  const path = join(dir, 'hamyar.db');
  const r = cli(['init', '--db', path, '--demo', ...(until ? ['--demo-until', until] : [])]);
  assert.equal(r.status, 0, `init --demo failed:\n${r.stdout}\n${r.stderr}`);
  return { path, r };
}

before(async () => {
  // A whole minute, so the twin below can be made with the same instant.
  untilMs = Math.floor(Date.now() / 60000) * 60000;
  ({ path: db, r: init } = demoDb(new Date(untilMs).toISOString()));
  const dir = tempDir('demo-serve');
  dirs.push(dir);
  srv = await startServer({ db, dir });
});
after(async () => {
  if (srv) await srv.stop();
  for (const d of dirs) removeDir(d);
});

describe('hamyar init --demo', () => {
  test('it says what it added: three days of calls, incidents and unit positions', () => {
    assert.match(init.stdout, /loaded reference data/);
    assert.match(init.stdout, /created demo users/);
    const m = /added 3 days of demo activity: (\d+) calls \((\d+) more abandoned before answer\), (\d+) incidents \((\d+) still open\), (\d+) unit positions/.exec(init.stdout);
    assert.ok(m, init.stdout);
    const [calls, abandoned, incidents, open, positions] = m.slice(1).map(Number);
    assert.equal(count(db, 'calls'), calls);
    assert.equal(Number(sql(db, 'SELECT count(*) FROM telephony_calls WHERE state = 3')), abandoned);
    assert.equal(count(db, 'incidents'), incidents);
    assert.equal(count(db, 'unit_positions'), positions);
    assert.ok(open > 0);
    // 1.7 million calls a year is about 4,650 a day
    assert.ok(calls > 3 * 3000 && calls < 3 * 6500, `${calls} calls in three days`);
    assert.ok(abandoned > 0 && abandoned < calls / 10);
    assert.ok(incidents > calls / 10 && incidents < calls / 2);
  });

  test('the same days of the 197 desk: about 60 contacts a day, over a fifth praise, a few overdue, commendations', () => {
    const m = /added the same days of the 197 desk: (\d+) contacts \((\d+) praise, (\d+) still open, (\d+) overdue\), (\d+) commendations of citizens/.exec(init.stdout);
    assert.ok(m, init.stdout);
    const [contacts, praise, open, overdue, commendations] = m.slice(1).map(Number);
    const n = (q) => Number(sql(db, q));
    assert.equal(count(db, 'feedback'), contacts);
    assert.equal(n('SELECT count(*) FROM feedback WHERE kind = 0'), praise);
    assert.equal(n('SELECT count(*) FROM feedback WHERE status != 4'), open);
    assert.equal(n(`SELECT count(*) FROM feedback WHERE status IN (0, 1, 2) AND due_ms < ${untilMs}`), overdue);
    assert.equal(count(db, 'commendations'), commendations);
    // 22,000 a year is about 60 a day
    assert.ok(contacts > 3 * 40 && contacts < 3 * 85, `${contacts} contacts in three days`);
    assert.ok(praise / contacts > 0.2, `${praise} praise of ${contacts}`);
    assert.ok(open > 0 && open < contacts);
    assert.ok(overdue > 0 && overdue < contacts / 10, `${overdue} overdue`);
    assert.ok(commendations >= 10 && commendations <= 20);
    // only the overdue backlog was received before the three days
    assert.equal(n(`SELECT count(*) FROM feedback WHERE received_ms < ${untilMs - 72 * HOUR} AND NOT (status IN (0, 1, 2) AND due_ms < ${untilMs})`), 0);
    assert.equal(n(`SELECT count(*) FROM feedback WHERE updated_ms > ${untilMs}`) + n(`SELECT count(*) FROM feedback_entries WHERE time_ms > ${untilMs}`), 0);
    // a mix of channels, kinds, places and statuses
    assert.equal(n('SELECT count(DISTINCT channel) FROM feedback'), 5);
    assert.equal(n('SELECT count(DISTINCT kind) FROM feedback'), 5);
    assert.ok(n('SELECT count(DISTINCT county) FROM feedback') >= 5 && n('SELECT count(DISTINCT station) FROM feedback') >= 15);
    assert.ok(n('SELECT count(DISTINCT status) FROM feedback') >= 4);
    assert.ok(n('SELECT count(*) FROM feedback WHERE citizen_name IS NULL') > 0, 'some are anonymous');
    assert.ok(n('SELECT count(*) FROM feedback WHERE kind = 0 AND officer IS NOT NULL') > 0, 'praise names officers');
    // most closed complaints end in reconciliation
    const [reconciled, closed] = sql(db, 'SELECT sum(outcome = 3), count(*) FROM feedback WHERE kind = 1 AND status = 4').split('|').map(Number);
    assert.ok(closed > 0 && reconciled / closed > 0.5, `${reconciled} of ${closed} closed complaints reconciled`);
    assert.equal(n('SELECT count(*) FROM feedback WHERE (status = 4) != (outcome != 0 AND closed_ms > 0)'), 0);
    // timelines: received first; answered only with a reply for the citizen; internal notes too
    assert.equal(n("SELECT count(*) FROM feedback f WHERE (SELECT kind FROM feedback_entries e WHERE e.feedback_id = f.id ORDER BY id LIMIT 1) IS NOT 'received'"), 0);
    assert.equal(n('SELECT count(*) FROM feedback f WHERE answered_ms > 0 AND NOT EXISTS (SELECT 1 FROM feedback_entries e WHERE e.feedback_id = f.id AND e.for_citizen = 1)'), 0);
    assert.ok(n("SELECT count(*) FROM feedback_entries WHERE kind = 'note' AND for_citizen = 0") > 0);
    assert.equal(n("SELECT count(*) FROM feedback_entries WHERE for_citizen = 1 AND kind != 'reply'"), 0);
    assert.ok(n('SELECT count(*) FROM commendations WHERE feedback_id IS NOT NULL') > 0, 'some commended for a report to 197');
  });

  test('every row lies in the three days before --demo-until, and every call has its phone call', () => {
    const [min, max] = sql(db, 'SELECT min(ring_ms), max(created_ms) FROM calls').split('|').map(Number);
    assert.ok(min >= untilMs - 72 * HOUR && max <= untilMs);
    assert.equal(Number(sql(db, 'SELECT count(*) FROM calls c JOIN telephony_calls t ON t.call_id = c.id AND t.ext_id = c.telephony_call_id')), count(db, 'calls'));
    assert.equal(Number(sql(db, `SELECT count(*) FROM incidents WHERE updated_ms > ${untilMs} OR closed_ms > ${untilMs}`)), 0);
  });

  test('the state is consistent: a unit on an incident is on an open one, an incident being worked has a unit', () => {
    const bad = sql(db, `SELECT count(*) FROM units u JOIN incidents i ON i.id = u.incident_id
                         WHERE u.status NOT IN (1, 2, 3) OR i.status NOT IN (1, 2, 3)`);
    assert.equal(Number(bad), 0);
    assert.equal(Number(sql(db, 'SELECT count(*) FROM units WHERE status IN (1, 2, 3) AND incident_id IS NULL')), 0);
    const worked = Number(sql(db, 'SELECT count(*) FROM incidents WHERE status IN (1, 2, 3)'));
    const covered = Number(sql(db, 'SELECT count(DISTINCT incident_id) FROM units WHERE incident_id IS NOT NULL'));
    assert.equal(covered, worked);
    assert.equal(Number(sql(db, "SELECT count(*) FROM incidents WHERE status = 5 AND (disposition IS NULL OR closed_ms = 0)")), 0);
    assert.equal(Number(sql(db, 'SELECT count(*) FROM incidents WHERE dispatch_ms > 0 AND dispatch_ms < created_ms')), 0);
    assert.equal(Number(sql(db, 'SELECT count(*) FROM incidents i WHERE call_count != (SELECT count(*) FROM calls c WHERE c.incident_id = i.id)')), 0);
  });

  test('the same --demo-until gives the same activity', () => {
    const { path: twin } = demoDb(new Date(untilMs).toISOString());
    // whole tables: more than sql()'s buffer holds
    const dump = (path, q) => execFileSync('sqlite3', [path, q], { encoding: 'utf8', maxBuffer: 1 << 28 });
    for (const q of [
      'SELECT id, caller_number, type, priority, county, outcome, ring_ms, answer_ms, created_ms, incident_id FROM calls ORDER BY id',
      'SELECT id, seq, status, priority, call_count, dispatch_ms, on_scene_ms, closed_ms, disposition FROM incidents ORDER BY id',
      'SELECT id, status, status_ms, incident_id, lat, lon, position_ms FROM units ORDER BY id',
      'SELECT incident_id, time_ms, kind, data FROM timeline ORDER BY id',
      // all of 197 but the tracking codes, which are random as the API's
      'SELECT id, year, seq, channel, kind, category, citizen_name, county, station, officer, text, suggested_category, status, outcome, received_ms, answered_ms, closed_ms FROM feedback ORDER BY id',
      'SELECT feedback_id, time_ms, actor, kind, for_citizen, text, data FROM feedback_entries ORDER BY id',
      'SELECT citizen_name, reason, deed_ms, county, proposed_by_station, feedback_id, created_ms FROM commendations ORDER BY id',
    ]) {
      assert.ok(dump(twin, q) === dump(db, q), q);
    }
  });

  test('running init --demo again adds nothing and says so; the audit chain verifies', () => {
    const calls = count(db, 'calls');
    const contacts = count(db, 'feedback');
    const audit = count(db, 'audit');
    const again = cli(['init', '--db', db, '--demo']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /nothing changed/);
    assert.equal(count(db, 'calls'), calls);
    assert.equal(count(db, 'feedback'), contacts);
    assert.equal(count(db, 'audit'), audit);
    assert.equal(Number(sql(db, "SELECT count(*) FROM audit WHERE action = 'demo.load'")), 1);
    const verify = cli(['audit', 'verify', '--db', db]);
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  });

  test('--demo-until in the future, malformed, or without --demo is a usage error', () => {
    const dir = tempDir('demo-bad');
    dirs.push(dir);
    const path = join(dir, 'x.db');
    for (const args of [['--demo', '--demo-until', new Date(Date.now() + HOUR).toISOString()], ['--demo', '--demo-until', 'now'], ['--demo-until', '2025-10-01T08:30:00Z'], ['--demo', '--demo-users']]) {
      assert.equal(cli(['init', '--db', path, ...args]).status, 2, args.join(' '));
    }
  });
});

describe('the API over the demo', () => {
  let dispatcher;
  let supervisor;
  before(async () => {
    dispatcher = (await srv.login('dispatcher1', DEMO_PASSWORD)).token;
    supervisor = (await srv.login('supervisor1', DEMO_PASSWORD)).token;
    await srv.login('admin', ADMIN_PASSWORD);
  });

  test('a living centre: open incidents and units that are not all available', async () => {
    const open = await srv.api('GET', '/api/v1/incidents?status=pending,dispatched,en_route,on_scene,cleared&limit=200', { token: dispatcher });
    assert.equal(open.status, 200, open.text);
    assert.ok(open.json.items.length > 0);
    const units = (await srv.api('GET', '/api/v1/units', { token: dispatcher })).json.items;
    const statuses = new Set(units.map((u) => u.status));
    assert.ok(statuses.has('available') && statuses.has('busy') && statuses.has('out_of_service'), [...statuses].join());
    assert.ok(units.some((u) => u.position?.source === 'reported' && !u.position.stale), 'units on patrol report fresh positions');
    assert.ok(units.some((u) => u.position?.stale), 'some have not reported lately');
    for (const u of units.filter((x) => x.incident_id)) {
      assert.ok(['dispatched', 'en_route', 'on_scene'].includes(u.status));
    }
  });

  test('an incident with repeat calls shows them linked in its timeline, by the demo users', async () => {
    const id = Number(sql(db, 'SELECT id FROM incidents WHERE call_count > 1 AND status = 5 ORDER BY id LIMIT 1'));
    assert.ok(id > 0, 'repeat calls were linked');
    const r = await srv.api('GET', `/api/v1/incidents/${id}`, { token: dispatcher });
    assert.equal(r.status, 200, r.text);
    const kinds = r.json.timeline.map((l) => l.kind);
    assert.equal(kinds[0], 'created');
    assert.ok(kinds.includes('call_linked'));
    assert.ok(kinds.includes('assigned') || r.json.incident.dispatched_at === null);
    assert.equal(r.json.calls.length, r.json.incident.call_count);
    const times = r.json.timeline.map((l) => Date.parse(l.time));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'lines oldest first');
    assert.ok(r.json.timeline.every((l) => ['calltaker1', 'dispatcher1'].includes(l.actor)));
  });

  test('the 197 desk over the demo: its lists, the overdue contacts, and a citizen\'s tracking page', async () => {
    const desk = (await srv.login('oversight1', DEMO_PASSWORD)).token;
    const page = await srv.api('GET', '/api/v1/feedback?limit=20', { token: desk });
    assert.equal(page.status, 200, page.text);
    assert.equal(page.json.items.length, 20);
    assert.equal(page.json.items[0].id, Number(sql(db, 'SELECT max(id) FROM feedback')), 'newest first');
    const praise = await srv.api('GET', '/api/v1/feedback?kind=praise&limit=100', { token: desk });
    assert.equal(praise.status, 200, praise.text);
    assert.equal(praise.json.items.length, Number(sql(db, 'SELECT count(*) FROM feedback WHERE kind = 0')));
    const overdue = await srv.api('GET', '/api/v1/feedback?overdue=true', { token: desk });
    assert.equal(overdue.status, 200, overdue.text);
    assert.ok(overdue.json.items.length > 0 && overdue.json.items.every((f) => f.overdue), 'overdue contacts are flagged');

    // the code init printed opens the public page, which shows only what the citizen may read
    const m = /a citizen's tracking code to try on the public 197 page: (\d{4}-\d{4}-\d{4})/.exec(init.stdout);
    assert.ok(m, init.stdout);
    const t = await srv.api('GET', `/api/v1/public/feedback/${m[1]}`);
    assert.equal(t.status, 200, t.text);
    const hash = createHash('sha256').update(m[1].replace(/-/g, '')).digest('hex');
    const id = Number(sql(db, `SELECT id FROM feedback WHERE hex(code_hash) = upper('${hash}')`));
    assert.ok(id > 0);
    const replies = sql(db, `SELECT text FROM feedback_entries WHERE feedback_id = ${id} AND for_citizen = 1 ORDER BY id`).split('\n');
    assert.deepEqual(t.json.replies.map((r) => r.text), replies);
    for (const note of sql(db, `SELECT text FROM feedback_entries WHERE feedback_id = ${id} AND kind = 'note'`).split('\n').filter(Boolean)) {
      assert.ok(!t.text.includes(note), 'no internal note on the public page');
    }
  });

  test('the call-handling figures are computed from the demo rows', async () => {
    const from = new Date(untilMs - 72 * HOUR).toISOString();
    const to = new Date(untilMs + 1).toISOString();
    const r = await srv.api('GET', `/api/v1/metrics/call-handling?from=${from}&to=${to}`, { token: supervisor });
    assert.equal(r.status, 200, r.text);
    const f = r.json;
    assert.equal(f.calls, count(db, 'calls'));
    assert.equal(f.incidents, count(db, 'incidents'));
    assert.equal(f.abandoned, Number(sql(db, 'SELECT count(*) FROM telephony_calls WHERE state = 3')));
    assert.equal(f.intervals.ring_to_answer.count, f.calls);
    assert.ok(f.goals.answer_15s.share > 0.8 && f.goals.answer_15s.share < 1);
    assert.ok(f.goals.priority1_dispatch_60s.count > 0);
    assert.ok(f.intervals.on_scene_to_clear.count > 0);
    const byHour = Object.fromEntries(f.by_hour.map((h) => [h.hour, h.calls]));
    const night = byHour[3] + byHour[4] + byHour[5];
    const evening = byHour[18] + byHour[19] + byHour[20];
    assert.ok(evening > 2 * night, `evening ${evening}, small hours ${night}`);
    const rasht = f.by_county.find((c) => c.county === 'rasht');
    assert.ok(f.by_county.every((c) => c.calls <= rasht.calls), 'Rasht makes the most calls');
    assert.equal(f.by_county.reduce((n, c) => n + c.calls, 0), f.calls);
  });
});
