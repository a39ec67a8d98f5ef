// feedback.test.mjs — the 197 desk's routes: taking a contact (anonymous or not, the
// citizen's phone and national id, the subject's places, the classifier's suggestion
// and the officer's own classification, normalised text, the tracking code shown
// once, Idempotency-Key), bad input that changes nothing, the inbox with its filters
// and paging, reading a contact and its timeline, confirming or correcting the
// classification, assignment, the whole workflow with its illegal moves (409),
// replies and notes, overdue contacts under a 0-day deadline, live events without
// personal data, audit rows, and who may do what (a supervisor sees only what is
// assigned to them: 404 for the rest).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { code, field, startCentre } from './lib/centre.mjs';
import { DEMO_PASSWORD, cli, count, removeDir, sleep, sql, startServer, stopAndRemove } from './lib/server.mjs';
import { openEvents } from './lib/sse.mjs';

let srv;
let as;
let other; // a second supervisor, to whom nothing of this test is assigned
let jalaliYear;
const streams = [];

before(async () => {
  ({ srv, as } = await startCentre());
  const u = await srv.createUser(as.admin.token, 'desk.supervisor2', ['supervisor']);
  other = { user: u, token: (await srv.login('desk.supervisor2', u.password)).token };
  jalaliYear = (await srv.api('GET', '/api/v1/time')).json.jalali_latin.year;
});
after(() => stopAndRemove(srv, streams));

const tok = (role) => (typeof role === 'string' ? as[role].token : role.token);
const api = (method, path, role, body, opts = {}) => srv.api(method, path, { token: tok(role), body, ...opts });
const intake = (body, role = 'oversight', opts = {}) => api('POST', '/api/v1/feedback', role, body, opts);
const get = (id, role = 'oversight') => api('GET', `/api/v1/feedback/${id}`, role);
const move = (id, body, role = 'oversight') => api('POST', `/api/v1/feedback/${id}/status`, role, body);
const reply = (id, text, forCitizen, role = 'oversight') =>
  api('POST', `/api/v1/feedback/${id}/replies`, role, { text, for_citizen: forCitizen });
const assign = (id, body, role = 'oversight') => api('POST', `/api/v1/feedback/${id}/assign`, role, body);
const timeline = async (id) => (await api('GET', `/api/v1/feedback/${id}/timeline`, 'oversight')).json.items;
const rows = () => count(srv.db, 'feedback');

const persianDigits = (s) => s.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[d]);

// A contact taken at the desk; the test's own text unless given.
let serial = 0;
async function contact(body = {}) {
  serial += 1;
  const r = await intake({ channel: 'phone', kind: 'complaint', text: `شکایت شماره ${serial} از برخورد مأمور`, ...body });
  assert.equal(r.status, 201, r.text);
  return r.json.feedback;
}

describe('taking a contact at the desk', () => {
  test('an anonymous contact: number, tracking code shown once in both digit forms, received, due in 10 days', async () => {
    const r = await intake({ channel: 'letter', text: 'نامه‌ای بدون نام درباره ایست بازرسی' });
    assert.equal(r.status, 201, r.text);
    const { feedback: f, tracking_code: code12, tracking_code_fa: codeFa, suggestion } = r.json;
    assert.match(code12, /^\d{4}-\d{4}-\d{4}$/);
    assert.equal(codeFa, persianDigits(code12));
    assert.equal(f.citizen, null, 'anonymous');
    assert.equal(f.channel, 'letter');
    assert.equal(f.status, 'received');
    assert.equal(f.outcome, null);
    assert.equal(f.year, jalaliYear);
    assert.equal(f.number_latin, `${jalaliYear}-${String(f.seq).padStart(6, '0')}`);
    assert.equal(f.number, persianDigits(f.number_latin), 'Persian digits by default');
    assert.equal(Date.parse(f.due_at) - Date.parse(f.received_at), 10 * 86400000);
    assert.equal(f.overdue, false);
    assert.equal(f.created_by, as.oversight.user.id);
    assert.equal(f.classification_confirmed, false, 'the classifier chose, no officer confirmed');
    // Without kind and category the contact takes the suggestion, or enquiry.
    assert.equal(f.kind, suggestion.found ? suggestion.kind : 'enquiry');
    assert.equal(f.category, suggestion.found ? suggestion.category : null);
    // The code is nowhere in the stored contact, and not in its readable form.
    const stored = sql(srv.db, `SELECT * FROM feedback WHERE id = ${f.id}`);
    assert.ok(!stored.includes(code12.replace(/-/g, '')), 'only the hash of the code is kept');
    assert.ok(!JSON.stringify((await get(f.id)).json).includes(code12.replace(/-/g, '')));
  });

  test('the citizen and subject: phone in Latin digits, national id checked, county from the station, officer number', async () => {
    const f = await contact({
      channel: 'in_person',
      citizen: { name: 'علي كريمي', phone: '+98 ۹۱۱ ۱۲۳-۴۵۶۷', national_id: '۰۰۱۳۵۴۲۴۱۹' },
      kind: 'praise',
      subject: { station: 'rasht-k12', unit: 'rasht-k12-01', officer: '۱۲۳-۴۵', officer_name: 'سروان رضايي' },
      text: 'از  سرکار  رضايي   سپاسگزارم',
    });
    assert.deepEqual(f.citizen, { name: 'علی کریمی', phone: '00989111234567', national_id: '0013542419' });
    assert.deepEqual(f.subject, { county: 'rasht', station: 'rasht-k12', unit: 'rasht-k12-01', officer: '12345', officer_name: 'سروان رضایی' });
    assert.equal(f.text, 'از سرکار رضایی سپاسگزارم', 'normalised: Persian yeh, single spaces');
    assert.equal(f.kind, 'praise');
    assert.equal(f.category, null);
    assert.equal(f.classification_confirmed, false, 'a kind without a category is not a full classification');
  });

  test('a category implies its kind; with both the officer has classified it', async () => {
    const cats = (await api('GET', '/api/v1/feedback/categories', 'call_taker')).json.items;
    const praise = cats.find((c) => c.kind === 'praise');
    const complaint = cats.find((c) => c.kind === 'complaint');
    const a = await contact({ kind: undefined, category: complaint.code });
    assert.equal(a.kind, 'complaint');
    assert.equal(a.category, complaint.code);
    assert.equal(a.category_fa, complaint.name_fa);
    assert.equal(a.classification_confirmed, true);
    const before = rows();
    const r = await intake({ channel: 'phone', kind: 'complaint', category: praise.code, text: 'متن' });
    assert.equal(r.status, 400);
    assert.equal(field(r), 'category');
    assert.equal(rows(), before);
  });

  test('bad input is a clear 400 and stores nothing', async () => {
    const before = rows();
    const cases = [
      [{ channel: 'phone' }, 'missing_field', 'text'],
      [{ text: 'متن' }, 'missing_field', 'channel'],
      [{ channel: 'fax', text: 'متن' }, 'invalid_field', 'channel'],
      [{ channel: 'open311', text: 'متن' }, 'invalid_field', 'channel'],
      [{ channel: 'phone', kind: 'rumour', text: 'متن' }, 'invalid_field', 'kind'],
      [{ channel: 'phone', category: 'no_such', text: 'متن' }, 'invalid_field', 'category'],
      [{ channel: 'phone', text: '' }, 'invalid_field', 'text'],
      [{ channel: 'phone', text: 'ب'.repeat(4001) }, 'invalid_field', 'text'], // 8002 bytes > 8000
      [{ channel: 'phone', citizen: { national_id: '0013542418' }, text: 'متن' }, 'invalid_field', 'citizen.national_id'],
      [{ channel: 'phone', citizen: { national_id: '12345' }, text: 'متن' }, 'invalid_field', 'citizen.national_id'],
      [{ channel: 'phone', citizen: { phone: 'نامعلوم' }, text: 'متن' }, 'invalid_field', 'citizen.phone'],
      [{ channel: 'phone', citizen: { age: 40 }, text: 'متن' }, 'unknown_field', 'citizen.age'],
      [{ channel: 'phone', citizen: 'anonymous', text: 'متن' }, 'invalid_field', 'citizen'],
      [{ channel: 'phone', subject: { station: 'nowhere-k99' }, text: 'متن' }, 'invalid_field', 'subject.station'],
      [{ channel: 'phone', subject: { county: 'atlantis' }, text: 'متن' }, 'invalid_field', 'subject.county'],
      [{ channel: 'phone', subject: { county: 'lahijan', station: 'rasht-k11' }, text: 'متن' }, 'invalid_field', 'subject.county'],
      [{ channel: 'phone', subject: { officer: 'abc' }, text: 'متن' }, 'invalid_field', 'subject.officer'],
      [{ channel: 'phone', text: 'متن', status: 'closed' }, 'unknown_field', 'status'],
    ];
    for (const [body, want, where] of cases) {
      const r = await intake(body);
      assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
      assert.equal(code(r), want, JSON.stringify(body).slice(0, 80));
      assert.equal(field(r), where, JSON.stringify(body).slice(0, 80));
      assert.ok(r.json.error.message.length > 0);
    }
    // A body past the request cap, and bytes that are not UTF-8 (the dispatcher's own checks).
    const huge = await intake({ channel: 'phone', text: 'ب'.repeat(40000) });
    assert.equal(huge.status, 413);
    const bad = Buffer.concat([Buffer.from('{"channel":"phone","text":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const raw = await srv.raw(
      Buffer.concat([
        Buffer.from(
          `POST /api/v1/feedback HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${as.oversight.token}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${bad.length}\r\nConnection: close\r\n\r\n`,
        ),
        bad,
      ]),
    );
    assert.equal(raw.status, 400);
    assert.equal(raw.json.error.code, 'invalid_utf8');
    assert.equal(rows(), before, 'nothing stored');
  });

  test('only the desk takes contacts', async () => {
    for (const role of ['call_taker', 'supervisor', 'records', 'analyst', 'commander', 'admin']) {
      const r = await intake({ channel: 'phone', text: 'متن' }, role);
      assert.equal(r.status, 403, role);
      assert.equal(code(r), 'forbidden');
    }
  });

  test('Idempotency-Key: a retry gets the same contact and code; another body with the key is 409', async () => {
    const body = { channel: 'phone', kind: 'suggestion', text: 'پیشنهاد برای نورپردازی پارک' };
    const headers = { 'idempotency-key': 'desk-intake-1' };
    const before = rows();
    const a = await intake(body, 'oversight', { headers });
    const b = await intake(body, 'oversight', { headers });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.equal(b.headers['idempotent-replayed'], 'true');
    assert.equal(b.json.feedback.id, a.json.feedback.id);
    assert.equal(b.json.tracking_code, a.json.tracking_code);
    assert.equal(rows(), before + 1);
    const c = await intake({ ...body, text: 'متن دیگر' }, 'oversight', { headers });
    assert.equal(c.status, 409);
    assert.equal(code(c), 'idempotency_mismatch');
    assert.equal(rows(), before + 1);
  });

  test('a new contact is announced without personal data, and audited', async () => {
    const sup = await openEvents(srv, { token: as.supervisor.token });
    const ct = await openEvents(srv, { token: as.call_taker.token });
    streams.push(sup, ct);
    const f = await contact({ citizen: { name: 'محرمانه', phone: '09111111111' }, text: 'متن محرمانه شهروند' });
    const ev = await sup.waitForEvent((e) => e.event === 'feedback.created' && e.data.payload.id === f.id, 'feedback.created');
    assert.deepEqual(Object.keys(ev.data.payload).sort(), ['assigned_to', 'id', 'kind', 'number', 'overdue', 'status']);
    assert.deepEqual(ev.data.payload, { id: f.id, number: f.number_latin, kind: 'complaint', status: 'received', overdue: false, assigned_to: null });
    assert.equal(ev.data.subject, `feedback:${f.id}`);
    assert.ok(!JSON.stringify(ev.data).includes('محرمانه'));
    // A call-taker's console is not the desk's audience.
    await sleep(300);
    assert.ok(!ct.events.some((e) => e.event.startsWith('feedback.')), 'call-takers do not receive desk events');
    assert.equal(sql(srv.db, `SELECT count(*) FROM audit WHERE action = 'feedback.received' AND subject = 'feedback:${f.id}'`), '1');
  });
});

describe('the classifier and the categories', () => {
  test('categories: every person may read them, each of a known kind, with Persian names', async () => {
    const r = await api('GET', '/api/v1/feedback/categories', 'dispatcher');
    assert.equal(r.status, 200);
    assert.ok(r.json.items.length >= 5);
    const kinds = r.json.kinds.map((k) => k.code);
    assert.deepEqual(kinds, ['praise', 'complaint', 'suggestion', 'report', 'enquiry']);
    for (const c of r.json.items) assert.ok(kinds.includes(c.kind) && c.name_fa && c.name_en, c.code);
    for (const k of ['praise', 'complaint']) assert.ok(r.json.items.some((c) => c.kind === k), k);
    assert.deepEqual(r.json.statuses.map((s) => s.code), ['received', 'assigned', 'under_review', 'answered', 'closed']);
    assert.deepEqual(r.json.outcomes.map((s) => s.code), ['substantiated', 'not_substantiated', 'reconciled', 'withdrawn', 'forwarded']);
  });

  test('classify shows its reasons, reads Arabic letters as Persian, stores nothing', async () => {
    const before = rows();
    const text = 'از برخورد محترمانه و رفتار خوب مأمور تشکر و قدردانی می‌کنم';
    const a = await api('POST', '/api/v1/feedback/classify', 'oversight', { text });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.found, true, 'a plain praise is recognised');
    assert.equal(a.json.kind, 'praise');
    assert.ok(a.json.reasons.length >= 1);
    for (const reason of a.json.reasons) assert.ok(text.includes(reason.term.split(' ')[0].slice(0, 3)), reason.term);
    const weights = a.json.reasons.map((x) => x.weight);
    assert.deepEqual(weights, [...weights].sort((x, y) => y - x), 'strongest first');
    const arabic = await api('POST', '/api/v1/feedback/classify', 'supervisor', { text: text.replace(/ی/g, 'ي').replace(/ک/g, 'ك') });
    assert.deepEqual(arabic.json, a.json);
    const none = await api('POST', '/api/v1/feedback/classify', 'oversight', { text: 'qwerty' });
    assert.deepEqual(none.json, { found: false, kind: null, category: null, score: 0, reasons: [] });
    assert.equal(rows(), before);
    assert.equal((await api('POST', '/api/v1/feedback/classify', 'oversight', {})).status, 400);
    assert.equal((await api('POST', '/api/v1/feedback/classify', 'call_taker', { text })).status, 403);
  });
});

describe('the inbox', () => {
  test('filters, paging, and an audited read', async () => {
    const praise = await contact({ kind: 'praise', channel: 'web', subject: { station: 'lahijan-k11', officer: '777001' } });
    const complaint = await contact({ kind: 'complaint', channel: 'letter', subject: { station: 'lahijan-k11' } });
    const ids = (r) => r.json.items.map((f) => f.id);
    const list = (q, role = 'oversight') => api('GET', `/api/v1/feedback${q}`, role);
    let r = await list('?station=lahijan-k11');
    assert.equal(r.status, 200);
    assert.deepEqual(ids(r), [complaint.id, praise.id], 'newest first');
    assert.deepEqual(ids(await list('?county=lahijan&kind=praise')), [praise.id]);
    assert.deepEqual(ids(await list('?station=lahijan-k11&channel=letter')), [complaint.id]);
    assert.deepEqual(ids(await list(`?officer=${encodeURIComponent('۷۷۷۰۰۱')}`)), [praise.id]);
    assert.deepEqual(ids(await list('?station=lahijan-k11&status=assigned,closed')), []);
    assert.deepEqual(ids(await list('?station=lahijan-k11&status=received,closed')), [complaint.id, praise.id]);
    assert.deepEqual(ids(await list(`?station=lahijan-k11&from=${jalaliYear}&to=${jalaliYear}`)), [complaint.id, praise.id]);
    assert.deepEqual(ids(await list(`?station=lahijan-k11&to=${jalaliYear - 1}`)), []);
    const page1 = await list('?station=lahijan-k11&limit=1');
    assert.deepEqual(ids(page1), [complaint.id]);
    assert.ok(page1.json.next_cursor);
    const page2 = await list(`?station=lahijan-k11&limit=1&cursor=${page1.json.next_cursor}`);
    assert.deepEqual(ids(page2), [praise.id]);
    assert.equal(page2.json.next_cursor, null);
    const audited = sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'feedback.list'");
    assert.ok(Number(audited) >= 9);
    for (const q of ['?status=lost', '?kind=x', '?channel=fax', '?category=x', '?county=atlantis', '?station=x', '?officer=abc', '?overdue=maybe', '?from=yesterday', '?limit=0', '?cursor=-1']) {
      const bad = await list(q);
      assert.equal(bad.status, 400, q);
      assert.equal(code(bad), 'invalid_field', q);
    }
  });

  test('the desk lists the supervisors it can assign to: enabled ones only, audited', async () => {
    const r = await api('GET', '/api/v1/feedback/assignees', 'oversight');
    assert.equal(r.status, 200, r.text);
    const names = r.json.items.map((u) => u.username);
    assert.ok(names.includes('supervisor1') && names.includes('desk.supervisor2'), names.join());
    assert.ok(!names.includes('oversight1') && !names.includes('dispatcher1'), 'only supervisors');
    const gone = await srv.createUser(as.admin.token, 'desk.supervisor3', ['supervisor']);
    assert.equal((await srv.api('PATCH', `/api/v1/users/${gone.id}`, { token: as.admin.token, body: { disabled: true } })).status, 200);
    const after = (await api('GET', '/api/v1/feedback/assignees', 'oversight')).json.items.map((u) => u.username);
    assert.ok(!after.includes('desk.supervisor3'), 'a disabled supervisor is not offered');
    for (const role of ['supervisor', 'call_taker', 'analyst']) assert.equal((await api('GET', '/api/v1/feedback/assignees', role)).status, 403, role);
    assert.ok(Number(sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'feedback.assignees' AND actor = 'oversight1'")) >= 2);
  });

  test('a supervisor sees only what is assigned to them, and others are 404', async () => {
    const mine = await contact({ subject: { station: 'rasht-k13' } });
    const theirs = await contact({ subject: { station: 'rasht-k13' } });
    assert.equal((await assign(mine.id, { user_id: as.supervisor.user.id })).status, 200);
    assert.equal((await assign(theirs.id, { user_id: other.user.id })).status, 200);
    const seen = (await api('GET', `/api/v1/feedback?station=rasht-k13&assigned_to=${other.user.id}`, 'supervisor')).json.items.map((f) => f.id);
    assert.deepEqual(seen, [mine.id], 'their own, whatever the filter asks');
    assert.equal((await get(mine.id, 'supervisor')).status, 200);
    for (const [method, path, body] of [
      ['GET', `/api/v1/feedback/${theirs.id}`],
      ['GET', `/api/v1/feedback/${theirs.id}/timeline`],
      ['POST', `/api/v1/feedback/${theirs.id}/status`, { status: 'under_review' }],
      ['POST', `/api/v1/feedback/${theirs.id}/replies`, { text: 'پاسخ', for_citizen: true }],
    ]) {
      const r = await api(method, path, 'supervisor', body);
      assert.equal(r.status, 404, `${method} ${path}`);
      assert.equal(code(r), 'not_found');
    }
    const unassigned = await contact();
    assert.equal((await get(unassigned.id, 'supervisor')).status, 404);
    assert.equal((await get(999999)).status, 404, 'a missing contact looks the same');
    // And roles outside the desk are refused outright.
    for (const role of ['call_taker', 'dispatcher', 'records', 'analyst', 'commander']) {
      assert.equal((await get(mine.id, role)).status, 403, role);
      assert.equal((await api('GET', '/api/v1/feedback', role)).status, 403, role);
    }
  });

  test('a contact with its timeline and the classifier\'s reasons; the read is audited', async () => {
    const f = await contact({ text: 'از رفتار مأمور تشکر می‌کنم' });
    const r = await get(f.id);
    assert.equal(r.status, 200);
    assert.equal(r.json.feedback.id, f.id);
    assert.equal(r.json.timeline.length, 1);
    const [line] = r.json.timeline;
    assert.equal(line.kind, 'received');
    assert.equal(line.actor, 'oversight1');
    assert.equal(line.for_citizen, false);
    assert.equal(line.data.channel, 'phone');
    assert.equal(typeof r.json.classification.found, 'boolean');
    assert.equal(sql(srv.db, `SELECT count(*) FROM audit WHERE action = 'feedback.read' AND subject = 'feedback:${f.id}'`), '1');
    assert.deepEqual(await timeline(f.id), r.json.timeline);
    assert.equal(sql(srv.db, `SELECT count(*) FROM audit WHERE action = 'feedback.read_timeline' AND subject = 'feedback:${f.id}'`), '1');
  });
});

describe('confirming or correcting the classification', () => {
  test('kind, category and subject change, the contact is confirmed, and the line shows before and after', async () => {
    const cats = (await api('GET', '/api/v1/feedback/categories', 'oversight')).json.items;
    const complaintCat = cats.find((c) => c.kind === 'complaint');
    const praiseCat = cats.find((c) => c.kind === 'praise');
    const f = await contact({ category: complaintCat.code, subject: { station: 'rasht-k11', officer: '4242' } });
    let r = await api('PATCH', `/api/v1/feedback/${f.id}`, 'oversight', { kind: 'praise', subject: { station: 'lahijan-k11', officer: null } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.kind, 'praise');
    assert.equal(r.json.category, null, 'a category of the old kind is dropped');
    assert.equal(r.json.classification_confirmed, true);
    assert.deepEqual(r.json.subject, { county: 'lahijan', station: 'lahijan-k11', unit: null, officer: null, officer_name: null });
    const line = (await timeline(f.id)).at(-1);
    assert.equal(line.kind, 'classified');
    assert.equal(line.data.from.kind, 'complaint');
    assert.equal(line.data.from.category, complaintCat.code);
    assert.equal(line.data.from.officer, '4242');
    assert.equal(line.data.to.kind, 'praise');
    assert.equal(line.data.to.county, 'lahijan');
    r = await api('PATCH', `/api/v1/feedback/${f.id}`, 'oversight', { category: praiseCat.code });
    assert.equal(r.json.category, praiseCat.code);
    r = await api('PATCH', `/api/v1/feedback/${f.id}`, 'oversight', {});
    assert.equal(r.status, 200, 'an empty body confirms as it is');
    for (const [body, where] of [
      [{ kind: 'complaint', category: praiseCat.code }, 'category'],
      [{ category: 'no_such' }, 'category'],
      [{ kind: 'x' }, 'kind'],
      [{ subject: { station: 'nowhere' } }, 'subject.station'],
      [{ text: 'متن' }, 'text'],
    ]) {
      const bad = await api('PATCH', `/api/v1/feedback/${f.id}`, 'oversight', body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(field(bad), where);
    }
    assert.equal((await get(f.id)).json.feedback.category, praiseCat.code, 'refused changes changed nothing');
    assert.equal((await api('PATCH', `/api/v1/feedback/${f.id}`, 'supervisor', {})).status, 403);
    assert.equal((await api('PATCH', '/api/v1/feedback/999999', 'oversight', {})).status, 404);
  });
});

describe('the workflow', () => {
  test('received → assigned → under_review → answered → (reopened) → answered → closed, and the refused moves', async () => {
    const f = await contact({ subject: { station: 'rasht-k14' } });
    const conflict = async (r, why) => {
      assert.equal(r.status, 409, `${why}: ${r.text}`);
      assert.equal(code(r), 'conflict', why);
      assert.ok(r.json.error.message.length > 0);
    };
    await conflict(await move(f.id, { status: 'answered' }), 'received → answered');
    await conflict(await move(f.id, { status: 'assigned' }), 'assigned only through assign');
    await conflict(await move(f.id, { status: 'closed', outcome: 'substantiated' }), 'not judged unanswered');
    // Assignment: only an enabled supervisor, and a known station.
    const dispatcher = as.dispatcher.user.id;
    let r = await assign(f.id, { user_id: dispatcher });
    assert.equal(r.status, 400);
    assert.equal(field(r), 'user_id');
    const gone = await srv.createUser(as.admin.token, 'desk.gone', ['supervisor']);
    await srv.api('PATCH', `/api/v1/users/${gone.id}`, { token: as.admin.token, body: { disabled: true } });
    assert.equal(field(await assign(f.id, { user_id: gone.id })), 'user_id');
    assert.equal(field(await assign(f.id, { user_id: 999999 })), 'user_id');
    assert.equal(field(await assign(f.id, { user_id: as.supervisor.user.id, station: 'nowhere' })), 'station');
    assert.equal((await assign(f.id, { user_id: as.supervisor.user.id }, 'supervisor')).status, 403);
    r = await assign(f.id, { user_id: other.user.id, station: 'rasht-k15' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'assigned');
    assert.equal(r.json.assigned_to, other.user.id);
    assert.equal(r.json.subject.station, 'rasht-k15');
    assert.ok(r.json.assigned_at);
    const firstAssigned = r.json.assigned_at;
    // The assigned supervisor works it.
    r = await move(f.id, { status: 'under_review', text: 'بررسی آغاز شد' }, other);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'under_review');
    // Re-assigned while under review: the status stays, the first assignment's time too.
    r = await assign(f.id, { user_id: as.supervisor.user.id });
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'under_review');
    assert.equal(r.json.assigned_to, as.supervisor.user.id);
    assert.equal(r.json.assigned_at, firstAssigned);
    assert.equal((await get(f.id, other)).status, 404, 'the former assignee no longer sees it');
    // Answered needs a reply for the citizen; an internal note is not one.
    await conflict(await move(f.id, { status: 'answered' }, 'supervisor'), 'answered without a reply');
    r = await reply(f.id, 'یادداشت داخلی: با مأمور صحبت شد', false, 'supervisor');
    assert.equal(r.status, 201);
    assert.equal(r.json.kind, 'note');
    assert.equal(r.json.for_citizen, false);
    await conflict(await move(f.id, { status: 'answered' }, 'supervisor'), 'answered with a note only');
    r = await reply(f.id, 'شهروند گرامی، موضوع بررسی شد', true, 'supervisor');
    assert.equal(r.status, 201);
    assert.equal(r.json.kind, 'reply');
    assert.equal(r.json.for_citizen, true);
    assert.equal((await get(f.id)).json.feedback.status, 'under_review', 'a reply does not move the contact');
    r = await move(f.id, { status: 'answered' }, 'supervisor');
    assert.equal(r.status, 200, r.text);
    const firstAnswer = r.json.answered_at;
    assert.ok(firstAnswer);
    // Reopened (the citizen wrote back) and answered again: the first answer's time is kept.
    assert.equal((await move(f.id, { status: 'under_review' })).status, 200);
    r = await move(f.id, { status: 'answered' });
    assert.equal(r.json.answered_at, firstAnswer);
    await conflict(await assign(f.id, { user_id: as.supervisor.user.id }), 'answered contacts are not re-assigned');
    // Closing: with an outcome, never without.
    r = await move(f.id, { status: 'closed' });
    assert.equal(r.status, 400);
    assert.equal(code(r), 'missing_field');
    assert.equal(field(r), 'outcome');
    r = await move(f.id, { status: 'answered', outcome: 'reconciled' });
    assert.equal(r.status, 400);
    assert.equal(field(r), 'outcome');
    assert.equal(field(await move(f.id, { status: 'closed', outcome: 'forgiven' })), 'outcome');
    assert.equal(field(await move(f.id, { status: 'lost' })), 'status');
    r = await move(f.id, { status: 'closed', outcome: 'reconciled' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'closed');
    assert.equal(r.json.outcome, 'reconciled');
    assert.ok(r.json.closed_at);
    // Closed contacts do not move, and the citizen gets no more replies; notes are still kept.
    for (const to of ['received', 'under_review', 'answered']) await conflict(await move(f.id, { status: to }), `closed → ${to}`);
    await conflict(await reply(f.id, 'پاسخ دیرهنگام', true), 'reply after close');
    assert.equal((await reply(f.id, 'یادداشت پس از بستن', false)).status, 201);
    // Every step is a line, oldest first, and an audit row.
    const kinds = (await timeline(f.id)).map((l) => l.kind);
    assert.deepEqual(kinds, ['received', 'assigned', 'status', 'assigned', 'note', 'reply', 'status', 'status', 'status', 'closed', 'note']);
    const audit = sql(srv.db, `SELECT action FROM audit WHERE subject = 'feedback:${f.id}' AND action NOT LIKE '%read%' ORDER BY id`).split('\n');
    assert.deepEqual(audit, kinds.map((k) => `feedback.${k}`));
  });

  test('a contact not answered closes only as withdrawn or forwarded', async () => {
    const f = await contact();
    assert.equal((await move(f.id, { status: 'closed', outcome: 'not_substantiated' })).status, 409);
    const r = await move(f.id, { status: 'closed', outcome: 'withdrawn', text: 'شهروند شکایت را پس گرفت' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.outcome, 'withdrawn');
    assert.equal(r.json.answered_at, null);
  });

  test('each step is announced as feedback.updated with the new status', async () => {
    const s = await openEvents(srv, { token: as.oversight.token });
    streams.push(s);
    const f = await contact();
    await assign(f.id, { user_id: as.supervisor.user.id });
    const ev = await s.waitForEvent(
      (e) => e.event === 'feedback.updated' && e.data.payload.id === f.id && e.data.payload.status === 'assigned',
      'feedback.updated',
    );
    assert.equal(ev.data.payload.assigned_to, as.supervisor.user.id);
  });

  test('bad replies and status bodies', async () => {
    const f = await contact();
    for (const [body, where, want] of [
      [{ text: 'پاسخ' }, 'for_citizen', 'missing_field'],
      [{ for_citizen: true }, 'text', 'missing_field'],
      [{ text: 'پ'.repeat(4001), for_citizen: true }, 'text', 'invalid_field'],
      [{ text: 'پاسخ', for_citizen: 'yes' }, 'for_citizen', 'invalid_field'],
    ]) {
      const r = await api('POST', `/api/v1/feedback/${f.id}/replies`, 'oversight', body);
      assert.equal(r.status, 400, JSON.stringify(body).slice(0, 60));
      assert.equal(field(r), where);
      assert.equal(code(r), want);
    }
    assert.equal((await move(f.id, {})).status, 400);
    assert.equal((await reply(999999, 'پاسخ', true)).status, 404);
    assert.equal((await move(999999, { status: 'under_review' })).status, 404);
    assert.equal((await assign(999999, { user_id: as.supervisor.user.id })).status, 404);
    assert.equal((await reply(f.id, 'پاسخ', true, 'call_taker')).status, 403);
    assert.equal((await move(f.id, { status: 'under_review' }, 'records')).status, 403);
    assert.deepEqual((await timeline(f.id)).map((l) => l.kind), ['received'], 'nothing was written');
  });
});

describe('deadlines', () => {
  let fast;
  before(async () => {
    fast = await startServer({ demo: true, env: { HAMYAR_FEEDBACK_DEADLINE_DAYS: '0' } });
  });
  after(async () => {
    if (!fast) return;
    await fast.stop();
    removeDir(fast.dir);
  });

  test('with a 0-day deadline a contact is overdue until it is answered', async () => {
    const desk = (await fast.login('oversight1', DEMO_PASSWORD)).token;
    const r = await fast.api('POST', '/api/v1/feedback', { token: desk, body: { channel: 'phone', text: 'شکایت دیرکرد' } });
    assert.equal(r.status, 201, r.text);
    const f = r.json.feedback;
    assert.equal(f.due_at, f.received_at);
    await sleep(5);
    const read = async () => (await fast.api('GET', `/api/v1/feedback/${f.id}`, { token: desk })).json.feedback;
    assert.equal((await read()).overdue, true);
    const overdue = await fast.api('GET', '/api/v1/feedback?overdue=true', { token: desk });
    assert.deepEqual(overdue.json.items.map((x) => x.id), [f.id]);
    // On the default server (10 days) nothing of this test is overdue.
    assert.deepEqual((await srv.api('GET', '/api/v1/feedback?overdue=true', { token: as.oversight.token })).json.items, []);
    // Still overdue while assigned and under review; answered: no longer.
    const sup = (await fast.login('supervisor1', DEMO_PASSWORD)).user.id;
    const post = async (path, body, want = 200) => {
      const a = await fast.api('POST', `/api/v1/feedback/${f.id}/${path}`, { token: desk, body });
      assert.equal(a.status, want, `${path}: ${a.text}`);
      return a.json;
    };
    assert.equal((await post('assign', { user_id: sup })).overdue, true);
    assert.equal((await post('status', { status: 'under_review' })).overdue, true);
    await post('replies', { text: 'پاسخ شما', for_citizen: true }, 201);
    assert.equal((await post('status', { status: 'answered' })).overdue, false);
    assert.equal((await read()).overdue, false);
    assert.deepEqual((await fast.api('GET', '/api/v1/feedback?overdue=true', { token: desk })).json.items, []);
  });

  test('the deadline is checked when the server starts', () => {
    const r = cli(['serve', '--db', fast.db, '--listen', '127.0.0.1:0', '--feedback-deadline-days', '400']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /feedback-deadline-days/);
  });
});
