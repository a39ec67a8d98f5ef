// public_feedback.test.mjs — the 197 desk's public face (src/http/feedback_public.c):
// the categories, the public form and the tracking page, used as a citizen would
// (no log-in, Persian digits) and as someone abusing them would (huge bodies, bytes
// that are not UTF-8, unknown fields, floods, guessed tracking codes).
//
// "Changes nothing" is checked behind the API's back with sqlite3 (rows of feedback,
// feedback_entries, audit). The desk's side — a reply for the citizen and an internal
// note — is written through the desk's own route as oversight1.
import assert from 'node:assert/strict';
import { createHash, randomInt } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { validateResponse } from './lib/openapi.mjs';
import { ADMIN_PASSWORD, DEMO_PASSWORD, count, removeDir, sql, startServer } from './lib/server.mjs';
import { statusOf } from './lib/source.mjs';

// Damm's quasigroup (the check digit of tracking codes, core/feedback.h): a 12-digit
// code is well formed when running its digits through the table ends at 0.
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];
const damm = (digits) => [...digits].reduce((i, d) => DAMM[i][Number(d)], 0);
const withCheck = (eleven) => eleven + String(damm(eleven));
const randomCode = () => withCheck(Array.from({ length: 11 }, () => randomInt(10)).join(''));
const toPersian = (s) => s.replace(/[0-9]/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]);
const latinDigits = (s) => s.replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));

function assertError(r, code, field) {
  assert.equal(r.json?.error?.code, code, `expected ${code}, got ${r.status} ${r.text}`);
  assert.equal(r.status, statusOf(code));
  if (field !== undefined) assert.equal(r.json.error.field, field);
}

// What the store holds of the 197 desk, counted behind the API's back.
const rows = (srv) => ({ feedback: count(srv.db, 'feedback'), entries: count(srv.db, 'feedback_entries') });

function rawPost(srv, path, body, { contentType = 'application/json' } = {}) {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const head =
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n` +
    (contentType ? `Content-Type: ${contentType}\r\n` : '') +
    `Content-Length: ${b.length}\r\nConnection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), b]);
}

const COMPLAINT = 'مأمور كلانتري با من بي‌ادبانه رفتار كرد و فریاد زد.'; // Arabic ي and ك on purpose
const NOTE = 'یادداشت داخلی: پرونده به کلانتری فرستاده شد، به شهروند نگویید.';
const REPLY = 'شکایت شما بررسی شد و با مأمور برخورد انضباطی شد. از اطلاع‌رسانی شما سپاسگزاریم.';

describe('the public form and tracking page', () => {
  let srv;
  let desk; // oversight1
  let admin;
  let county;
  let station;
  let category; // a complaint category
  let receipt; // the answer of the first submission

  before(async () => {
    srv = await startServer({
      demo: true,
      env: { HAMYAR_FEEDBACK_PUBLIC_RATE: '1000', HAMYAR_FEEDBACK_TRACK_RATE: '1000' },
    });
    desk = await srv.login('oversight1', DEMO_PASSWORD);
    admin = await srv.login('admin', ADMIN_PASSWORD);
    county = sql(srv.db, 'SELECT code FROM counties ORDER BY code LIMIT 1');
    station = sql(srv.db, `SELECT code FROM stations WHERE county = '${county}' ORDER BY code LIMIT 1`);
    assert.ok(county && station, 'the reference data has a county with a station');
  });
  after(async () => {
    if (!srv) return;
    await srv.stop();
    removeDir(srv.dir);
  });

  test('the categories are public and are the desk\'s categories', async () => {
    const r = await srv.api('GET', '/api/v1/public/categories');
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length >= 5);
    for (const c of r.json.items) assert.match(c.name_fa, /[\u0600-\u06ff]/, `${c.code} has a Persian name`);
    const kinds = new Set(r.json.items.map((c) => c.kind));
    for (const k of ['praise', 'complaint', 'suggestion']) assert.ok(kinds.has(k), `a ${k} category`);
    const deskList = await srv.api('GET', '/api/v1/feedback/categories', { token: desk.token });
    assert.equal(deskList.status, 200);
    assert.deepEqual(r.json.items.map((c) => c.code), deskList.json.items.map((c) => c.code));
    category = r.json.items.find((c) => c.kind === 'complaint').code;
  });

  test('a citizen sends a complaint and gets a tracking code in Persian and Latin digits', async () => {
    const before = rows(srv);
    const r = await srv.api('POST', '/api/v1/public/feedback', {
      body: {
        kind: 'complaint',
        category,
        text: COMPLAINT,
        name: 'مريم رضايي',
        phone: '۰۹۱۲ ۱۲۳-۴۵۶۷',
        county,
        station,
        officer_name: 'سروان احمدي',
      },
    });
    assert.equal(r.status, 201, r.text);
    receipt = r.json;
    assert.match(receipt.tracking_code_fa, /^[۰-۹]{4}-[۰-۹]{4}-[۰-۹]{4}$/);
    assert.equal(latinDigits(receipt.tracking_code_fa), receipt.tracking_code);
    assert.equal(damm(receipt.tracking_code.replace(/-/g, '')), 0, 'the code carries a Damm check digit');
    assert.equal(receipt.status, 'received');
    assert.ok(receipt.message_fa.includes(`\u2066${receipt.tracking_code_fa}\u2069`),
      'the message repeats the code, isolated left to right so its groups read in order');
    assert.equal(rows(srv).feedback, before.feedback + 1);
    // The desk sees it as a web contact, normalised, from no desk officer.
    const list = await srv.api('GET', '/api/v1/feedback?limit=20', { token: desk.token });
    const f = list.json.items.find((x) => x.number_latin === receipt.number);
    assert.ok(f, 'the desk lists the new contact');
    assert.equal(f.channel, 'web');
    assert.equal(f.kind, 'complaint');
    assert.equal(f.category, category);
    assert.ok(f.text.includes('کلانتری') && !/[يك]/.test(f.text), 'Arabic yeh and kaf were normalised');
    assert.equal(f.citizen.phone, '09121234567');
    assert.equal(f.citizen.name, 'مریم رضایی');
    assert.equal(f.subject.station, station);
    assert.equal(f.created_by, null);
    receipt.id = f.id;
    // Only the code's SHA-256 is stored.
    const hash = createHash('sha256').update(receipt.tracking_code.replace(/-/g, '')).digest('hex');
    assert.equal(sql(srv.db, `SELECT id FROM feedback WHERE code_hash = X'${hash}'`), String(f.id));
    const audit = sql(srv.db, `SELECT actor || ' ' || ip FROM audit WHERE action = 'feedback.received' AND subject = 'feedback:${f.id}'`);
    assert.equal(audit, 'anonymous 127.0.0.1', 'the submission is audited as anonymous, with the address');
  });

  test('the tracking page answers to Persian digits, Latin digits, dashes and spaces', async () => {
    const latin = receipt.tracking_code;
    for (const typed of [receipt.tracking_code_fa, latin, latin.replace(/-/g, ''), toPersian(latin.replace(/-/g, ' '))]) {
      const r = await srv.api('GET', `/api/v1/public/feedback/${encodeURIComponent(typed)}`);
      assert.equal(r.status, 200, `${typed}: ${r.text}`);
      assert.equal(r.json.number, receipt.number);
      assert.equal(r.json.status, 'received');
      assert.deepEqual(r.json.replies, []);
    }
  });

  test('the tracking page shows replies for the citizen, never internal notes or anyone\'s data', async () => {
    const note = await srv.api('POST', `/api/v1/feedback/${receipt.id}/replies`, {
      token: desk.token,
      body: { text: NOTE, for_citizen: false },
    });
    assert.equal(note.status, 201, note.text);
    const reply = await srv.api('POST', `/api/v1/feedback/${receipt.id}/replies`, {
      token: desk.token,
      body: { text: REPLY, for_citizen: true },
    });
    assert.equal(reply.status, 201, reply.text);
    const r = await srv.api('GET', `/api/v1/public/feedback/${encodeURIComponent(receipt.tracking_code_fa)}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.replies.length, 1);
    assert.equal(r.json.replies[0].text, REPLY);
    assert.deepEqual(Object.keys(r.json.replies[0]).sort(), ['kind', 'text', 'time']);
    for (const secret of [NOTE, 'یادداشت', 'مریم', '09121234567', '۰۹۱۲', 'احمدی', 'فریاد', station, 'oversight1']) {
      assert.ok(!r.text.includes(secret), `the tracking answer must not hold ${secret}`);
    }
    for (const key of ['text', 'citizen', 'subject', 'officer', 'officer_name', 'id', 'assigned_to']) {
      assert.ok(!(key in r.json), `no ${key} in the public answer`);
    }
    const audited = Number(sql(srv.db, `SELECT count(*) FROM audit WHERE action = 'feedback.track' AND actor = 'anonymous' AND subject = 'feedback:${receipt.id}'`));
    assert.ok(audited >= 5, 'every lookup is audited as anonymous');
  });

  test('without kind or category the classifier\'s suggestion is taken, as at the desk', async () => {
    const text = 'از مأموران کلانتری که کیف گمشده‌ام را پیدا کردند صمیمانه تشکر و قدردانی می‌کنم.';
    const sug = await srv.api('POST', '/api/v1/feedback/classify', { token: desk.token, body: { text } });
    assert.equal(sug.status, 200, sug.text);
    const r = await srv.api('POST', '/api/v1/public/feedback', { body: { text } });
    assert.equal(r.status, 201, r.text);
    const t = await srv.api('GET', `/api/v1/public/feedback/${r.json.tracking_code}`);
    assert.ok(sug.json.found, 'the classifier knows thanks (else pick another text)');
    assert.equal(t.json.kind, sug.json.kind);
    assert.equal(t.json.category, sug.json.category);
    const none = await srv.api('POST', '/api/v1/public/feedback', { body: { text: 'سلام' } });
    const tn = await srv.api('GET', `/api/v1/public/feedback/${none.json.tracking_code}`);
    assert.equal(tn.json.kind, 'enquiry', 'no term matched: an enquiry');
    assert.equal(tn.json.category, null);
  });

  test('bad input is 400 naming the field, and stores nothing', async () => {
    const cases = [
      [{ kind: 'praise', category, text: 'متن' }, 'invalid_field', 'category'],
      [{ category: 'no_such_category', text: 'متن' }, 'invalid_field', 'category'],
      [{ kind: 'gossip', text: 'متن' }, 'invalid_field', 'kind'],
      [{ text: 'متن', county: 'nowhere' }, 'invalid_field', 'county'],
      [{ text: 'متن', county, station: 'no-station' }, 'invalid_field', 'station'],
      [{ text: 'متن', phone: 'call me' }, 'invalid_field', 'phone'],
      [{ name: 'بی‌متن' }, 'missing_field', 'text'],
      [{ text: '   ' }, 'invalid_field', 'text'],
      [{ text: 'ب'.repeat(4001) }, 'invalid_field', 'text'], // 8002 bytes: over the 8000-byte cap
      [{ text: 'متن', email: 'a@b.c' }, 'unknown_field', 'email'],
      [{ text: 42 }, 'invalid_field', 'text'],
    ];
    const before = rows(srv);
    for (const [body, code, field] of cases) {
      const r = await srv.api('POST', '/api/v1/public/feedback', { body });
      assertError(r, code, field);
    }
    assert.deepEqual(rows(srv), before);
  });

  test('a huge body is 413 before it is read, and stores nothing', async () => {
    const before = rows(srv);
    const big = JSON.stringify({ text: 'ش'.repeat(40 * 1024) }); // 80 KiB, over the 64 KiB cap
    const r = await srv.raw(rawPost(srv, '/api/v1/public/feedback', big), { pauseAfterHeaders: 300 });
    validateResponse('POST', '/api/v1/public/feedback', r.status, r.json, r.headers, r.text);
    assertError(r, 'payload_too_large');
    assert.deepEqual(rows(srv), before);
  });

  test('bytes that are not UTF-8, and bodies that are not JSON, are refused and store nothing', async () => {
    const before = rows(srv);
    for (const bad of [Buffer.from([0xff, 0xfe]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80])]) {
      const body = Buffer.concat([Buffer.from('{"text":"'), bad, Buffer.from('"}')]);
      const r = await srv.raw(rawPost(srv, '/api/v1/public/feedback', body));
      validateResponse('POST', '/api/v1/public/feedback', r.status, r.json, r.headers, r.text);
      assertError(r, 'invalid_utf8');
    }
    const form = await srv.raw(rawPost(srv, '/api/v1/public/feedback', 'text=x', { contentType: 'application/x-www-form-urlencoded' }));
    assertError(form, 'unsupported_media_type');
    const notJson = await srv.raw(rawPost(srv, '/api/v1/public/feedback', '{"text":'));
    assertError(notJson, 'bad_json');
    assert.deepEqual(rows(srv), before);
  });

  test('the form needs no log-in, and a session changes nothing about it', async () => {
    const r = await srv.api('POST', '/api/v1/public/feedback', { token: admin.token, body: { text: 'پیشنهاد: ساعت کاری کلانتری طولانی‌تر شود.', kind: 'suggestion' } });
    assert.equal(r.status, 201, r.text);
  });
});

describe('the public routes under abuse', () => {
  let srv;
  before(async () => {
    // The form at its default limit (3 a minute); lookups at 100 a minute so that a
    // hundred guesses pass before the limit answers.
    srv = await startServer({ env: { HAMYAR_FEEDBACK_TRACK_RATE: '100' } });
  });
  after(async () => {
    if (!srv) return;
    await srv.stop();
    removeDir(srv.dir);
  });

  let code; // a real code, for the wrong-check-digit case

  test('a flood of submissions from one address is 429 with Retry-After past the limit, storing nothing more', async () => {
    const start = rows(srv);
    const answers = [];
    for (let i = 0; i < 8; i++) {
      answers.push(await srv.api('POST', '/api/v1/public/feedback', { body: { text: `پیام شماره ${i} برای آزمون سیل درخواست` } }));
    }
    assert.deepEqual(answers.map((r) => r.status), [201, 201, 201, 429, 429, 429, 429, 429]);
    code = answers[0].json.tracking_code.replace(/-/g, '');
    for (const r of answers.slice(3)) {
      assertError(r, 'rate_limited');
      assert.ok(Number(r.headers['retry-after']) >= 1, 'Retry-After says how long to wait');
    }
    const end = rows(srv);
    assert.equal(end.feedback, start.feedback + 3, 'only the three allowed submissions are stored');
    // Refused even before the body is judged: a bad body is 429 too, not 400.
    const bad = await srv.api('POST', '/api/v1/public/feedback', { body: { nonsense: true } });
    assertError(bad, 'rate_limited');
  });

  test('guessed tracking codes: each is 404, alike; past the limit 429', async () => {
    const guesses = new Set();
    while (guesses.size < 100) {
      const c = randomCode();
      if (c !== code) guesses.add(c);
    }
    const auditBefore = Number(sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'feedback.track'"));
    const started = Date.now();
    let first;
    for (const g of guesses) {
      assert.equal(damm(g), 0, 'a well-formed guess');
      const r = await srv.api('GET', `/api/v1/public/feedback/${g}`);
      assertError(r, 'not_found');
      first ??= r.json;
      assert.deepEqual(r.json, first, 'every miss answers the same');
    }
    const misses = Number(sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'feedback.track'")) - auditBefore;
    assert.equal(misses, 100, 'each well-formed guess is audited');
    // The bucket refills at 100 a minute, so the guesses' own time bought a few more.
    const refilled = Math.ceil(((Date.now() - started) * 100) / 60000) + 1;
    let extra = 0;
    let over = await srv.api('GET', `/api/v1/public/feedback/${randomCode()}`);
    while (over.status === 404 && extra < refilled) {
      extra++;
      over = await srv.api('GET', `/api/v1/public/feedback/${randomCode()}`);
    }
    assertError(over, 'rate_limited');
    assert.ok(Number(over.headers['retry-after']) >= 1);
    const limited = Number(sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'feedback.track'")) - auditBefore;
    assert.equal(limited, 100 + extra, 'a limited look-up never reaches the store');
  });
});

describe('malformed tracking codes', () => {
  let srv;
  before(async () => {
    srv = await startServer({ env: { HAMYAR_FEEDBACK_TRACK_RATE: '1000' } });
  });
  after(async () => {
    if (!srv) return;
    await srv.stop();
    removeDir(srv.dir);
  });

  test('a wrong check digit, a wrong length or letters are the same 404 as an unknown code, unaudited', async () => {
    const made = await srv.api('POST', '/api/v1/public/feedback', { body: { text: 'پرسش درباره ساعت کاری کلانتری' } });
    assert.equal(made.status, 201);
    const good = made.json.tracking_code.replace(/-/g, '');
    const wrong = good.slice(0, 11) + String((Number(good[11]) + 1) % 10);
    const swapped = good.slice(0, 3) + good[4] + good[3] + good.slice(5);
    let other = randomCode();
    while (other === good) other = randomCode();
    const unknown = await srv.api('GET', `/api/v1/public/feedback/${other}`);
    assertError(unknown, 'not_found');
    const audit = count(srv.db, 'audit');
    for (const typed of [wrong, good.slice(0, 11), `${good}0`, 'abcdabcdabcd', toPersian(wrong), '----']) {
      const r = await srv.api('GET', `/api/v1/public/feedback/${encodeURIComponent(typed)}`);
      assertError(r, 'not_found');
      assert.deepEqual(r.json, unknown.json, `${typed}: the same answer as an unknown code`);
    }
    if (swapped !== good) {
      const r = await srv.api('GET', `/api/v1/public/feedback/${swapped}`);
      assert.equal(r.status, 404, 'Damm catches swapped neighbours');
    }
    assert.equal(count(srv.db, 'audit'), audit, 'malformed codes never reach the store');
    const ok = await srv.api('GET', `/api/v1/public/feedback/${good}`);
    assert.equal(ok.status, 200);
  });
});
