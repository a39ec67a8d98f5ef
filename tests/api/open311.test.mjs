// open311.test.mjs — Open311 GeoReport v2 (src/http/open311.c) checked by a client
// hamyar did not write: the published swagger draft of the spec
// (shared/standards/open311/georeport_v2-1.swagger.yaml) is validated with
// @apidevtools/swagger-parser, hamyar's JSON answers are checked against its response
// schemas with ajv, and its XML answers are checked for well-formedness and read with
// fast-xml-parser. Each answer also goes through the harness's check against
// docs/openapi.yaml, which describes the same routes more strictly (no extra fields).
//
// Where the draft and the spec's prose disagree, the prose wins and the test says so:
// the draft names the one-request path /request/{id} and gives it (and tokens/{token})
// a single object, while the spec answers /requests/{id} and tokens/{token} with a list
// (service_requests) — each item is checked against the draft's object schema.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

import { ADMIN_PASSWORD, DEMO_PASSWORD, count, removeDir, sql, startServer } from './lib/server.mjs';
import { SOURCE_DIR } from './lib/paths.mjs';

// The published draft is not part of hamyar (it is the standard's text, not ours): it is
// read where the workplace keeps the standards, or from HAMYAR_OPEN311_SWAGGER. Without
// it the checks against its schemas are skipped, loudly; every other check still runs.
const SWAGGER_PLACES = [
  process.env.HAMYAR_OPEN311_SWAGGER,
  join(SOURCE_DIR, '..', 'shared', 'standards', 'open311', 'georeport_v2-1.swagger.yaml'),
  '/work/shared/standards/open311/georeport_v2-1.swagger.yaml',
].filter(Boolean);
const SWAGGER = SWAGGER_PLACES.find((p) => existsSync(p));
const NO_DRAFT = SWAGGER ? false : `the published swagger draft is not at any of: ${SWAGGER_PLACES.join(', ')}`;
if (NO_DRAFT) console.warn(`open311.test: ${NO_DRAFT}; the schema checks are skipped`);
const JURISDICTION = 'gilan.police.ir';
const DAY = 86400000;

// ---- the independent client ---------------------------------------------------------

let draft; // the swagger draft, dereferenced
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// The draft's own formats for ids and numbers say nothing a validator can check.
for (const f of ['uid', 'double', 'uint']) ajv.addFormat(f, true);

function schemaOf(path, method, status = '200') {
  if (NO_DRAFT) return null;
  const s = draft.paths[path]?.[method]?.responses?.[status]?.schema;
  assert.ok(s, `the draft has a ${status} schema for ${method.toUpperCase()} ${path}`);
  return s;
}

function conforms(schema, value, what) {
  if (NO_DRAFT) return;
  const validate = ajv.compile(schema);
  assert.ok(validate(value), `${what} does not match the swagger draft: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 400)}`);
}

// Items that repeat are lists even when one comes; every text stays text.
const xml = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => ['service', 'request', 'error', 'endpoint', 'format', 'attribute'].includes(name),
});

function parseXml(r, root) {
  assert.match(r.headers['content-type'], /^text\/xml; charset=utf-8$/i);
  assert.ok(r.text.startsWith('<?xml version="1.0" encoding="utf-8"?>'), 'the XML declaration comes first');
  assert.equal(XMLValidator.validate(r.text), true, `well-formed XML: ${r.text.slice(0, 300)}`);
  const doc = xml.parse(r.text);
  assert.ok(root in doc, `the root element is <${root}>: ${r.text.slice(0, 200)}`);
  return doc[root];
}

// The spec's error answer: a list of {code, description}, code the HTTP status.
function assertErrors(r, status, fmt) {
  assert.equal(r.status, status, `expected ${status}: ${r.text}`);
  if (fmt === 'json') {
    assert.match(r.headers['content-type'], /^application\/json; charset=utf-8$/i);
    assert.ok(Array.isArray(r.json) && r.json.length >= 1, r.text);
    for (const e of r.json) {
      assert.equal(e.code, status);
      assert.equal(typeof e.description, 'string');
      assert.ok(e.description.length > 0);
    }
    return r.json[0].description;
  }
  const errors = parseXml(r, 'errors');
  assert.equal(errors.error.length, 1);
  assert.equal(errors.error[0].code, String(status));
  return errors.error[0].description;
}

const form = (fields) => new URLSearchParams(fields).toString();

describe('the swagger draft', () => {
  test('is a valid Swagger 2.0 document with the paths GeoReport v2 defines', { skip: NO_DRAFT }, async () => {
    const api = await SwaggerParser.validate(SWAGGER);
    assert.equal(api.swagger, '2.0');
    draft = await SwaggerParser.dereference(SWAGGER);
    for (const p of ['/services.{response_format}', '/services/{service_code}.{response_format}', '/requests.{response_format}', '/tokens/{token_id}.{response_format}']) {
      assert.ok(draft.paths[p], `the draft has ${p}`);
    }
  });
});

describe('Open311 GeoReport v2', () => {
  let srv;
  let admin;
  let desk;
  let key; // an open311 key
  let services;
  const made = []; // [{id, token}] of the requests POSTed here

  before(async () => {
    if (!draft && SWAGGER) draft = await SwaggerParser.dereference(SWAGGER);
    srv = await startServer({ demo: true, env: { HAMYAR_FEEDBACK_TRACK_RATE: '1000', HAMYAR_FEEDBACK_PUBLIC_RATE: '1000' } });
    admin = await srv.login('admin', ADMIN_PASSWORD);
    desk = await srv.login('oversight1', DEMO_PASSWORD);
    const k = await srv.api('POST', '/api/v1/apikeys', { token: admin.token, body: { name: 'fixmystreet-rasht', role: 'open311' } });
    assert.equal(k.status, 201, k.text);
    key = k.json.key;
  });
  after(async () => {
    if (!srv) return;
    await srv.stop();
    removeDir(srv.dir);
  });

  const get = (path, opts) => srv.api('GET', `/open311/v2/${path}`, opts);
  const post = (fmt, fields, headers = {}) =>
    srv.api('POST', `/open311/v2/requests.${fmt}`, {
      body: typeof fields === 'string' ? fields : form(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    });

  test('discovery names this endpoint and its two formats, in JSON and XML', async () => {
    const j = await get('discovery.json');
    assert.equal(j.status, 200, j.text);
    assert.match(j.headers['content-type'], /^application\/json; charset=utf-8$/i);
    const ep = j.json.endpoints[0];
    assert.equal(ep.specification, 'http://wiki.open311.org/GeoReport_v2');
    assert.equal(ep.url, `http://127.0.0.1:${srv.port}/open311/v2`);
    assert.deepEqual([...ep.formats].sort(), ['application/json', 'text/xml']);
    assert.ok(!Number.isNaN(Date.parse(j.json.changeset)));
    const x = parseXml(await get('discovery.xml'), 'discovery');
    assert.equal(x.endpoints.endpoint[0].url, ep.url);
    assert.deepEqual(x.endpoints.endpoint[0].formats.format, ep.formats);
    assert.equal(x.contact, j.json.contact);
  });

  test('services are the desk\'s public categories, valid by the draft, the same in XML', async () => {
    const j = await get('services.json');
    assert.equal(j.status, 200, j.text);
    conforms(schemaOf('/services.{response_format}', 'get'), j.json, 'GET services.json');
    services = j.json;
    const cats = await srv.api('GET', '/api/v1/public/categories');
    assert.deepEqual(services.map((s) => s.service_code), cats.json.items.map((c) => c.code));
    for (const s of services) {
      const c = cats.json.items.find((x) => x.code === s.service_code);
      assert.equal(s.service_name, c.name_fa);
      assert.equal(s.group, c.kind_fa);
      assert.equal(s.metadata, false);
      assert.equal(s.type, 'realtime');
    }
    const x = parseXml(await get('services.xml'), 'services');
    assert.equal(x.service.length, services.length);
    x.service.forEach((s, i) => {
      for (const [k, v] of Object.entries(services[i])) assert.equal(s[k], String(v), `XML ${k} of ${services[i].service_code}`);
    });
  });

  test('a service definition has no attributes; an unknown service is 404 in either format', async () => {
    const code = services[0].service_code;
    const j = await get(`services/${code}.json`);
    assert.equal(j.status, 200, j.text);
    conforms(schemaOf('/services/{service_code}.{response_format}', 'get'), j.json, 'GET services/{code}.json');
    assert.deepEqual(j.json, { service_code: code, attributes: [] });
    const x = parseXml(await get(`services/${code}.xml`), 'service_definition');
    assert.equal(x.service_code, code);
    assertErrors(await get('services/no_such_service.json'), 404, 'json');
    assertErrors(await get('services/no_such_service.xml'), 404, 'xml');
    assertErrors(await get(`services/${code}`), 404, 'json');
  });

  test('XML escapes what it echoes: < & " \' in Persian text come back intact', async () => {
    const nasty = 'شکایت<از>&"مأمور"\'';
    const r = await get(`services/${encodeURIComponent(nasty)}.xml`);
    const description = assertErrors(r, 404, 'xml');
    assert.ok(description.includes(nasty), `the description holds the code as sent: ${description}`);
    assert.ok(!r.text.includes('<از>'), 'no raw markup from the request');
    const j = await get(`services/${encodeURIComponent(nasty)}.json`);
    assert.ok(assertErrors(j, 404, 'json').includes(nasty));
  });

  test('jurisdiction_id may be left out or empty; ours is accepted, another is 404', async () => {
    assert.equal((await get(`services.json?jurisdiction_id=${JURISDICTION}`)).status, 200);
    assert.equal((await get('services.json?jurisdiction_id=')).status, 200);
    assertErrors(await get('services.json?jurisdiction_id=sfgov.org'), 404, 'json');
    assertErrors(await get('requests.xml?jurisdiction_id=sfgov.org'), 404, 'xml');
    assertErrors(await post('json', { api_key: key, jurisdiction_id: 'sfgov.org', service_code: services[0].service_code, description: 'x', lat: '37.28', long: '49.58' }), 404, 'json');
  });

  test('POST requests creates a contact (channel open311) and answers its id, token and notice', async () => {
    const code = services.find((s) => s.service_code.startsWith('complaint'))?.service_code ?? services[0].service_code;
    const before = count(srv.db, 'feedback');
    const description = 'ماشین گشت جلوی در پارکینگ توقف کرده و راه را بسته است؛ لطفاً رسیدگی کنید + سپاس';
    const r = await post('json', {
      api_key: key,
      jurisdiction_id: JURISDICTION,
      service_code: code,
      lat: '37.2808',
      long: '49.5832',
      address_string: 'رشت، خیابان امام، روبروی بانک',
      first_name: 'علي',
      last_name: 'كريمي',
      phone: '۰۹۱۱۱۲۳۴۵۶۷',
      email: 'citizen@example.org',
      device_id: 'android-1',
      account_id: '42',
      description,
    });
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers['content-type'], /^application\/json; charset=utf-8$/i);
    conforms(schemaOf('/requests.{response_format}', 'post'), r.json, 'POST requests.json');
    const [item] = r.json;
    assert.match(item.service_request_id, /^\d{4}-\d{6}$/);
    assert.match(item.token, /^\d{12}$/);
    const fa = item.token.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]).replace(/^(.{4})(.{4})/, '$1-$2-');
    assert.ok(item.service_notice.includes(fa), `the notice gives the tracking code ${fa}: ${item.service_notice}`);
    made.push({ id: item.service_request_id, token: item.token, code });
    assert.equal(count(srv.db, 'feedback'), before + 1);
    const [year, seq] = item.service_request_id.split('-').map(Number);
    const row = sql(srv.db, `SELECT channel || '|' || text || '|' || citizen_name || '|' || citizen_phone || '|' || has_location || '|' || lat || '|' || address || '|' || created_by FROM feedback WHERE year = ${year} AND seq = ${seq}`);
    assert.equal(row, `4|${description}|علی کریمی|09111234567|1|37.2808|رشت، خیابان امام، روبروی بانک|0`);
    const actor = sql(srv.db, "SELECT actor FROM audit WHERE action = 'feedback.received' ORDER BY id DESC LIMIT 1");
    assert.equal(actor, 'apikey:fixmystreet-rasht');
    // The citizen follows it on the public tracking page with the token.
    const t = await srv.api('GET', `/api/v1/public/feedback/${item.token}`);
    assert.equal(t.status, 200, t.text);
    assert.equal(t.json.number, item.service_request_id);
  });

  test('POST requests.xml answers in XML; an address alone is a location; the query may carry the fields', async () => {
    const r = await post('xml', { api_key: key, service_code: services[1].service_code, address_string: 'لاهیجان، میدان شهدا', description: 'پیشنهاد: چراغ راهنمایی این میدان اصلاح شود.' });
    assert.equal(r.status, 200, r.text);
    const x = parseXml(r, 'service_requests');
    const item = x.request[0];
    assert.match(item.service_request_id, /^\d{4}-\d{6}$/);
    assert.match(item.token, /^\d{12}$/);
    made.push({ id: item.service_request_id, token: item.token, code: services[1].service_code });
    const q = new URLSearchParams({ api_key: key, service_code: services[1].service_code, address_id: 'RSH-1201', description: 'گزارش از طریق پارامترهای نشانی' });
    const r2 = await srv.api('POST', `/open311/v2/requests.json?${q}`, {});
    assert.equal(r2.status, 200, r2.text);
    made.push({ id: r2.json[0].service_request_id, token: r2.json[0].token, code: services[1].service_code });
    const [year, seq] = r2.json[0].service_request_id.split('-').map(Number);
    assert.equal(sql(srv.db, `SELECT address FROM feedback WHERE year = ${year} AND seq = ${seq}`), 'address_id RSH-1201');
  });

  test('api_key missing, wrong, revoked or of another role is 403, and nothing is stored', async () => {
    const phone = await srv.api('POST', '/api/v1/apikeys', { token: admin.token, body: { name: 'pbx-for-311-test', role: 'telephony' } });
    const old = await srv.api('POST', '/api/v1/apikeys', { token: admin.token, body: { name: 'open311-revoked', role: 'open311' } });
    assert.equal((await srv.api('DELETE', `/api/v1/apikeys/${old.json.id}`, { token: admin.token })).status, 204);
    const fields = { service_code: services[0].service_code, description: 'بدون کلید', lat: '37.28', long: '49.58' };
    const before = count(srv.db, 'feedback');
    for (const fmt of ['json', 'xml']) {
      assert.match(assertErrors(await post(fmt, fields), 403, fmt), /api_key/);
      assertErrors(await post(fmt, { ...fields, api_key: 'not-a-key' }), 403, fmt);
      assertErrors(await post(fmt, { ...fields, api_key: `${key.slice(0, -4)}AAAA` }), 403, fmt);
      assertErrors(await post(fmt, { ...fields, api_key: phone.json.key }), 403, fmt);
      assertErrors(await post(fmt, { ...fields, api_key: old.json.key }), 403, fmt);
      assertErrors(await post(fmt, { ...fields, api_key: '' }), 403, fmt);
    }
    assert.equal(count(srv.db, 'feedback'), before);
  });

  test('bad arguments are 400 (unknown service 404) in the spec\'s error form, and nothing is stored', async () => {
    const ok = { api_key: key, service_code: services[0].service_code, description: 'متن', lat: '37.28', long: '49.58' };
    const drop = (k) => Object.fromEntries(Object.entries(ok).filter(([x]) => x !== k));
    const cases = [
      [drop('service_code'), 400, /service_code/],
      [{ ...ok, service_code: 'potholes' }, 404, /service_code/],
      [drop('description'), 400, /description/],
      [{ ...ok, description: '  ' }, 400, /description/],
      [{ ...ok, description: 'ب'.repeat(4001) }, 400, /description/],
      [{ api_key: key, service_code: ok.service_code, description: 'x' }, 400, /location/],
      [{ ...drop('long') }, 400, /together/],
      [{ ...ok, lat: '97' }, 400, /lat/],
      [{ ...ok, long: 'east' }, 400, /lat/],
      [{ ...ok, media_url: 'http://example.org/p.jpg' }, 400, /media/],
      [{ ...ok, colour: 'blue' }, 400, /colour/],
      [{ ...ok, 'attribute[WHISPAWN]': '1' }, 400, /attribute/],
      [{ ...ok, phone: 'none' }, 400, /phone/],
      [{ ...ok, email: 'no-at-sign' }, 400, /email/],
    ];
    const before = count(srv.db, 'feedback');
    for (const [fields, status, says] of cases) {
      for (const fmt of ['json', 'xml']) {
        const r = await post(fmt, fields);
        assert.match(assertErrors(r, status, fmt), says, `${JSON.stringify(fields).slice(0, 120)} (${fmt})`);
      }
    }
    // Bodies that are not a form.
    const base = form(ok);
    assertErrors(await post('json', `${base}&description=twice`), 400, 'json');
    assertErrors(await post('json', `${base}&x=%zz`), 400, 'json');
    assertErrors(await post('json', `${base}&x=%C3%28`), 400, 'json');
    assertErrors(await post('json', JSON.stringify(ok), { 'content-type': 'application/json' }), 400, 'json');
    assertErrors(await post('json', base, { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' }), 400, 'json');
    assert.equal(count(srv.db, 'feedback'), before);
  });

  test('a huge form is 413 before it is read', async () => {
    const before = count(srv.db, 'feedback');
    const r = await post('json', { api_key: key, service_code: services[0].service_code, lat: '1', long: '1', description: 'ش'.repeat(40000) });
    assert.equal(r.status, 413, r.text);
    assert.equal(r.json.error.code, 'payload_too_large');
    assert.equal(count(srv.db, 'feedback'), before);
  });

  const ALLOWED = ['service_request_id', 'status', 'service_name', 'service_code', 'agency_responsible', 'requested_datetime', 'updated_datetime', 'expected_datetime'];

  function checkRequests(r, what) {
    assert.equal(r.status, 200, r.text);
    conforms(schemaOf('/requests.{response_format}', 'get'), r.json, what);
    for (const q of r.json) assert.deepEqual(Object.keys(q).sort(), [...ALLOWED].sort(), `${what}: only the public fields`);
    return r.json;
  }

  test('GET requests lists public contacts only, with no text, person, subject or place', async () => {
    // A web contact with a category is listed; one without a category is not (yet);
    // a phone contact never is.
    const cat = services[0].service_code;
    const web = await srv.api('POST', '/api/v1/public/feedback', { body: { category: cat, text: 'پیام از فرم وب برای فهرست' } });
    assert.equal(web.status, 201, web.text);
    const bare = await srv.api('POST', '/api/v1/public/feedback', { body: { kind: 'enquiry', text: 'پرسشی بی‌دسته از فرم وب' } });
    const phone = await srv.api('POST', '/api/v1/feedback', {
      token: desk.token,
      body: { channel: 'phone', category: cat, text: 'تماس تلفنی محرمانه', citizen: { name: 'شهروند تلفنی' } },
    });
    assert.equal(phone.status, 201, phone.text);
    const list = checkRequests(await get('requests.json'), 'GET requests.json');
    const ids = list.map((q) => q.service_request_id);
    for (const m of made) assert.ok(ids.includes(m.id), `${m.id} (Open311) is listed`);
    assert.ok(ids.includes(web.json.number), 'the web contact with a category is listed');
    assert.ok(!ids.includes(bare.json.number), 'a contact without a category is not');
    assert.ok(!ids.includes(phone.json.feedback.number_latin), 'a phone contact is not');
    assert.deepEqual(ids, [...ids].sort().reverse(), 'newest first');
    for (const q of list) {
      assert.equal(q.status, 'open');
      assert.ok(q.requested_datetime.endsWith('Z') && q.updated_datetime.endsWith('Z') && q.expected_datetime.endsWith('Z'));
      assert.equal(Date.parse(q.expected_datetime) - Date.parse(q.requested_datetime), 10 * DAY, 'due in the 10 days');
    }
    const r = await get('requests.json');
    for (const secret of ['ماشین گشت', 'علی', 'کریمی', '0911', 'رشت', '37.28', 'محرمانه']) assert.ok(!r.text.includes(secret), `no ${secret}`);
    const x = parseXml(await get('requests.xml'), 'service_requests');
    assert.deepEqual(x.request.map((q) => q.service_request_id), ids);
    x.request.forEach((q, i) => {
      for (const [k, v] of Object.entries(list[i])) assert.equal(q[k], v, `XML ${k}`);
    });
  });

  test('GET requests filters: service_request_id, service_code, status, start_date and end_date', async () => {
    const [a, b] = made;
    let r = checkRequests(await get(`requests.json?service_request_id=${a.id},${b.id}&status=closed&service_code=nothing`), 'ids');
    assert.deepEqual(r.map((q) => q.service_request_id).sort(), [a.id, b.id].sort(), 'ids override every other filter');
    r = checkRequests(await get(`requests.json?service_request_id=${a.id},1399-999999`), 'ids');
    assert.deepEqual(r.map((q) => q.service_request_id), [a.id], 'unknown ids are left out');
    r = checkRequests(await get(`requests.json?service_code=${b.code}`), 'service_code');
    assert.ok(r.length >= 1 && r.every((q) => q.service_code === b.code));
    r = checkRequests(await get(`requests.json?service_code=${a.code},${b.code}`), 'two codes');
    assert.ok(r.some((q) => q.service_code === a.code) && r.some((q) => q.service_code === b.code));
    // Closing a contact moves it from open to closed; updated_datetime is when it closed.
    const [year, seq] = a.id.split('-').map(Number);
    const fid = sql(srv.db, `SELECT id FROM feedback WHERE year = ${year} AND seq = ${seq}`);
    const closed = await srv.api('POST', `/api/v1/feedback/${fid}/status`, { token: desk.token, body: { status: 'closed', outcome: 'withdrawn' } });
    assert.equal(closed.status, 200, closed.text);
    r = checkRequests(await get('requests.json?status=closed'), 'closed');
    assert.deepEqual(r.map((q) => q.service_request_id), [a.id]);
    assert.equal(r[0].status, 'closed');
    const closedMs = Number(sql(srv.db, `SELECT closed_ms FROM feedback WHERE id = ${fid}`));
    assert.ok(closedMs > 0);
    assert.equal(r[0].updated_datetime, new Date(closedMs).toISOString(), 'updated_datetime is when it closed');
    r = checkRequests(await get('requests.json?status=open'), 'open');
    assert.ok(!r.some((q) => q.service_request_id === a.id));
    assert.ok(checkRequests(await get('requests.json?status=open,closed'), 'both').some((q) => q.service_request_id === a.id));
    // Dates: a window in the past is empty; one around now holds them.
    const now = Date.now();
    const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    assert.deepEqual(checkRequests(await get('requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-03-01T00:00:00Z'), 'past'), []);
    r = checkRequests(await get(`requests.json?start_date=${iso(now - 3600000)}&end_date=${iso(now + 60000)}`), 'window');
    assert.ok(r.some((q) => q.service_request_id === b.id));
    r = checkRequests(await get(`requests.json?end_date=${iso(now - 3600000)}`), 'end only');
    assert.deepEqual(r, []);
    r = checkRequests(await get(`requests.json?start_date=${encodeURIComponent(new Date(now - 7200000).toISOString().replace('Z', '+00:00'))}`), 'start only, with an offset');
    assert.ok(r.some((q) => q.service_request_id === b.id));
    for (const bad of [
      'start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z', // 151 days
      'start_date=2025-06-01T00:00:00Z&end_date=2025-01-01T00:00:00Z', // backwards
      'start_date=yesterday',
      'status=pending',
      'service_code=potholes',
      'service_request_id=123456',
    ]) {
      assertErrors(await get(`requests.json?${bad}`), 400, 'json');
      assertErrors(await get(`requests.xml?${bad}`), 400, 'xml');
    }
  });

  test('the default window is the last 90 days', async () => {
    const { id } = made[made.length - 1];
    const [year, seq] = id.split('-').map(Number);
    sql(srv.db, `UPDATE feedback SET received_ms = received_ms - ${91 * DAY} WHERE year = ${year} AND seq = ${seq}`);
    const ids = checkRequests(await get('requests.json'), 'default').map((q) => q.service_request_id);
    assert.ok(!ids.includes(id), 'a contact of 91 days ago is past the default window');
    const iso = (ms) => new Date(ms).toISOString();
    const old = checkRequests(await get(`requests.json?start_date=${iso(Date.now() - 95 * DAY)}&end_date=${iso(Date.now() - 6 * DAY)}`), 'old window');
    assert.deepEqual(old.map((q) => q.service_request_id), [id]);
    assert.deepEqual(checkRequests(await get(`requests.json?service_request_id=${id}`), 'by id').length, 1, 'an id finds it at any age');
  });

  test('GET requests/{id} answers one public contact; anything else is 404', async () => {
    const { id } = made[0];
    const j = await get(`requests/${id}.json`);
    assert.equal(j.status, 200, j.text);
    assert.equal(j.json.length, 1);
    // The draft's one-request schema is an object (the spec's prose: a list of one).
    conforms(schemaOf('/request/{service_request_id}.{response_format}', 'get'), j.json[0], 'GET requests/{id}.json');
    assert.deepEqual(Object.keys(j.json[0]).sort(), [...ALLOWED].sort());
    const x = parseXml(await get(`requests/${id}.xml`), 'service_requests');
    assert.equal(x.request[0].service_request_id, id);
    const phoneId = sql(srv.db, "SELECT year || '-' || printf('%06d', seq) FROM feedback WHERE channel = 0 LIMIT 1");
    for (const bad of [`${phoneId}.json`, '1399-000001.json', 'abc.json', `${id}.html`, id]) assertErrors(await get(`requests/${bad}`), 404, 'json');
    assertErrors(await get(`requests/${phoneId}.xml`), 404, 'xml');
  });

  test('GET tokens/{token} gives the request id behind a token; a wrong token is 404', async () => {
    const { id, token } = made[1];
    const j = await get(`tokens/${token}.json`);
    assert.equal(j.status, 200, j.text);
    conforms(schemaOf('/tokens/{token_id}.{response_format}', 'get'), j.json[0], 'GET tokens/{token}.json');
    assert.deepEqual(j.json, [{ service_request_id: id, token }]);
    const x = parseXml(await get(`tokens/${token}.xml`), 'service_requests');
    assert.deepEqual(x.request[0], { service_request_id: id, token });
    const wrong = token.slice(0, 11) + String((Number(token[11]) + 1) % 10);
    for (const bad of [`${wrong}.json`, '000000000000.json', 'abc.json', token]) assertErrors(await get(`tokens/${bad}`), 404, 'json');
    assertErrors(await get(`tokens/${wrong}.xml`), 404, 'xml');
  });

  test('paths Open311 does not have answer hamyar\'s 404 and 405', async () => {
    const r = await get('nothing.json');
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, 'route_not_found');
    const m = await srv.api('DELETE', '/open311/v2/services.json');
    assert.equal(m.status, 405);
    assert.equal(m.headers.allow, 'GET');
  });
});

describe('Open311 volume and lookup limits', () => {
  let srv;
  before(async () => {
    srv = await startServer({ env: { HAMYAR_FEEDBACK_TRACK_RATE: '5' } });
  });
  after(async () => {
    if (!srv) return;
    await srv.stop();
    removeDir(srv.dir);
  });

  test('GET requests answers at most the first 1000, newest first', async () => {
    const cats = await srv.api('GET', '/api/v1/public/categories');
    const seed = await srv.api('POST', '/api/v1/public/feedback', { body: { category: cats.json.items[0].code, text: 'نخستین پیام' } });
    assert.equal(seed.status, 201, seed.text);
    seedCode = seed.json.tracking_code;
    // 1200 more public contacts, written behind the API's back from the first one.
    sql(
      srv.db,
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
       INSERT INTO feedback (year, seq, code_hash, channel, kind, category, text, suggested_kind, status, received_ms, due_ms, updated_ms)
       SELECT f.year, f.seq + n.i, randomblob(32), 1, f.kind, f.category, f.text, f.suggested_kind, 0, f.received_ms - n.i, f.due_ms, f.updated_ms
       FROM feedback f, n WHERE f.id = (SELECT max(id) FROM feedback);
       UPDATE feedback_seq SET "last" = (SELECT max(seq) FROM feedback);`,
    );
    const r = await srv.api('GET', '/open311/v2/requests.json');
    assert.equal(r.status, 200, r.text.slice(0, 200));
    assert.equal(r.json.length, 1000);
    const seqs = r.json.map((q) => Number(q.service_request_id.split('-')[1]));
    const top = Number(sql(srv.db, 'SELECT max(seq) FROM feedback'));
    assert.equal(seqs[0], top, 'the newest first');
    assert.equal(seqs[999], top - 999);
    const x = await srv.api('GET', '/open311/v2/requests.xml');
    assert.equal(XMLValidator.validate(x.text), true);
    assert.equal(xml.parse(x.text).service_requests.request.length, 1000);
  });

  let seedCode; // the tracking code of the volume test's first contact

  test('token lookups share the tracking page\'s limit: past it, 429', async () => {
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await srv.api('GET', `/open311/v2/tokens/12345678901${i}.json`, {}));
    assert.deepEqual(answers.map((r) => r.status), [404, 404, 404, 404, 404, 429, 429]);
    assert.ok(Number(answers[5].headers['retry-after']) >= 1);
    // At 5 a minute a token takes 12 s to come back: the tracking page waits too, even
    // for a real code (the limit comes before any look-up).
    const track = await srv.api('GET', `/api/v1/public/feedback/${seedCode}`);
    assert.equal(track.status, 429, 'the tracking page waits too');
    assert.ok(Number(track.headers['retry-after']) >= 1);
  });
});
