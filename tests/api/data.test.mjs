// data.test.mjs — the Gilan reference data (data/gilan/*.json) that `hamyar init` loads
// passes scripts/check-data.mjs, holds what issue 3 asks for, and the checker itself
// catches the mistakes it is there to catch. Needs no server.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { SOURCE_DIR } from './lib/paths.mjs';

const DATA_DIR = join(SOURCE_DIR, 'data', 'gilan');
const { loadData, checkData, pointInRing, ringProblems } = await import(
  pathToFileURL(join(SOURCE_DIR, 'scripts', 'check-data.mjs')).href
);

const fresh = () => loadData(DATA_DIR);
const data = fresh();
const result = checkData(data);

const countyCodes = () => data.counties.features.map((f) => f.properties.code);
const stationsOf = (county) => data.stations.stations.filter((s) => s.county === county);

describe('the Gilan reference data', () => {
  test('passes every check of scripts/check-data.mjs', () => {
    assert.deepEqual(result.errors, [], result.errors.join('\n'));
  });

  test('lists the 17 counties of Gilan, each with its seat', () => {
    const expected = ['amlash', 'anzali', 'astaneh', 'astara', 'fuman', 'khomam', 'lahijan', 'langarud', 'masal',
      'rasht', 'rezvanshahr', 'rudbar', 'rudsar', 'shaft', 'siahkal', 'sowmeh-sara', 'talesh'];
    assert.deepEqual(countyCodes().sort(), expected);
    const rasht = data.counties.features.find((f) => f.properties.code === 'rasht').properties;
    assert.equal(rasht.name_fa, 'رشت');
    assert.ok(Math.abs(rasht.seat.lat - 37.28) < 0.02 && Math.abs(rasht.seat.lon - 49.58) < 0.02);
  });

  test('gives every county a kalantari in its seat and 2 or more stations; Rasht 8 to 12', () => {
    for (const code of countyCodes()) {
      const mine = stationsOf(code);
      assert.ok(mine.length >= 2, `${code} has ${mine.length} stations`);
      assert.ok(mine.some((s) => s.kind === 'kalantari'), `${code} has no kalantari`);
    }
    const rasht = stationsOf('rasht').length;
    assert.ok(rasht >= 8 && rasht <= 12, `Rasht has ${rasht} stations`);
  });

  test('gives every station 2 to 6 patrol units', () => {
    for (const s of data.stations.stations) {
      const n = data.units.units.filter((u) => u.station === s.code).length;
      assert.ok(n >= 2 && n <= 6, `${s.code} has ${n} units`);
    }
  });

  test('says what is invented or approximate', () => {
    assert.equal(data.units.invented, true);
    for (const s of data.stations.stations) {
      assert.ok(s.invented.includes('location'), `${s.code}: its exact point is invented`);
      if (s.kind === 'kalantari') assert.ok(s.invented.includes('number'), `${s.code}: its number is invented`);
    }
    for (const f of data.counties.features) assert.match(f.properties.border, /^approximate/);
    assert.match(data.province.notes.join(' '), /approximate/);
  });

  test('keeps the province capacity whole instead of splitting it per entry point', () => {
    assert.equal(data.entryPoints.capacity.vehicles_per_day, 25000);
    assert.equal(data.entryPoints.capacity.scope, 'province');
    for (const e of data.entryPoints.entry_points) assert.equal(e.capacity, undefined, `${e.code} has a capacity`);
    const codes = data.entryPoints.entry_points.map((e) => e.code);
    for (const c of ['qazvin-rasht', 'astara-border', 'heyran', 'chaboksar-ramsar']) assert.ok(codes.includes(c), `${c} missing`);
  });

  test('prints station and unit counts per county that add up to the files', () => {
    const total = (k) => result.counts.reduce((a, c) => a + c[k], 0);
    assert.equal(result.counts.length, 17);
    assert.equal(total('stations'), data.stations.stations.length);
    assert.equal(total('units'), data.units.units.length);
  });
});

describe('scripts/check-data.mjs catches', () => {
  const errorsAfter = (mutate) => {
    const d = fresh();
    mutate(d);
    return checkData(d).errors;
  };
  const assertCaught = (errors, re) => assert.ok(errors.some((e) => re.test(e)), `no error matched ${re}:\n${errors.join('\n')}`);

  test('a station placed outside its county', () => {
    const errors = errorsAfter((d) => {
      const lahijan = d.counties.features.find((f) => f.properties.code === 'lahijan').properties.seat;
      d.stations.stations.find((s) => s.code === 'rasht-k11').location = { ...lahijan };
    });
    assertCaught(errors, /rasht-k11: location .* outside rasht's border \(it is in lahijan\)/);
  });

  test('a station of a county that does not exist, and a unit of a station that does not exist', () => {
    const errors = errorsAfter((d) => {
      d.stations.stations[0].county = 'nowhere';
      d.units.units[0].station = 'nowhere-k1';
    });
    assertCaught(errors, /county "nowhere" does not exist/);
    assertCaught(errors, /station "nowhere-k1" does not exist/);
  });

  test('duplicate codes and call signs', () => {
    const errors = errorsAfter((d) => {
      d.stations.stations[1].code = d.stations.stations[0].code;
      d.units.units[1].call_sign_ascii = d.units.units[0].call_sign_ascii;
    });
    assertCaught(errors, /stations\.json: code ".*" appears more than once/);
    assertCaught(errors, /call_sign_ascii ".*" appears more than once/);
  });

  test('coordinates outside Gilan', () => {
    const errors = errorsAfter((d) => { d.entryPoints.entry_points[0].location = { lat: 35.7, lon: 51.4 }; });
    assertCaught(errors, /outside Gilan's box/);
  });

  test('an open ring, a self-intersecting ring, and counties that leave a gap', () => {
    const open = errorsAfter((d) => { d.counties.features[0].geometry.coordinates[0].pop(); });
    assertCaught(open, /not closed/);
    const bow = errorsAfter((d) => {
      d.counties.features[0].geometry.coordinates[0] = [[49, 37], [49.5, 37.5], [49.5, 37], [49, 37.5], [49, 37]];
    });
    assertCaught(bow, /edges \d+ and \d+ intersect/);
    const gap = errorsAfter((d) => { d.counties.features = d.counties.features.filter((f) => f.properties.code !== 'siahkal'); });
    assertCaught(gap, /do not tile the province outline/);
  });

  test('Arabic yeh and kaf, and Latin digits, in Persian text', () => {
    const errors = errorsAfter((d) => {
      d.counties.features[0].properties.name_fa = 'رشتي';
      d.stations.stations[0].name_fa = 'کلانتری 11 رشت';
      d.units.units[0].call_sign = 'ك-۱';
    });
    assertCaught(errors, /name_fa has the Arabic form U\+064A/);
    assertCaught(errors, /name_fa has Latin digits/);
    assertCaught(errors, /call_sign has the Arabic form U\+0643/);
  });

  test('units that are not marked invented, and a bad unit type', () => {
    const errors = errorsAfter((d) => {
      delete d.units.invented;
      d.units.units[0].type = 'helicopter';
    });
    assertCaught(errors, /invented must be true/);
    assertCaught(errors, /type must be one of/);
  });

  test('a file that is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hamyar-data-'));
    try {
      for (const f of ['counties.json', 'province.json', 'stations.json']) copyFileSync(join(DATA_DIR, f), join(dir, f));
      writeFileSync(join(dir, 'units.json'), '{"units": [');
      const errors = checkData(loadData(dir)).errors;
      assertCaught(errors, /^units\.json: cannot be read as JSON/);
      assertCaught(errors, /^entry_points\.json: cannot be read as JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the geometry helpers on a unit square', () => {
    const sq = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
    assert.deepEqual(ringProblems(sq), []);
    assert.equal(pointInRing(0.5, 0.5, sq), true);
    assert.equal(pointInRing(1.5, 0.5, sq), false);
    assert.match(ringProblems([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]).join(), /intersect/);
  });
});
