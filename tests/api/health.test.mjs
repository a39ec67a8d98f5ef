// health.test.mjs — GET /api/v1/health, GET /api/v1/time (the Jalali calendar in
// Asia/Tehran) and GET /metrics (Prometheus text), and the request id every answer
// carries.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { cli, sleep, startServer, stopAndRemove } from './lib/server.mjs';

let srv;
before(async () => {
  srv = await startServer();
});
after(() => stopAndRemove(srv));

describe('GET /api/v1/health', () => {
  test('answers ok with the version, the schema version and the time', async () => {
    const t0 = Date.now();
    const r = await srv.api('GET', '/api/v1/health');
    const t1 = Date.now();
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'ok');
    const version = cli(['version']).stdout;
    assert.ok(version.includes(r.json.version), `hamyar version says ${JSON.stringify(version)}, health ${r.json.version}`);
    assert.ok(Number.isInteger(r.json.schema_version) && r.json.schema_version >= 1);
    const t = Date.parse(r.json.time);
    // The server's clock is this machine's clock: its answer lies between our two reads.
    assert.ok(t >= t0 - 1000 && t <= t1 + 1000, `time ${r.json.time} is not now`);
  });

  test('needs no log-in and carries an X-Request-Id of 32 hex digits, new for each request', async () => {
    const a = await srv.api('GET', '/api/v1/health');
    const b = await srv.api('GET', '/api/v1/health');
    assert.match(a.headers['x-request-id'], /^[0-9a-f]{32}$/);
    assert.match(b.headers['x-request-id'], /^[0-9a-f]{32}$/);
    assert.notEqual(a.headers['x-request-id'], b.headers['x-request-id']);
  });

  test('the request id of an answer is on the log lines the request wrote', async () => {
    const r = await srv.api('GET', '/api/v1/no-such-route');
    assert.equal(r.status, 404);
    const id = r.headers['x-request-id'];
    // The access log line may be written just after the answer: wait for it, bounded.
    for (let i = 0; i < 50 && !srv.stderr.includes(id); i++) await sleep(100);
    const lines = srv.logLines().filter((l) => JSON.stringify(l).includes(id));
    assert.ok(lines.length >= 1, `no log line carries request id ${id}\n${srv.diagnostics()}`);
    for (const l of lines) assert.ok(!l.unparsed, `log line is not JSON: ${l.unparsed}`);
  });
});

describe('GET /api/v1/time', () => {
  test('?at=2025-10-01T08:30:00Z is Wednesday 9 Mehr 1404, 12:00 in Tehran', async () => {
    const r = await srv.api('GET', '/api/v1/time?at=2025-10-01T08:30:00Z');
    assert.equal(r.status, 200);
    assert.equal(r.json.utc, '2025-10-01T08:30:00.000Z');
    const fa = r.json.jalali;
    const la = r.json.jalali_latin;
    assert.equal(fa.date, '۱۴۰۴/۰۷/۰۹');
    assert.equal(la.date, '1404/07/09');
    assert.equal(fa.weekday, 'چهارشنبه');
    assert.equal(la.weekday, 'چهارشنبه');
    assert.equal(fa.year, 1404);
    assert.equal(fa.month, 7);
    assert.equal(fa.day, 9);
    assert.deepEqual([la.year, la.month, la.day], [1404, 7, 9]);
    // Asia/Tehran is UTC+03:30 (no daylight saving since 1401).
    assert.equal(fa.datetime, '۱۴۰۴/۰۷/۰۹ ۱۲:۰۰');
    assert.equal(la.datetime, '1404/07/09 12:00');
    assert.equal(fa.long, 'چهارشنبه ۹ مهر ۱۴۰۴');
    assert.equal(la.long, 'چهارشنبه 9 مهر 1404');
  });

  test('the last day of a leap year and new year (1403 is leap: 30 Esfand exists)', async () => {
    // 2025-03-20T12:00Z is 30 Esfand 1403 15:30 Tehran; 2025-03-21T00:00Z is 1 Farvardin 1404.
    const a = await srv.api('GET', '/api/v1/time?at=2025-03-20T12:00:00Z');
    assert.equal(a.status, 200);
    assert.equal(a.json.jalali_latin.date, '1403/12/30');
    const b = await srv.api('GET', '/api/v1/time?at=2025-03-21T00:00:00Z');
    assert.equal(b.json.jalali_latin.date, '1404/01/01');
    assert.equal(b.json.jalali.long.endsWith('فروردین ۱۴۰۴'), true, b.json.jalali.long);
  });

  test('an offset in ?at= is honoured (+03:30 is Tehran time)', async () => {
    const r = await srv.api('GET', `/api/v1/time?at=${encodeURIComponent('2025-10-01T12:00:00+03:30')}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.utc, '2025-10-01T08:30:00.000Z');
  });

  test('without ?at= it is now', async () => {
    const t0 = Date.now();
    const r = await srv.api('GET', '/api/v1/time');
    const t1 = Date.now();
    assert.equal(r.status, 200);
    const t = Date.parse(r.json.utc);
    assert.ok(t >= t0 - 1000 && t <= t1 + 1000);
    // The Jalali date agrees with ICU's persian calendar as node has it.
    const fmt = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
      timeZone: 'Asia/Tehran',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const parts = Object.fromEntries(fmt.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    assert.equal(r.json.jalali_latin.date, `${parts.year.replace(/\D/g, '')}/${parts.month}/${parts.day}`);
  });

  test('a malformed ?at= is 400 invalid_field naming at', async () => {
    for (const at of ['yesterday', '2025-13-01T00:00:00Z', '2025-10-01']) {
      const r = await srv.api('GET', `/api/v1/time?at=${encodeURIComponent(at)}`);
      assert.equal(r.status, 400, `at=${at}: ${r.text}`);
      assert.equal(r.json.error.code, 'invalid_field');
      assert.equal(r.json.error.field, 'at');
    }
  });
});

describe('GET /metrics', () => {
  // Prometheus text exposition format 0.0.4: "# HELP name text", "# TYPE name kind",
  // and samples "name{label="value",...} number".
  const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)( -?\d+)?$/;

  const parse = (text) => {
    const samples = [];
    const types = new Map();
    for (const line of text.split('\n')) {
      if (line === '') continue;
      if (line.startsWith('# TYPE ')) {
        const [, , name, kind] = line.split(' ');
        types.set(name, kind);
        continue;
      }
      if (line.startsWith('#')) continue;
      const m = SAMPLE.exec(line);
      assert.ok(m, `not a Prometheus sample line: ${JSON.stringify(line)}`);
      samples.push({ name: m[1], labels: m[2] || '', value: Number(m[3].replace('+Inf', 'Infinity')) });
    }
    return { samples, types };
  };

  test('is Prometheus text with requests by route and status, a latency histogram and commit batches', async () => {
    await srv.api('GET', '/api/v1/health');
    await srv.api('GET', '/api/v1/health');
    const r = await srv.api('GET', '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /^text\/plain/);
    const { samples, types } = parse(r.text);
    assert.ok(samples.length > 0);
    // Requests by route and status: a sample whose labels name the health route and 200.
    const health = samples.filter((s) => s.labels.includes('/api/v1/health') && /"200"/.test(s.labels));
    assert.ok(health.length >= 1, `no sample for /api/v1/health with status 200:\n${r.text.slice(0, 2000)}`);
    assert.ok(health.some((s) => s.value >= 2), 'the health counter counts our requests');
    // A histogram: _bucket samples with le labels, ending in +Inf, and _sum/_count.
    const hist = [...types].find(([, kind]) => kind === 'histogram');
    assert.ok(hist, 'a histogram is declared with # TYPE');
    const buckets = samples.filter((s) => s.name === `${hist[0]}_bucket`);
    assert.ok(buckets.some((s) => s.labels.includes('le="+Inf"')), 'the histogram has a +Inf bucket');
    assert.ok(samples.some((s) => s.name === `${hist[0]}_count`));
    assert.ok(samples.some((s) => s.name === `${hist[0]}_sum`));
    // Commit batch sizes of the store.
    assert.ok(samples.some((s) => /commit|batch/.test(s.name)), 'a metric about commit batches');
  });

  test('counts an error status too', async () => {
    await srv.api('GET', '/api/v1/time?at=nonsense');
    const r = await srv.api('GET', '/metrics');
    const { samples } = parse(r.text);
    assert.ok(
      samples.some((s) => s.labels.includes('/api/v1/time') && /"400"/.test(s.labels) && s.value >= 1),
      `no sample for /api/v1/time with status 400:\n${r.text.slice(0, 2000)}`,
    );
  });
});
