// openapi.test.mjs — docs/openapi.yaml stays true to the code.
//
// Statically: every route of src/http/routes.c is an operation of the document with
// the same method, roles and flags, and nothing else is; every error code of
// src/http/errors.h is documented with its status; every $ref resolves; the endpoint
// table of docs/api.md names the same routes. Then against a real server: one call
// of every operation with valid input, each answer checked against its schema, and
// a final check that no operation was left uncalled.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { deref, documentedErrorCodes, exercised, loadSpec, operationKey, operations, responseProblems } from './lib/openapi.mjs';
import { ADMIN_PASSWORD, SOURCE_DIR, removeDir, startServer } from './lib/server.mjs';
import { errorRegistry, routeTable } from './lib/source.mjs';
import { openEvents } from './lib/sse.mjs';
import { totp } from './lib/totp.mjs';
import { parseYaml } from './lib/yaml.mjs';

const spec = loadSpec();
const PERSON_ROLES = ['admin', 'analyst', 'call_taker', 'commander', 'dispatcher', 'oversight', 'records', 'supervisor'];

describe('the YAML subset parser', () => {
  test('reads maps, lists, scalars, quoted strings, flow collections and block scalars', () => {
    const doc = parseYaml(
      [
        'a: 1',
        'b: "x: y"',
        "c: 'it''s'",
        'd: [one, "two", {k: v}]',
        'e:',
        '  - f: true',
        '    g: null',
        '  - 2.5',
        'h: |',
        '  line 1',
        '  line 2',
        "'200': ok # comment",
      ].join('\n'),
    );
    assert.deepEqual(doc, {
      a: 1,
      b: 'x: y',
      c: "it's",
      d: ['one', 'two', { k: 'v' }],
      e: [{ f: true, g: null }, 2.5],
      h: 'line 1\nline 2\n',
      200: 'ok',
    });
  });

  test('refuses what it does not read (anchors, tabs, duplicate keys)', () => {
    assert.throws(() => parseYaml('a: &x 1\nb: *x'));
    assert.throws(() => parseYaml('a:\n\tb: 1'));
    assert.throws(() => parseYaml('a: 1\na: 2'));
  });
});

describe('docs/openapi.yaml against the code', () => {
  const routes = routeTable();
  const ops = operations(spec);

  test('is OpenAPI 3 with info, tags and security schemes', () => {
    assert.match(String(spec.openapi), /^3\.[01]\.\d+$/);
    assert.ok(spec.info?.title && spec.info?.version);
    for (const s of ['bearer', 'cookie', 'csrf', 'apiKey']) assert.ok(spec.components.securitySchemes[s], `securityScheme ${s}`);
    assert.equal(spec.components.securitySchemes.cookie.name, 'hamyar_session');
    assert.equal(spec.components.securitySchemes.csrf.name, 'X-CSRF-Token');
    const tagNames = new Set(spec.tags.map((t) => t.name));
    for (const { method, path, op } of ops) {
      assert.ok(op.tags?.length, `${method} ${path} has no tag`);
      for (const t of op.tags) assert.ok(tagNames.has(t), `${method} ${path}: tag ${t} is not declared`);
      assert.ok(op.operationId, `${method} ${path} has no operationId`);
    }
  });

  test('every route of routes.c is an operation, and every operation a route', () => {
    const fromCode = routes.map((r) => `${r.method} ${r.path}`).sort();
    const fromDoc = ops.map((o) => `${o.method} ${o.path}`).sort();
    assert.deepEqual(fromDoc, fromCode);
  });

  test('each operation has the roles, flags, security and operationId of its route', () => {
    for (const r of routes) {
      const { op, item } = ops.find((o) => o.method === r.method && o.path === r.path);
      const where = `${r.method} ${r.path}`;
      assert.equal(op.operationId, r.handler, `${where}: operationId`);
      const isPublic = r.flags.includes('public');
      if (isPublic) {
        assert.deepEqual(op.security, [], `${where} is public: security must be []`);
        assert.equal(op['x-roles'], undefined, `${where} is public: no x-roles`);
      } else {
        assert.deepEqual([...(op['x-roles'] || [])].sort(), r.roles, `${where}: x-roles`);
        const security = op.security ?? spec.security;
        assert.ok(security.length > 0, `${where} needs authentication: security must not be empty`);
        const schemes = new Set(security.flatMap((s) => Object.keys(s)));
        const takesKeys = r.roles.includes('telephony') || r.roles.includes('open311') || r.roles.includes('unit');
        assert.equal(schemes.has('apiKey'), takesKeys, `${where}: apiKey security iff integrations may call it`);
        assert.ok(op.responses['401'], `${where}: 401 is not declared`);
        // 403: a role the route does not admit, CSRF, or a disabled account's session.
        assert.ok(op.responses['403'], `${where}: 403 is not declared`);
        if (r.method !== 'GET' && !takesKeys) {
          assert.ok(security.some((s) => 'cookie' in s && 'csrf' in s), `${where}: the cookie must go with csrf on an unsafe method`);
        }
      }
      const docFlags = [...(op['x-flags'] || [])].sort();
      assert.deepEqual(docFlags, r.flags.filter((f) => f !== 'public').sort(), `${where}: x-flags`);
      if (r.flags.includes('json_body')) {
        assert.equal(op.requestBody?.required, true, `${where}: a required JSON requestBody`);
        assert.ok(op.requestBody.content['application/json']?.schema, `${where}: requestBody schema`);
        for (const s of ['400', '413', '415']) assert.ok(op.responses[s], `${where}: ${s} is not declared`);
      } else if (r.flags.includes('raw_body')) {
        // Open311's form-encoded POST: the handler reads req->raw_body itself.
        assert.equal(op.requestBody?.required, true, `${where}: a required requestBody`);
        assert.ok(op.requestBody.content['application/x-www-form-urlencoded']?.schema, `${where}: form requestBody schema`);
        assert.ok(op.responses['413'], `${where}: 413 is not declared`);
      } else {
        assert.equal(op.requestBody, undefined, `${where} takes no body`);
      }
      const params = [...(item.parameters || []), ...(op.parameters || [])].map((p) => deref(p));
      if (r.flags.includes('idempotent')) {
        assert.ok(params.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'), `${where}: Idempotency-Key`);
      }
      if (r.flags.includes('stream')) {
        assert.ok(op.responses['200'].content['text/event-stream'], `${where}: text/event-stream`);
      }
      for (const m of r.path.matchAll(/\{(\w+)\}/g)) {
        assert.ok(params.some((p) => p.in === 'path' && p.name === m[1] && p.required === true), `${where}: path parameter ${m[1]}`);
      }
      for (const s of ['414', '500', '503']) assert.ok(op.responses[s], `${where}: ${s} is not declared`);
      const success = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s));
      assert.equal(success.length, 1, `${where}: one success status`);
    }
  });

  test('every error code of errors.h is documented with its status, and no other', () => {
    const registry = errorRegistry();
    const documented = documentedErrorCodes(spec);
    for (const e of registry) {
      assert.ok(documented.has(e.code), `errors.h code ${e.code} (${e.status}) is not in components.responses`);
      assert.equal(documented.get(e.code).status, e.status, `${e.code}: status`);
    }
    for (const [code, { status }] of documented) {
      assert.ok(
        registry.some((e) => e.code === code && e.status === status),
        `the document has ${code} (${status}), errors.h does not`,
      );
    }
    // Each status of the registry has a shared response whose x-error-codes are
    // exactly that status's codes.
    const byStatus = new Map();
    for (const e of registry) byStatus.set(e.status, [...(byStatus.get(e.status) || []), e.code].sort());
    for (const [status, codes] of byStatus) {
      const full = Object.values(spec.components.responses).find(
        (r) => r['x-status'] === status && [...r['x-error-codes']].sort().join() === codes.join(),
      );
      assert.ok(full, `no shared response lists every ${status} code (${codes.join(', ')})`);
    }
    // An operation's error responses all point at shared responses of their status.
    for (const { method, path, op } of ops) {
      for (const [status, resp] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        const r = deref(resp);
        assert.equal(r['x-status'], Number(status), `${method} ${path} ${status}: x-status`);
      }
    }
  });

  test('every $ref resolves and every schema uses known keywords', () => {
    const known = new Set([
      '$ref', 'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'format',
      'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems', 'description',
      'example', 'default', 'allOf', 'anyOf', 'oneOf', 'nullable', 'title',
    ]);
    const visit = (node, where, inSchema) => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}[${i}]`, inSchema));
      if (!node || typeof node !== 'object') return;
      if (typeof node.$ref === 'string') deref(node);
      for (const [k, v] of Object.entries(node)) {
        if (inSchema) assert.ok(known.has(k), `${where}: "${k}" is not a schema keyword this suite knows (a comma in a flow map?)`);
        const childIsSchema =
          k === 'schema' || k === 'items' || k === 'additionalProperties' || k === 'x-event-schema' ||
          (inSchema && ['allOf', 'anyOf', 'oneOf'].includes(k));
        if (inSchema && k === 'properties') {
          for (const [pk, pv] of Object.entries(v)) visit(pv, `${where}.properties.${pk}`, true);
        } else if (!(inSchema && ['enum', 'required', 'example', 'default', 'const'].includes(k))) {
          visit(v, `${where}.${k}`, childIsSchema || (inSchema && ['allOf', 'anyOf', 'oneOf'].includes(k)));
        }
      }
    };
    visit(spec.paths, 'paths', false);
    visit(spec.components.responses, 'components.responses', false);
    visit(spec.components.parameters, 'components.parameters', false);
    for (const [name, s] of Object.entries(spec.components.schemas)) visit(s, `components.schemas.${name}`, true);
  });

  test('docs/api.md lists the same endpoints and the same user object', () => {
    const md = readFileSync(join(SOURCE_DIR, 'docs', 'api.md'), 'utf8');
    const listed = [...md.matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) (\/[^`]*)` \|/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
    assert.deepEqual(listed, routes.map((r) => `${r.method} ${r.path}`).sort());
    const userLine = /A user object is\s*`(\{[^`]*\})`/.exec(md);
    assert.ok(userLine, 'api.md describes the user object');
    const fields = [...userLine[1].matchAll(/"(\w+)"/g)].map((m) => m[1]).sort();
    assert.deepEqual(Object.keys(spec.components.schemas.User.properties).sort(), fields);
    assert.deepEqual([...spec.components.schemas.Role.enum].sort(), PERSON_ROLES);
  });
});

describe('one call of every operation, each answer checked against the document', () => {
  let srv;
  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    if (!srv) return;
    await srv.stop();
    removeDir(srv.dir);
  });

  test('every operation answers its documented success with the documented shape', async () => {
    // api() checks each answer against the document; here we also insist on the
    // success status so that each operation's success schema is exercised.
    const ok = async (method, path, status, opts) => {
      const r = await srv.api(method, path, opts);
      assert.equal(r.status, status, `${method} ${path}: ${r.status} ${r.text}`);
      assert.match(r.headers['x-request-id'] || '', /^[0-9a-f]{32}$/, `${method} ${path}: X-Request-Id`);
      return r;
    };
    await ok('GET', '/api/v1/health', 200);
    await ok('GET', '/api/v1/time?at=2025-10-01T08:30:00Z', 200);
    const metrics = await ok('GET', '/metrics', 200);
    assert.match(metrics.headers['content-type'], /^text\/plain/);

    const admin = await srv.login('admin', ADMIN_PASSWORD);
    const token = admin.token;
    await ok('GET', '/api/v1/me', 200, { token });
    await ok('PATCH', '/api/v1/me', 200, { token, body: { display_name: 'مدیر سامانه' } });

    const stream = await openEvents(srv, { token });
    try {
      assert.equal(stream.status, 200);
      const problems = responseProblems('GET', '/api/v1/events', stream.status, undefined, stream.headers, '');
      assert.deepEqual(problems, []);
    } finally {
      stream.close();
    }

    const created = await ok('POST', '/api/v1/users', 201, {
      token,
      body: { username: 'openapi.user', password: 'openapi-user-pass-1', roles: ['dispatcher'], display_name: 'کاربر' },
      headers: { 'idempotency-key': 'openapi-create-1' },
    });
    const id = created.json.id;
    await ok('GET', '/api/v1/users?limit=1', 200, { token });
    await ok('GET', `/api/v1/users/${id}`, 200, { token });
    await ok('PATCH', `/api/v1/users/${id}`, 200, { token, body: { roles: ['dispatcher', 'supervisor'] } });
    await ok('POST', `/api/v1/users/${id}/password`, 204, { token, body: { password: 'openapi-user-pass-2' } });
    await ok('POST', `/api/v1/users/${id}/unlock`, 200, { token });

    const key = await ok('POST', '/api/v1/apikeys', 201, { token, body: { name: 'openapi-phone', role: 'telephony' } });
    await ok('GET', '/api/v1/apikeys', 200, { token });
    await ok('DELETE', `/api/v1/apikeys/${key.json.id}`, 204, { token });
    await ok('GET', '/api/v1/audit?limit=5', 200, { token });

    // The 110 centre's calls and incidents (telephony.c, calls.c, incidents.c).
    const pbx = await ok('POST', '/api/v1/apikeys', 201, { token, body: { name: 'openapi-pbx', role: 'telephony' } });
    const centre = await srv.createUser(token, 'openapi.centre', ['call_taker', 'dispatcher', 'supervisor']);
    const ct = (await srv.login('openapi.centre', centre.password)).token;
    const where = { lat: 37.2799, lon: 49.5832 };
    await ok('POST', '/api/v1/telephony/events', 200, {
      apikey: pbx.json.key,
      body: { event: 'ring', telephony_call_id: 'openapi-1', ani: '09111234567', location: { ...where, uncertainty_m: 25, source: 'gnss' } },
    });
    await ok('GET', '/api/v1/telephony/calls', 200, { token: ct });
    await ok('GET', `/api/v1/incident-types?q=${encodeURIComponent('کیف')}`, 200, { token: ct });
    const call = await ok('POST', '/api/v1/calls', 201, {
      token: ct,
      body: { telephony_call_id: 'openapi-1', type: 'street_robbery', narrative: 'کیف‌قاپی در خیابان' },
      headers: { 'idempotency-key': 'openapi-call-1' },
    });
    await ok('GET', '/api/v1/calls?limit=5', 200, { token: ct });
    await ok('GET', `/api/v1/calls/${call.json.id}`, 200, { token: ct });
    const incident = await ok('POST', '/api/v1/incidents', 201, {
      token: ct,
      body: { call_id: call.json.id },
      headers: { 'idempotency-key': 'openapi-incident-1' },
    });
    const repeat = await ok('POST', '/api/v1/calls', 201, { token: ct, body: { caller_number: '09111234567', type: 'street_robbery', location: where } });
    assert.equal(repeat.json.duplicate_candidates[0]?.incident.id, incident.json.id);
    await ok('POST', `/api/v1/calls/${repeat.json.id}/link`, 200, { token: ct, body: { incident_id: incident.json.id } });
    await ok('GET', '/api/v1/incidents?status=pending&limit=5', 200, { token: ct });
    await ok('GET', `/api/v1/incidents/${incident.json.id}`, 200, { token: ct });
    await ok('POST', `/api/v1/incidents/${incident.json.id}/notes`, 201, { token: ct, body: { text: 'تماس‌گیرنده دوباره تماس گرفت' } });
    await ok('POST', `/api/v1/incidents/${incident.json.id}/status`, 200, { token: ct, body: { status: 'closed', disposition: 'unfounded' } });
    await ok('GET', `/api/v1/incidents/${incident.json.id}/timeline`, 200, { token: ct });

    // Places, units, dispatch and figures (places.c, units.c, assignments.c, call_metrics.c).
    await ok('GET', '/api/v1/places', 200, { token: ct });
    const fight = await ok('POST', '/api/v1/calls', 201, { token: ct, body: { caller_number: '09111239999', type: 'fight', location: where } });
    const job = await ok('POST', '/api/v1/incidents', 201, { token: ct, body: { call_id: fight.json.id } });
    const recs = await ok('GET', `/api/v1/incidents/${job.json.id}/recommendations?limit=3`, 200, { token: ct });
    const unitId = recs.json.items[0].unit.id;
    await ok('POST', `/api/v1/incidents/${job.json.id}/assignments`, 201, {
      token: ct,
      body: { unit_id: unitId },
      headers: { 'idempotency-key': 'openapi-assign-1' },
    });
    await ok('GET', `/api/v1/units?incident_id=${job.json.id}`, 200, { token: ct });
    await ok('PATCH', `/api/v1/units/${unitId}`, 200, { token: ct, body: { status: 'en_route' } });
    await ok('POST', `/api/v1/units/${unitId}/positions`, 201, { token: ct, body: { lat: 37.2805, lon: 49.5833 } });
    const since = new Date(Date.now() - 86400000).toISOString();
    const until = new Date(Date.now() + 3600000).toISOString();
    await ok('GET', `/api/v1/metrics/call-handling?from=${since}&to=${until}`, 200, { token: ct });

    // The 197 desk: contacts, workflow, figures, commendations (feedback*.c, commendations.c).
    const desk = await srv.createUser(token, 'openapi.desk', ['oversight', 'records']);
    const dt = (await srv.login('openapi.desk', desk.password)).token;
    await ok('GET', '/api/v1/feedback/categories', 200, { token: dt });
    await ok('POST', '/api/v1/feedback/classify', 200, { token: dt, body: { text: 'از برخورد محترمانه مأمور کلانتری تشکر می‌کنم' } });
    const contact = await ok('POST', '/api/v1/feedback', 201, {
      token: dt,
      body: {
        channel: 'phone',
        citizen: { name: 'شهروند', phone: '۰۹۱۱ ۱۲۳ ۴۵۶۷' },
        kind: 'praise',
        subject: { station: 'rasht-k11', officer: '12345' },
        text: 'از برخورد محترمانه مأمور کلانتری تشکر می‌کنم',
      },
      headers: { 'idempotency-key': 'openapi-feedback-1' },
    });
    const fid = contact.json.feedback.id;
    await ok('GET', '/api/v1/feedback?limit=5', 200, { token: dt });
    await ok('GET', `/api/v1/feedback/${fid}`, 200, { token: dt });
    await ok('PATCH', `/api/v1/feedback/${fid}`, 200, { token: dt, body: { kind: 'praise' } });
    await ok('GET', '/api/v1/feedback/assignees', 200, { token: dt });
    await ok('POST', `/api/v1/feedback/${fid}/assign`, 200, { token: dt, body: { user_id: centre.id } });
    await ok('POST', `/api/v1/feedback/${fid}/status`, 200, { token: dt, body: { status: 'under_review' } });
    await ok('POST', `/api/v1/feedback/${fid}/replies`, 201, { token: dt, body: { text: 'سپاس از پیام شما', for_citizen: true } });
    await ok('GET', `/api/v1/feedback/${fid}/timeline`, 200, { token: dt });
    await ok('GET', `/api/v1/feedback/stats?from=${since}&to=${until}`, 200, { token: dt });
    await ok('POST', '/api/v1/commendations', 201, {
      token: dt,
      body: { citizen_name: 'شهروند یاری‌گر', reason: 'کمک به دستگیری سارق', deed_date: '1404-07-09', county: 'rasht' },
      headers: { 'idempotency-key': 'openapi-commendation-1' },
    });
    await ok('GET', '/api/v1/commendations?limit=5', 200, { token: dt });
    await ok('GET', '/api/v1/officers/12345/record', 200, { token: dt });

    // The desk's public face and Open311 (feedback_public.c, open311.c), without log-in.
    const cats = await ok('GET', '/api/v1/public/categories', 200);
    const sent = await ok('POST', '/api/v1/public/feedback', 201, { body: { category: cats.json.items[0].code, text: 'پیام یک شهروند از فرم عمومی' } });
    await ok('GET', `/api/v1/public/feedback/${encodeURIComponent(sent.json.tracking_code_fa)}`, 200);
    const o311 = await ok('POST', '/api/v1/apikeys', 201, { token, body: { name: 'openapi-311', role: 'open311' } });
    const form = (f) => ({ body: new URLSearchParams(f).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const request = { api_key: o311.json.key, service_code: cats.json.items[0].code, description: 'گزارش از برنامهٔ شهری', lat: '37.28', long: '49.58' };
    for (const fmt of ['json', 'xml']) {
      await ok('GET', `/open311/v2/discovery.${fmt}`, 200);
      await ok('GET', `/open311/v2/services.${fmt}`, 200);
      await ok('GET', `/open311/v2/services/${cats.json.items[0].code}.${fmt}`, 200);
      await ok('POST', `/open311/v2/requests.${fmt}`, 200, form(request));
      await ok('GET', `/open311/v2/requests.${fmt}?status=open`, 200);
    }
    const reported = await ok('POST', '/open311/v2/requests.json', 200, form(request));
    await ok('GET', `/open311/v2/requests/${reported.json[0].service_request_id}.json`, 200);
    await ok('GET', `/open311/v2/tokens/${reported.json[0].token}.xml`, 200);

    // The user's own routes, as that user.
    const user = await srv.login('openapi.user', 'openapi-user-pass-2');
    const enrol = await ok('POST', '/api/v1/me/totp', 201, { token: user.token });
    await ok('POST', '/api/v1/me/totp/confirm', 200, { token: user.token, body: { code: totp(enrol.json.secret) } });
    await ok('DELETE', `/api/v1/users/${id}/totp`, 204, { token });
    await ok('POST', '/api/v1/me/password', 204, {
      token: user.token,
      body: { current_password: 'openapi-user-pass-2', new_password: 'openapi-user-pass-3' },
    });
    await ok('DELETE', '/api/v1/session', 204, { token: user.token });
    await ok('DELETE', '/api/v1/session', 204, { token });

    // The event stream was checked by hand above (fetch cannot read an endless body).
    if (!exercised.has('GET /api/v1/events')) exercised.set('GET /api/v1/events', new Set([200]));

    const missing = operations(spec)
      .map((o) => operationKey(o.method, o.path))
      .filter((k) => ![...(exercised.get(k) || [])].some((s) => s >= 200 && s < 300));
    assert.deepEqual(missing, [], 'operations this test never called successfully');
  });

  test('answers to unknown paths and methods match the document too', async () => {
    const r404 = await srv.api('GET', '/api/v1/no-such-thing');
    assert.equal(r404.status, 404);
    assert.equal(r404.json.error.code, 'route_not_found');
    const r405 = await srv.api('PUT', '/api/v1/health');
    assert.equal(r405.status, 405);
    assert.equal(r405.json.error.code, 'method_not_allowed');
  });
});
