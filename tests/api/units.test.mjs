// units.test.mjs — the patrol units: the list with filters and effective positions
// (the station's, flagged stale, when a report is missing or older than 30 minutes),
// status moves with their illegal moves (409), position reports (late ones kept but not
// moving the unit, future ones refused), a unit's own device key (API or CLI) that may
// act on its own unit only, the places for the map, events, audit, bad input and roles.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { code, field, startCentre } from './lib/centre.mjs';
import { DATA_DIR, cli, count, removeDir, sql, tempDir } from './lib/server.mjs';
import { openEvents } from './lib/sse.mjs';

const data = (file) => JSON.parse(readFileSync(join(DATA_DIR, file), 'utf8'));
const UNITS = data('units.json').units;
const STATIONS = data('stations.json').stations;
const COUNTIES = data('counties.json').features;
const stationOf = (unitCode) => STATIONS.find((s) => s.code === UNITS.find((u) => u.code === unitCode).station);

let srv;
let as;
let stream;
const MIN = 60 * 1000;

before(async () => {
  ({ srv, as } = await startCentre());
  stream = await openEvents(srv, { token: as.dispatcher.token });
});
after(async () => {
  stream?.close();
  if (!srv) return;
  await srv.stop();
  removeDir(srv.dir);
});

const list = (query = '', role = 'dispatcher') => srv.api('GET', `/api/v1/units${query}`, { token: as[role].token });
const setStatus = (id, status, auth = { token: as.dispatcher.token }) =>
  srv.api('PATCH', `/api/v1/units/${id}`, { ...auth, body: { status } });
const report = (id, body, auth = { token: as.dispatcher.token }) => srv.api('POST', `/api/v1/units/${id}/positions`, { ...auth, body });

let byCode;
async function unit(unitCode) {
  if (!byCode) byCode = new Map((await list()).json.items.map((u) => [u.code, u]));
  return byCode.get(unitCode);
}

describe('listing units', () => {
  test('every unit of the reference data, ordered by code, at its station and flagged stale until it reports', async () => {
    const r = await list();
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, UNITS.length);
    const codes = r.json.items.map((u) => u.code);
    assert.deepEqual(codes, [...codes].sort());
    for (const u of r.json.items) {
      const want = UNITS.find((x) => x.code === u.code);
      assert.equal(u.station, want.station);
      assert.equal(u.type, want.type);
      assert.equal(u.call_sign_fa, want.call_sign);
      assert.equal(u.seats, want.seats);
      assert.equal(u.status, 'available');
      assert.equal(u.incident_id, null);
      const home = STATIONS.find((s) => s.code === want.station);
      assert.deepEqual(u.position, { lat: home.location.lat, lon: home.location.lon, source: 'station', stale: true, reported_at: null });
    }
  });

  test('filters by status, station, county and incident, which combine', async () => {
    const k11 = await list('?station=rasht-k11');
    assert.deepEqual(k11.json.items.map((u) => u.code), UNITS.filter((u) => u.station === 'rasht-k11').map((u) => u.code).sort());
    for (const c of COUNTIES.slice(0, 4)) {
      const county = c.properties.code;
      const want = UNITS.filter((u) => STATIONS.find((s) => s.code === u.station).county === county).length;
      assert.equal((await list(`?county=${county}`)).json.items.length, want, county);
    }
    assert.equal((await list('?status=out_of_service')).json.items.length, 0);
    assert.equal((await list('?station=rasht-k11&status=available')).json.items.length, k11.json.items.length);
    assert.equal((await list('?station=no-such-station')).json.items.length, 0);
    assert.equal((await list('?incident_id=999999')).json.items.length, 0);
  });

  test('bad filters are 400 with the field', async () => {
    for (const [q, f] of [['?status=asleep', 'status'], ['?station=Rasht%20K11', 'station'], ['?county=%D8%B1%D8%B4%D8%AA', 'county'], ['?incident_id=abc', 'incident_id'], ['?incident_id=0', 'incident_id']]) {
      const r = await list(q);
      assert.equal(r.status, 400, q);
      assert.equal(field(r), f, q);
    }
  });

  test('the centre\'s roles see units; others are 403', async () => {
    for (const role of ['call_taker', 'supervisor', 'commander']) assert.equal((await list('', role)).status, 200, role);
    for (const role of ['analyst', 'oversight', 'records', 'admin']) {
      const r = await list('', role);
      assert.equal(r.status, 403, role);
      assert.equal(code(r), 'forbidden');
    }
  });
});

describe('unit status', () => {
  test('available → busy → out_of_service → available, each audited and announced as unit.updated', async () => {
    const u = await unit('rasht-k12-1');
    const audits = Number(sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'unit.status'"));
    for (const status of ['busy', 'out_of_service', 'available']) {
      const r = await setStatus(u.id, status);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.status, status);
      assert.equal(r.json.id, u.id);
      await stream.waitForEvent((e) => e.event === 'unit.updated' && e.data.payload.unit.id === u.id && e.data.payload.unit.status === status, `unit.updated ${status}`);
    }
    assert.equal(Number(sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'unit.status'")), audits + 3);
    const row = JSON.parse(sql(srv.db, `SELECT detail FROM audit WHERE action = 'unit.status' AND subject = 'unit:${u.id}' ORDER BY id DESC LIMIT 1`));
    assert.deepEqual(row, { from: 'out_of_service', to: 'available', incident_id: null });
  });

  test('illegal moves are 409 and change nothing; dispatched comes only from an assignment', async () => {
    const u = await unit('rasht-k12-2');
    for (const status of ['dispatched', 'en_route', 'on_scene']) {
      const r = await setStatus(u.id, status);
      assert.equal(r.status, 409, `available → ${status}`);
      assert.equal(code(r), 'conflict');
      assert.equal(field(r), 'status');
    }
    assert.match((await setStatus(u.id, 'dispatched')).json.error.message, /assignments/);
    assert.equal((await list('?station=rasht-k12')).json.items.find((x) => x.id === u.id).status, 'available');
  });

  test('setting the status a unit already has answers 200 and writes nothing', async () => {
    const u = await unit('rasht-k12-3');
    const audits = count(srv.db, 'audit');
    const events = count(srv.db, 'events');
    const r = await setStatus(u.id, 'available');
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'available');
    assert.equal(count(srv.db, 'audit'), audits);
    assert.equal(count(srv.db, 'events'), events);
  });

  test('bad input, unknown units and wrong roles', async () => {
    const u = await unit('rasht-k12-3');
    const bad = [
      [{ status: 'asleep' }, 'status'],
      [{}, 'status'],
      [{ status: 'busy', colour: 'blue' }, 'colour'],
      [{ status: 3 }, 'status'],
    ];
    for (const [body, f] of bad) {
      const r = await srv.api('PATCH', `/api/v1/units/${u.id}`, { token: as.dispatcher.token, body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(field(r), f);
    }
    assert.equal((await setStatus(999999, 'busy')).status, 404);
    assert.equal((await setStatus('abc', 'busy')).status, 404);
    for (const role of ['call_taker', 'commander', 'analyst', 'admin']) {
      assert.equal((await setStatus(u.id, 'busy', { token: as[role].token })).status, 403, role);
    }
  });
});

describe('position reports', () => {
  test('a report moves the unit: fresh, from the report, announced as unit.position', async () => {
    const u = await unit('rasht-k11-1');
    const r = await report(u.id, { lat: 37.2811, lon: 49.5901 });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.moved, true);
    assert.equal(r.json.unit.position.source, 'reported');
    assert.equal(r.json.unit.position.stale, false);
    assert.equal(r.json.unit.position.lat, 37.2811);
    assert.equal(r.json.unit.position.lon, 49.5901);
    assert.ok(Math.abs(Date.parse(r.json.unit.position.reported_at) - Date.now()) < 60 * MIN);
    await stream.waitForEvent((e) => e.event === 'unit.position' && e.data.payload.unit.id === u.id, 'unit.position');
    const listed = (await list('?station=rasht-k11')).json.items.find((x) => x.id === u.id);
    assert.deepEqual(listed.position, r.json.unit.position);
  });

  test('a report older than the last one is kept in the history but does not move the unit', async () => {
    const u = await unit('rasht-k11-2');
    const now = Date.now();
    assert.equal((await report(u.id, { lat: 37.29, lon: 49.6, time: new Date(now - 2 * MIN).toISOString() })).json.moved, true);
    const late = await report(u.id, { lat: 37.1, lon: 49.1, time: new Date(now - 5 * MIN).toISOString() });
    assert.equal(late.status, 201);
    assert.equal(late.json.moved, false);
    assert.equal(late.json.unit.position.lat, 37.29);
    assert.equal(Number(sql(srv.db, `SELECT count(*) FROM unit_positions WHERE unit_id = ${u.id}`)), 2);
    assert.equal(Number(sql(srv.db, `SELECT count(*) FROM unit_positions WHERE unit_id = ${u.id} AND lat = 37.1`)), 1);
  });

  test('a last report older than 30 minutes falls back to the home station, flagged stale', async () => {
    const u = await unit('rasht-k11-3');
    const r = await report(u.id, { lat: 37.3, lon: 49.62, time: new Date(Date.now() - 31 * MIN).toISOString() });
    assert.equal(r.status, 201);
    assert.equal(r.json.moved, true);
    const home = stationOf('rasht-k11-3').location;
    assert.equal(r.json.unit.position.source, 'station');
    assert.equal(r.json.unit.position.stale, true);
    assert.equal(r.json.unit.position.lat, home.lat);
    assert.equal(r.json.unit.position.lon, home.lon);
    assert.ok(r.json.unit.position.reported_at, 'the old report time is still shown');
  });

  test('times in the future, malformed times and positions off the globe are 400 and store nothing', async () => {
    const u = await unit('rasht-k11-4');
    const before = count(srv.db, 'unit_positions');
    const cases = [
      [{ lat: 37.3, lon: 49.6, time: new Date(Date.now() + 5 * MIN).toISOString() }, 'time'],
      [{ lat: 37.3, lon: 49.6, time: 'yesterday' }, 'time'],
      [{ lat: 91, lon: 49.6 }, 'lat'],
      [{ lat: 37.3, lon: -181 }, 'lon'],
      [{ lat: '37.3', lon: 49.6 }, 'lat'],
      [{ lon: 49.6 }, 'lat'],
      [{ lat: 37.3, lon: 49.6, speed: 40 }, 'speed'],
    ];
    for (const [body, f] of cases) {
      const r = await report(u.id, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(field(r), f, JSON.stringify(body));
    }
    assert.equal(count(srv.db, 'unit_positions'), before);
    assert.equal((await report(999999, { lat: 37.3, lon: 49.6 })).status, 404);
    assert.equal((await report(u.id, { lat: 37.3, lon: 49.6 }, { token: as.call_taker.token })).status, 403);
  });

  test('a person\'s reports are audited', async () => {
    const u = await unit('rasht-k11-5');
    const before = Number(sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'unit.position'"));
    assert.equal((await report(u.id, { lat: 37.28, lon: 49.58 }, { token: as.supervisor.token })).status, 201);
    assert.equal(Number(sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'unit.position'")), before + 1);
  });
});

describe('a unit\'s own device key', () => {
  let mine;
  let other;
  let key;

  before(async () => {
    mine = await unit('anzali-k11-1');
    other = await unit('anzali-k11-2');
  });

  test('an admin creates it bound to one unit; role unit needs unit_id, other roles refuse it', async () => {
    const create = (body) => srv.api('POST', '/api/v1/apikeys', { token: as.admin.token, body });
    const r = await create({ name: 'tablet-anzali-11-1', role: 'unit', unit_id: mine.id });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.role, 'unit');
    assert.equal(r.json.unit_id, mine.id);
    key = r.json.key;
    const listed = (await srv.api('GET', '/api/v1/apikeys', { token: as.admin.token })).json.items.find((k) => k.id === r.json.id);
    assert.equal(listed.unit_id, mine.id);
    const missing = await create({ name: 'tablet-x', role: 'unit' });
    assert.equal(missing.status, 400);
    assert.equal(code(missing), 'missing_field');
    assert.equal(field(missing), 'unit_id');
    const wrongRole = await create({ name: 'tablet-y', role: 'telephony', unit_id: mine.id });
    assert.equal(wrongRole.status, 400);
    assert.equal(field(wrongRole), 'unit_id');
    const unknown = await create({ name: 'tablet-z', role: 'unit', unit_id: 999999 });
    assert.equal(unknown.status, 400);
    assert.equal(field(unknown), 'unit_id');
    assert.equal(Number(sql(srv.db, "SELECT count(*) FROM apikeys WHERE name IN ('tablet-x','tablet-y','tablet-z')")), 0);
  });

  test('it sets its own unit\'s status and reports its position, audited as the key', async () => {
    const r = await setStatus(mine.id, 'busy', { apikey: key });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'busy');
    const actor = sql(srv.db, `SELECT actor FROM audit WHERE action = 'unit.status' AND subject = 'unit:${mine.id}' ORDER BY id DESC LIMIT 1`);
    assert.equal(actor, 'apikey:tablet-anzali-11-1');
    const audits = Number(sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'unit.position'"));
    const p = await report(mine.id, { lat: 37.4727, lon: 49.4622 }, { apikey: key });
    assert.equal(p.status, 201, p.text);
    assert.equal(p.json.moved, true);
    assert.equal(Number(sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'unit.position'")), audits, 'a device\'s reports are telemetry, not audited one by one');
    assert.equal((await setStatus(mine.id, 'available', { apikey: key })).status, 200);
  });

  test('it cannot touch another unit, nor read the lists (403)', async () => {
    for (const r of [
      await setStatus(other.id, 'busy', { apikey: key }),
      await report(other.id, { lat: 37.4, lon: 49.4 }, { apikey: key }),
      await srv.api('GET', '/api/v1/units', { apikey: key }),
      await srv.api('GET', '/api/v1/places', { apikey: key }),
      await srv.api('GET', '/api/v1/incidents', { apikey: key }),
    ]) {
      assert.equal(r.status, 403, r.text);
      assert.equal(code(r), 'forbidden');
    }
    assert.equal((await list('?station=anzali-k11')).json.items.find((u) => u.id === other.id).status, 'available');
  });

  test('hamyar apikey add --role unit --unit CODE makes one from the command line', async () => {
    const ok = cli(['apikey', 'add', 'tablet-anzali-11-3', '--role', 'unit', '--unit', 'anzali-k11-3', '--db', srv.db]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /for unit anzali-k11-3/);
    const cliKey = /^key: (\S+)/m.exec(ok.stdout)[1];
    const u = await unit('anzali-k11-3');
    assert.equal((await setStatus(u.id, 'busy', { apikey: cliKey })).status, 200);
    assert.equal((await setStatus(mine.id, 'busy', { apikey: cliKey })).status, 403);
    assert.equal(cli(['apikey', 'add', 'tablet-q', '--role', 'unit', '--db', srv.db]).status, 2, '--unit is needed');
    assert.equal(cli(['apikey', 'add', 'tablet-r', '--role', 'telephony', '--unit', 'anzali-k11-3', '--db', srv.db]).status, 2);
    const unknown = cli(['apikey', 'add', 'tablet-s', '--role', 'unit', '--unit', 'nowhere-1', '--db', srv.db]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no unit has the code nowhere-1/);
  });
});

describe('places for the map', () => {
  test('the counties with seats and GeoJSON borders, the stations and the entry points', async () => {
    const r = await srv.api('GET', '/api/v1/places', { token: as.analyst.token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.counties.length, COUNTIES.length);
    assert.equal(r.json.stations.length, STATIONS.length);
    assert.equal(r.json.entry_points.length, data('entry_points.json').entry_points.length);
    const rasht = r.json.counties.find((c) => c.code === 'rasht');
    const src = COUNTIES.find((f) => f.properties.code === 'rasht');
    assert.equal(rasht.name_fa, src.properties.name_fa);
    assert.deepEqual(rasht.seat, src.properties.seat);
    assert.deepEqual(rasht.border, src.geometry);
    const k11 = r.json.stations.find((s) => s.code === 'rasht-k11');
    assert.deepEqual(k11.location, STATIONS.find((s) => s.code === 'rasht-k11').location);
    assert.equal(k11.kind, 'kalantari');
    for (const role of ['call_taker', 'oversight', 'records', 'commander', 'admin']) {
      assert.equal((await srv.api('GET', '/api/v1/places', { token: as[role].token })).status, 200, role);
    }
  });
});

describe('the reference data hamyar init loads', () => {
  const copies = [];
  after(() => copies.forEach((d) => removeDir(d)));
  function dataCopy() {
    const dir = tempDir('data');
    copies.push(dir);
    cpSync(DATA_DIR, dir, { recursive: true });
    return dir;
  }

  test('loading edited files again updates the places in place and keeps each unit\'s status', async () => {
    const u = await unit('lahijan-k11-1');
    assert.equal((await setStatus(u.id, 'busy')).status, 200);
    const dir = dataCopy();
    const stations = JSON.parse(readFileSync(join(dir, 'stations.json'), 'utf8'));
    const k11 = stations.stations.find((x) => x.code === 'lahijan-k11');
    k11.name_en = 'Kalantari 11, Lahijan (renamed)';
    writeFileSync(join(dir, 'stations.json'), JSON.stringify(stations));
    const ids = sql(srv.db, 'SELECT group_concat(id) FROM stations ORDER BY code');
    const r = cli(['init', '--db', srv.db, '--data', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\(1 rows new or changed\)/);
    const places = (await srv.api('GET', '/api/v1/places', { token: as.dispatcher.token })).json;
    assert.equal(places.stations.find((x) => x.code === 'lahijan-k11').name_en, 'Kalantari 11, Lahijan (renamed)');
    assert.equal(sql(srv.db, 'SELECT group_concat(id) FROM stations ORDER BY code'), ids, 'ids are kept');
    assert.equal((await list('?station=lahijan-k11')).json.items.find((x) => x.id === u.id).status, 'busy');
    const again = cli(['init', '--db', srv.db, '--data', dir]);
    assert.match(again.stdout, /nothing changed/);
    assert.equal((await setStatus(u.id, 'available')).status, 200);
  });

  test('a missing or malformed file stops init with the file and the problem (exit 1), changing nothing', () => {
    const before = sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'reference.load'");
    const missing = dataCopy();
    rmSync(join(missing, 'units.json'));
    let r = cli(['init', '--db', srv.db, '--data', missing]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /units\.json: cannot read it/);
    const broken = dataCopy();
    writeFileSync(join(broken, 'counties.json'), '{"type": "FeatureCollection", "features": [');
    r = cli(['init', '--db', srv.db, '--data', broken]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /counties\.json: not valid JSON at line 1/);
    const wrong = dataCopy();
    const units = JSON.parse(readFileSync(join(wrong, 'units.json'), 'utf8'));
    units.units[3].station = 'nowhere-k99';
    units.units[5].type = 'helicopter';
    writeFileSync(join(wrong, 'units.json'), JSON.stringify(units));
    r = cli(['init', '--db', srv.db, '--data', wrong]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`units\\.json: unit ${units.units[3].code}: station "nowhere-k99" is not in stations\\.json`));
    const env = cli(['init', '--db', srv.db], { env: { HAMYAR_DATA: missing } });
    assert.equal(env.status, 1, 'HAMYAR_DATA is read');
    assert.match(env.stderr, new RegExp(missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.equal(sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'reference.load'"), before);
  });
});

test('every event the stream carried matched the document', () => {
  assert.deepEqual(stream.problems, []);
});
