#!/usr/bin/env node
// check-data.mjs — validates the Gilan reference data that `hamyar init` loads
// (data/gilan/*.json, described in data/README.md): the shape of each file, unique codes
// and call signs, that every reference points at something that exists, that every
// coordinate lies in Gilan, that county polygons are closed, simple and tile the province
// outline, that every station lies in its own county, and that Persian text uses Persian
// letters and digits. Prints station and unit counts per county.
//
//   node scripts/check-data.mjs [DATA_DIR]      (default: data/gilan beside this script)
//
// Exit status 0 when there are no errors (warnings are printed but allowed), 1 otherwise.
// tests/api/data.test.mjs imports loadData/checkData so CTest runs the same checks.
// No npm dependencies: plain node.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FILES = {
  counties: 'counties.json',
  province: 'province.json',
  stations: 'stations.json',
  units: 'units.json',
  entryPoints: 'entry_points.json',
};

// Gilan lies within about 36.55–38.45 N, 48.55–50.62 E; the box leaves a small margin.
export const BBOX = { latMin: 36.5, latMax: 38.5, lonMin: 48.5, lonMax: 50.7 };

const STATION_KINDS = ['kalantari', 'pasgah'];
const UNIT_TYPES = ['car', 'motorcycle', 'traffic', 'special'];
const ENTRY_KINDS = ['road', 'border_crossing'];
const INVENTED_FIELDS = ['number', 'location', 'name', 'existence'];
const CODE_RE = /^[a-z][a-z0-9-]*$/;
const CALL_ASCII_RE = /^[A-Z][A-Z0-9]*(-[0-9]+)+$/;
// An entry point sits on the province boundary; allow it this far outside the drawn outline.
const ENTRY_OUTSIDE_KM = 5;

// Reads the five files of DIR. A file that is missing or not JSON is reported by
// checkData as an error rather than thrown, so one run lists every problem.
export function loadData(dir) {
  const data = { dir, parseErrors: [] };
  for (const [key, file] of Object.entries(FILES)) {
    try {
      data[key] = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (e) {
      data[key] = undefined;
      data.parseErrors.push(`${file}: cannot be read as JSON: ${e.message}`);
    }
  }
  return data;
}

// ---- geometry (lon/lat degrees; distances on an equirectangular projection) ----------

const KM_PER_DEG_LAT = 110.57;
const kmPerDegLon = (lat) => 111.32 * Math.cos((lat * Math.PI) / 180);

// Twice the signed area in degrees²; positive when the ring runs counter-clockwise.
function signedArea2(ring) {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s;
}

export function ringAreaKm2(ring) {
  const lat0 = ring.reduce((a, p) => a + p[1], 0) / ring.length;
  return (Math.abs(signedArea2(ring)) / 2) * kmPerDegLon(lat0) * KM_PER_DEG_LAT;
}

function orient(a, b, c) {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(a, b, p) {
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}

// True when segments ab and cd share any point (crossing, touching or overlapping).
function segmentsIntersect(a, b, c, d) {
  const o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && onSegment(a, b, c)) || (o2 === 0 && onSegment(a, b, d)) ||
    (o3 === 0 && onSegment(c, d, a)) || (o4 === 0 && onSegment(c, d, b));
}

// Problems of one closed ring: too short, not closed, repeated vertices, edges that meet
// anywhere but at their shared vertex. Simple O(n²) test; rings here have < 200 vertices.
export function ringProblems(ring) {
  const out = [];
  if (!Array.isArray(ring) || ring.length < 4) return ['ring has fewer than 4 positions'];
  for (const p of ring) {
    if (!Array.isArray(p) || p.length !== 2 || !p.every(Number.isFinite)) return ['ring has a position that is not [lon, lat]'];
  }
  const first = ring[0], last = ring[ring.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) out.push('ring is not closed (first and last positions differ)');
  const n = ring.length - 1; // edges i: ring[i]→ring[i+1]
  for (let i = 0; i < n; i++) {
    if (ring[i][0] === ring[i + 1][0] && ring[i][1] === ring[i + 1][1]) out.push(`repeated vertex at position ${i}`);
  }
  if (out.length) return out;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      if (adjacent) continue;
      if (segmentsIntersect(ring[i], ring[i + 1], ring[j], ring[j + 1])) {
        out.push(`edges ${i} and ${j} intersect near [${ring[i]}]`);
        if (out.length >= 5) return out;
      }
    }
  }
  if (signedArea2(ring) === 0) out.push('ring has no area');
  return out;
}

// Ray casting; points exactly on an edge may fall either way.
export function pointInRing(lon, lat, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

// Distance in km from a point to the nearest edge of a ring.
function distanceToRingKm(lon, lat, ring) {
  const kx = kmPerDegLon(lat);
  let best = Infinity;
  for (let i = 0; i + 1 < ring.length; i++) {
    const ax = (ring[i][0] - lon) * kx, ay = (ring[i][1] - lat) * KM_PER_DEG_LAT;
    const bx = (ring[i + 1][0] - lon) * kx, by = (ring[i + 1][1] - lat) * KM_PER_DEG_LAT;
    const dx = bx - ax, dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return best;
}

// ---- small field checks ---------------------------------------------------------------

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isText = (v) => typeof v === 'string' && v.trim().length > 0;

const ARABIC_FORMS = /[\u064A\u0643\u0649\u0660-\u0669\u0640]/; // ي ك ى ٠-٩ tatweel
const PERSIAN_LETTER = /[\u0600-\u06FF]/;

// Persian-first text: Persian ی and ک, Persian digits, no tatweel.
function persianProblems(s) {
  if (!isText(s)) return 'is not a non-empty string';
  const m = ARABIC_FORMS.exec(s);
  if (m) return `has the Arabic form U+${m[0].codePointAt(0).toString(16).toUpperCase().padStart(4, '0')} (use Persian ی/ک/digits)`;
  if (/[0-9]/.test(s)) return 'has Latin digits (use Persian digits ۰–۹)';
  if (!PERSIAN_LETTER.test(s)) return 'has no Persian letters';
  return null;
}

function decimals(x) {
  const s = String(x);
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}

// ---- the checks ------------------------------------------------------------------------

export function checkData(data) {
  const errors = [...(data.parseErrors || [])];
  const warnings = [];
  const err = (m) => errors.push(m);
  const warn = (m) => warnings.push(m);

  const checkPoint = (where, pt) => {
    if (!isObj(pt) || !Number.isFinite(pt.lat) || !Number.isFinite(pt.lon)) {
      err(`${where}: must be {lat, lon} numbers`);
      return false;
    }
    if (pt.lat < BBOX.latMin || pt.lat > BBOX.latMax || pt.lon < BBOX.lonMin || pt.lon > BBOX.lonMax) {
      err(`${where}: (${pt.lat}, ${pt.lon}) is outside Gilan's box (lat ${BBOX.latMin}–${BBOX.latMax}, lon ${BBOX.lonMin}–${BBOX.lonMax})`);
      return false;
    }
    if (decimals(pt.lat) > 4 || decimals(pt.lon) > 4) warn(`${where}: more than 4 decimals`);
    return true;
  };
  const checkFa = (where, s) => {
    const p = persianProblems(s);
    if (p) err(`${where} ${p}`);
  };
  const checkNotes = (file, obj) => {
    if (!Array.isArray(obj.notes) || !obj.notes.length || !obj.notes.every(isText)) err(`${file}: notes must be a non-empty list of text`);
  };
  const unique = (file, list, key) => {
    const seen = new Set();
    for (const x of list) {
      const v = x?.[key];
      if (v === undefined) continue;
      if (seen.has(v)) err(`${file}: ${key} "${v}" appears more than once`);
      seen.add(v);
    }
  };

  // -- counties --
  const counties = new Map(); // code → {props, ring}
  const cj = data.counties;
  if (cj !== undefined) {
    if (!isObj(cj) || cj.type !== 'FeatureCollection' || !Array.isArray(cj.features)) {
      err('counties.json: must be a GeoJSON FeatureCollection with features');
    } else {
      checkNotes('counties.json', cj);
      if (!cj.notes?.some((n) => /approximate/i.test(n))) err('counties.json: notes must say that the borders are approximate');
      if (!cj.features.length) err('counties.json: no counties');
      for (const [i, f] of cj.features.entries()) {
        const p = f?.properties;
        const where = `counties.json feature ${i}${p?.code ? ` (${p.code})` : ''}`;
        if (!isObj(f) || f.type !== 'Feature' || !isObj(p)) { err(`${where}: must be a Feature with properties`); continue; }
        if (!CODE_RE.test(p.code ?? '')) { err(`${where}: code must be a lower-case ASCII slug`); continue; }
        if (f.id !== undefined && f.id !== p.code) err(`${where}: id "${f.id}" differs from code`);
        checkFa(`${where}: name_fa`, p.name_fa);
        checkFa(`${where}: seat_fa`, p.seat_fa);
        for (const k of ['name_en', 'seat_en']) if (!isText(p[k])) err(`${where}: ${k} is missing`);
        checkPoint(`${where}: seat`, p.seat);
        if (p.population_1395 !== undefined && p.population_1395 !== null &&
          !(Number.isInteger(p.population_1395) && p.population_1395 > 0)) err(`${where}: population_1395 must be a positive integer or null`);
        if (Number.isInteger(p.population_1395) && !isText(p.population_source)) err(`${where}: population_1395 needs population_source`);
        if (!/approximate/i.test(p.border ?? '')) err(`${where}: border must say it is approximate`);
        const g = f.geometry;
        if (!isObj(g) || g.type !== 'Polygon' || !Array.isArray(g.coordinates) || g.coordinates.length !== 1) {
          err(`${where}: geometry must be a Polygon with one ring (no holes)`);
          continue;
        }
        const ring = g.coordinates[0];
        const probs = ringProblems(ring);
        for (const m of probs) err(`${where}: border ${m}`);
        if (probs.length) continue;
        if (ring.some(([lon, lat]) => lat < BBOX.latMin || lat > BBOX.latMax || lon < BBOX.lonMin || lon > BBOX.lonMax)) {
          err(`${where}: border has a vertex outside Gilan's box`);
        }
        if (signedArea2(ring) < 0) warn(`${where}: border runs clockwise (GeoJSON asks for counter-clockwise)`);
        counties.set(p.code, { props: p, ring });
      }
      unique('counties.json', cj.features.map((f) => f?.properties ?? {}), 'code');
      unique('counties.json', cj.features.map((f) => f?.properties ?? {}), 'name_fa');
      unique('counties.json', cj.features.map((f) => f?.properties ?? {}), 'name_en');
      for (const [code, c] of counties) {
        const s = c.props.seat;
        if (isObj(s) && !pointInRing(s.lon, s.lat, c.ring)) err(`counties.json ${code}: seat (${s.lat}, ${s.lon}) is outside its own border`);
      }
    }
  }

  // -- province --
  let outline = null;
  const pj = data.province;
  if (pj !== undefined) {
    const f = pj?.features?.[0];
    if (!isObj(pj) || pj.type !== 'FeatureCollection' || pj.features?.length !== 1 || f?.geometry?.type !== 'Polygon' ||
      f.geometry.coordinates?.length !== 1) {
      err('province.json: must be a FeatureCollection of one Feature whose geometry is a Polygon with one ring');
    } else {
      checkNotes('province.json', pj);
      if (!pj.notes.some((n) => /approximate/i.test(n))) err('province.json: notes must say that the outline is approximate');
      checkFa('province.json: name_fa', f.properties?.name_fa);
      const probs = ringProblems(f.geometry.coordinates[0]);
      for (const m of probs) err(`province.json: outline ${m}`);
      if (!probs.length) outline = f.geometry.coordinates[0];
      if (outline && outline.some(([lon, lat]) => lat < BBOX.latMin || lat > BBOX.latMax || lon < BBOX.lonMin || lon > BBOX.lonMax)) {
        err("province.json: outline has a vertex outside Gilan's box");
      }
    }
  }

  // -- tiling: counties cover the outline once, without gaps or overlaps --
  let areas = null;
  if (outline && counties.size) {
    const provinceKm2 = ringAreaKm2(outline);
    let sum = 0;
    for (const c of counties.values()) sum += ringAreaKm2(c.ring);
    areas = { provinceKm2, countiesKm2: sum };
    if (Math.abs(sum - provinceKm2) / provinceKm2 > 0.005) {
      err(`counties cover ${sum.toFixed(0)} km² but the province outline is ${provinceKm2.toFixed(0)} km² (gaps or overlaps)`);
    }
    // Sample a grid (offset so that points do not fall on rounded vertices or edges).
    const ring = [...counties.entries()];
    let overlap = 0, gap = 0, outside = 0;
    const examples = [];
    for (let lat = BBOX.latMin + 0.00731; lat < BBOX.latMax; lat += 0.02) {
      for (let lon = BBOX.lonMin + 0.00593; lon < BBOX.lonMax; lon += 0.02) {
        const inProv = pointInRing(lon, lat, outline);
        const hits = ring.filter(([, c]) => pointInRing(lon, lat, c.ring)).map(([code]) => code);
        if (inProv && hits.length > 1) { overlap++; if (examples.length < 3) examples.push(`(${lat.toFixed(3)}, ${lon.toFixed(3)}) in ${hits.join(' and ')}`); }
        if (inProv && hits.length === 0) { gap++; if (examples.length < 3) examples.push(`(${lat.toFixed(3)}, ${lon.toFixed(3)}) in no county`); }
        if (!inProv && hits.length) { outside++; if (examples.length < 3) examples.push(`(${lat.toFixed(3)}, ${lon.toFixed(3)}) in ${hits[0]} but outside the province`); }
      }
    }
    if (overlap + gap + outside) err(`counties do not tile the province outline: ${overlap} overlap, ${gap} gap and ${outside} outside sample points, e.g. ${examples.join('; ')}`);
  }

  // -- stations --
  const stations = new Map();
  const sj = data.stations;
  if (sj !== undefined) {
    if (!isObj(sj) || !Array.isArray(sj.stations)) {
      err('stations.json: must be an object with a stations list');
    } else {
      checkNotes('stations.json', sj);
      for (const [i, s] of sj.stations.entries()) {
        const where = `stations.json ${s?.code ?? `entry ${i}`}`;
        if (!isObj(s) || !CODE_RE.test(s.code ?? '')) { err(`${where}: code must be a lower-case ASCII slug`); continue; }
        if (!counties.has(s.county)) err(`${where}: county "${s.county}" does not exist in counties.json`);
        if (!STATION_KINDS.includes(s.kind)) err(`${where}: kind must be one of ${STATION_KINDS.join(', ')}`);
        checkFa(`${where}: name_fa`, s.name_fa);
        if (!isText(s.name_en)) err(`${where}: name_en is missing`);
        if (s.area_fa !== undefined) checkFa(`${where}: area_fa`, s.area_fa);
        if (s.kind === 'kalantari') {
          if (!Number.isInteger(s.number) || s.number < 1) err(`${where}: a kalantari needs a positive number`);
          else if (!s.name_fa?.includes(String(s.number).replace(/[0-9]/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[d]))) err(`${where}: name_fa does not carry the number in Persian digits`);
        } else if (s.kind === 'pasgah' && s.number != null) err(`${where}: a pasgah has no number`);
        if (!Array.isArray(s.invented) || !s.invented.every((x) => INVENTED_FIELDS.includes(x))) {
          err(`${where}: invented must list which details are invented (${INVENTED_FIELDS.join(', ')})`);
        }
        if (checkPoint(`${where}: location`, s.location) && counties.has(s.county)) {
          const c = counties.get(s.county);
          if (!pointInRing(s.location.lon, s.location.lat, c.ring)) {
            const other = [...counties.entries()].find(([, o]) => pointInRing(s.location.lon, s.location.lat, o.ring));
            err(`${where}: location (${s.location.lat}, ${s.location.lon}) is outside ${s.county}'s border${other ? ` (it is in ${other[0]})` : ''}`);
          }
        }
        stations.set(s.code, s);
      }
      unique('stations.json', sj.stations, 'code');
      unique('stations.json', sj.stations, 'name_fa');
      for (const code of counties.keys()) {
        const mine = sj.stations.filter((s) => s?.county === code);
        if (!mine.length) err(`stations.json: county ${code} has no station`);
        else if (!mine.some((s) => s.kind === 'kalantari')) warn(`stations.json: county ${code} has no kalantari`);
      }
    }
  }

  // -- units --
  const uj = data.units;
  const unitsByStation = new Map();
  if (uj !== undefined) {
    if (!isObj(uj) || !Array.isArray(uj.units)) {
      err('units.json: must be an object with a units list');
    } else {
      checkNotes('units.json', uj);
      if (uj.invented !== true) err('units.json: invented must be true (every unit and call sign is invented)');
      for (const [i, u] of uj.units.entries()) {
        const where = `units.json ${u?.code ?? `entry ${i}`}`;
        if (!isObj(u) || !CODE_RE.test(u.code ?? '')) { err(`${where}: code must be a lower-case ASCII slug`); continue; }
        if (!stations.has(u.station)) err(`${where}: station "${u.station}" does not exist in stations.json`);
        if (!UNIT_TYPES.includes(u.type)) err(`${where}: type must be one of ${UNIT_TYPES.join(', ')}`);
        checkFa(`${where}: call_sign`, u.call_sign);
        if (!CALL_ASCII_RE.test(u.call_sign_ascii ?? '')) err(`${where}: call_sign_ascii must look like RASHT-11-1`);
        if (!Number.isInteger(u.seats) || u.seats < 1 || u.seats > 8) err(`${where}: seats must be an integer 1–8`);
        else if (u.type === 'motorcycle' && u.seats > 2) err(`${where}: a motorcycle seats at most 2`);
        if (!unitsByStation.has(u.station)) unitsByStation.set(u.station, []);
        unitsByStation.get(u.station).push(u);
      }
      unique('units.json', uj.units, 'code');
      unique('units.json', uj.units, 'call_sign');
      unique('units.json', uj.units, 'call_sign_ascii');
      for (const code of stations.keys()) {
        const n = unitsByStation.get(code)?.length ?? 0;
        if (n < 1) err(`units.json: station ${code} has no unit`);
        else if (n > 12) warn(`units.json: station ${code} has ${n} units`);
      }
    }
  }

  // -- entry points --
  const ej = data.entryPoints;
  if (ej !== undefined) {
    if (!isObj(ej) || !Array.isArray(ej.entry_points)) {
      err('entry_points.json: must be an object with an entry_points list');
    } else {
      checkNotes('entry_points.json', ej);
      const cap = ej.capacity;
      if (!isObj(cap) || !Number.isInteger(cap.vehicles_per_day) || cap.vehicles_per_day <= 0 || cap.scope !== 'province') {
        err('entry_points.json: capacity must give vehicles_per_day for scope "province"');
      }
      if (!ej.entry_points.length) err('entry_points.json: no entry points');
      for (const [i, e] of ej.entry_points.entries()) {
        const where = `entry_points.json ${e?.code ?? `entry ${i}`}`;
        if (!isObj(e) || !CODE_RE.test(e.code ?? '')) { err(`${where}: code must be a lower-case ASCII slug`); continue; }
        checkFa(`${where}: name_fa`, e.name_fa);
        for (const k of ['name_en', 'road', 'neighbour']) if (!isText(e[k])) err(`${where}: ${k} is missing`);
        if (e.road_fa !== undefined) checkFa(`${where}: road_fa`, e.road_fa);
        if (e.neighbour_fa !== undefined) checkFa(`${where}: neighbour_fa`, e.neighbour_fa);
        if (!ENTRY_KINDS.includes(e.kind)) err(`${where}: kind must be one of ${ENTRY_KINDS.join(', ')}`);
        if (typeof e.main !== 'boolean') err(`${where}: main must be true or false`);
        if (e.county !== undefined && !counties.has(e.county)) err(`${where}: county "${e.county}" does not exist`);
        if (e.capacity !== undefined && !isText(e.capacity_note)) err(`${where}: a per-entry capacity must be marked invented in capacity_note`);
        if (checkPoint(`${where}: location`, e.location) && outline) {
          const { lat, lon } = e.location;
          if (!pointInRing(lon, lat, outline)) {
            const d = distanceToRingKm(lon, lat, outline);
            if (d > ENTRY_OUTSIDE_KM) err(`${where}: location is ${d.toFixed(1)} km outside the province outline`);
          }
          if (e.county !== undefined && counties.has(e.county) && !pointInRing(lon, lat, counties.get(e.county).ring)) {
            warn(`${where}: location is not inside ${e.county}'s drawn border`);
          }
        }
      }
      unique('entry_points.json', ej.entry_points, 'code');
    }
  }

  // -- every Persian value in every file uses Persian letters --
  const walk = (file, v, path) => {
    if (typeof v === 'string') {
      const m = ARABIC_FORMS.exec(v);
      if (m && m[0] !== '\u0640') err(`${file} ${path}: has the Arabic form U+${m[0].codePointAt(0).toString(16).toUpperCase()}`);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(file, x, `${path}[${i}]`));
    else if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(file, x, path ? `${path}.${k}` : k);
  };
  for (const [key, file] of Object.entries(FILES)) if (data[key] !== undefined) walk(file, data[key], '');

  // -- counts per county --
  const counts = [...counties.keys()].map((code) => {
    const mine = [...stations.values()].filter((s) => s.county === code);
    const units = mine.flatMap((s) => unitsByStation.get(s.code) ?? []);
    const byType = Object.fromEntries(UNIT_TYPES.map((t) => [t, units.filter((u) => u.type === t).length]));
    return {
      county: code,
      stations: mine.length,
      kalantari: mine.filter((s) => s.kind === 'kalantari').length,
      pasgah: mine.filter((s) => s.kind === 'pasgah').length,
      units: units.length,
      ...byType,
      areaKm2: Math.round(ringAreaKm2(counties.get(code).ring)),
    };
  });
  return { errors, warnings, counts, areas };
}

export function formatCounts(counts) {
  const cols = ['county', 'stations', 'kalantari', 'pasgah', 'units', ...UNIT_TYPES, 'areaKm2'];
  const rows = [cols, ...counts.map((c) => cols.map((k) => String(c[k])))];
  const total = ['total', ...cols.slice(1).map((k) => String(counts.reduce((a, c) => a + c[k], 0)))];
  rows.push(total);
  const w = cols.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((x, i) => (i ? x.padStart(w[i]) : x.padEnd(w[i]))).join('  ')).join('\n');
}

function main() {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = resolve(process.argv[2] ?? join(here, '..', 'data', 'gilan'));
  const data = loadData(dir);
  const r = checkData(data);
  console.log(`Gilan reference data in ${dir}\n`);
  console.log(formatCounts(r.counts));
  if (r.areas) console.log(`\nprovince outline ${r.areas.provinceKm2.toFixed(0)} km², counties ${r.areas.countiesKm2.toFixed(0)} km²`);
  for (const w of r.warnings) console.log(`warning: ${w}`);
  for (const e of r.errors) console.log(`error: ${e}`);
  console.log(r.errors.length ? `\n${r.errors.length} error(s)` : '\nok');
  process.exitCode = r.errors.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
