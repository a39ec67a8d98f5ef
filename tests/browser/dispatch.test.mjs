// dispatch.test.mjs — the dispatch board (web/app/dispatch.js, map.js) in a real browser:
// Debian's chromium, driven by npm playwright-core, against a real `hamyar serve` with
// the demo centre (three days of activity, some incidents still open).
//
// Two dispatchers work side by side in two browser contexts (two sessions). The test
// records a priority-1 call answered two minutes ago and a priority-3 one answered a
// minute ago through the API, as a call-taker would. Dispatcher A sees both pending, the
// first in the overdue colour and the second not (the thresholds of OVERDUE_S), selects
// the first, reads its recommendations and assigns the first recommended unit with one
// click. Dispatcher B, without reloading, sees the incident move to "dispatched" and the
// unit become "dispatched"; then A's status change and A's note. Then B's connection is
// cut (B reaches the server through a relay that drops it): B's indicator says so, A moves the incident on scene
// meanwhile, and when B's network is back its board catches up by itself. A commander
// sees the same board with no action buttons.
//
// Every request any page makes goes to the test server (no CDN, no tile server), Leaflet
// and Vazirmatn come from /vendor, the font is served as font/woff2 and is in use, and no
// page logs an error (a Content-Security-Policy refusal would be one).
//
// Screenshots: test-output/screenshots/dispatch.png and dispatch-map.png (`make
// screenshots` copies them to docs/).
import assert from 'node:assert/strict';
import net from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { DEMO_PASSWORD, SOURCE_DIR, removeDir } from '../api/lib/server.mjs';
import { RASHT, startCentre } from '../api/lib/centre.mjs';
import { SHOTS, collectProblems, launchChromium } from './lib/chromium.mjs';

const { RECOMMEND_REASON } = await import(pathToFileURL(join(SOURCE_DIR, 'web', 'lib', 'i18n.js')).href);

const VIEWPORT = { width: 1280, height: 800 };
const LIVE_MS = 15000; // "within a second", with room for a slow CI machine
const NOTE = 'یگان از مسیر کمربندی می‌رود؛ ترافیک سنگین است.';

// A TCP relay to the server on a port of its own, whose connections can be cut: B's
// network. cut() drops every open connection (the event stream among them) and refuses
// new ones until restore(). Chromium's offline emulation would not do: it leaves an
// open stream alone.
async function relay(port) {
  const sockets = new Set();
  let down = false;
  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(port, '127.0.0.1');
    for (const [from, to] of [[client, upstream], [upstream, client]]) {
      sockets.add(from);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
      from.pipe(to);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      down = false;
    },
    close() {
      this.cut();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('the dispatch board in chromium', () => {
  let srv;
  let as;
  let browser;
  let net2; // B's way to the server (relay)
  const contexts = [];
  const outside = []; // requests that left the test server
  const vendor = new Map(); // /vendor/... path → {status, type}

  before(async () => {
    ({ srv, as } = await startCentre({ demo: 'activity' }));
    net2 = await relay(srv.port);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await net2?.close();
    if (!srv) return;
    await srv.stop();
    removeDir(srv.dir);
  });

  // A context logged in as `username` on the board, at `base` (the server, or the
  // relay); the page's own errors are kept.
  async function openBoard(username, base = srv.url) {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'fa-IR', deviceScaleFactor: 1 });
    context.setDefaultTimeout(20000);
    contexts.push(context);
    context.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith(`${base}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) outside.push(url);
    });
    context.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/vendor/')) vendor.set(path, { status: r.status(), type: r.headers()['content-type'] });
    });
    const page = await context.newPage();
    // Failed requests are judged by their URL, below, not by the console's line.
    const problems = collectProblems(page, /^Failed to load resource/);
    page.on('response', (r) => {
      // The expected failure: GET /api/v1/me before logging in is 401.
      const path = new URL(r.url()).pathname;
      if (r.status() >= 400 && !(r.status() === 401 && path === '/api/v1/me')) problems.push(`${r.status()} ${path}`);
    });
    await page.goto(`${base}/#dispatch`);
    await page.locator('#login-user').fill(username);
    await page.locator('#login-pass').fill(DEMO_PASSWORD);
    await page.locator('#login-pass').press('Enter');
    await page.locator('.dsp[data-loaded="true"]').waitFor();
    await page.locator('.hmap[data-ready="true"]').waitFor();
    await page.locator('#live[data-status="live"]').waitFor();
    return page;
  }

  // A call recorded by calltaker1 through the API, answered `ago` seconds ago, and the
  // incident made from it.
  async function pendingIncident(type, agoS, where) {
    const answer = new Date(Date.now() - agoS * 1000).toISOString();
    const ring = new Date(Date.now() - agoS * 1000 - 5000).toISOString();
    const call = await srv.api('POST', '/api/v1/calls', {
      token: as.call_taker.token,
      body: { type, caller_number: '09111234567', location: where, address: 'رشت، میدان شهرداری', ring_at: ring, answer_at: answer },
    });
    assert.equal(call.status, 201, call.text);
    const inc = await srv.api('POST', '/api/v1/incidents', { token: as.call_taker.token, body: { call_id: call.json.id } });
    assert.equal(inc.status, 201, inc.text);
    return inc.json;
  }

  const row = (page, id) => page.locator(`.dsp-inc tr[data-id="${id}"]`);

  test('two dispatchers: assign on one board, see it on the other, live and after a dropped connection', async () => {
    const urgent = await pendingIncident('armed_robbery', 120, RASHT);
    const ordinary = await pendingIncident('vandalism', 60, { lat: RASHT.lat + 0.03, lon: RASHT.lon + 0.03 });
    assert.equal(urgent.priority, 1);

    const a = await openBoard('dispatcher1');
    const b = await openBoard('dispatcher1', net2.url);

    // Pending, sorted by priority, the priority-1 one overdue after 60 s, the other not.
    const pendingA = a.locator('.dsp-incidents table').first();
    await pendingA.locator(`tr[data-id="${urgent.id}"]`).waitFor();
    const ids = await pendingA.locator('tr[data-id]').evaluateAll((rs) => rs.map((r) => Number(r.dataset.id)));
    assert.ok(ids.indexOf(urgent.id) < ids.indexOf(ordinary.id), 'priority 1 before priority 3');
    await a.locator(`.dsp-inc tr.overdue[data-id="${urgent.id}"]`).waitFor();
    assert.equal(await row(a, ordinary.id).evaluate((r) => r.classList.contains('overdue')), false, 'a priority-3 incident pending for a minute is not overdue');
    // The timer ticks: the age text changes without anything else happening.
    const age = row(a, urgent.id).locator('td.age time');
    const before1 = await age.textContent();
    await a.waitForFunction(([id, t]) => document.querySelector(`.dsp-inc tr[data-id="${id}"] td.age time`).textContent !== t, [urgent.id, before1], { timeout: LIVE_MS });
    assert.match(await age.textContent(), /^[۰-۹]+:[۰-۹]{2}$/, 'the age in Persian digits');

    // A selects the urgent incident and assigns the first recommended unit.
    await row(a, urgent.id).click();
    await a.locator('#dsp-detail-title', { hasText: 'سرقت مسلحانه' }).waitFor();
    const first = a.locator('.dsp-recs-table button[data-assign]').first();
    await first.waitFor();
    const unitId = Number(await first.getAttribute('data-assign'));
    const reasons = await a.locator('.dsp-recs-table tbody tr').first().locator('td').nth(3).textContent();
    // Why, as the API gives it for that unit (which reasons apply depends on where the
    // demo's units happen to be: the nearest may also be the only one of its county).
    const recs = await srv.api('GET', `/api/v1/incidents/${urgent.id}/recommendations`, { token: as.dispatcher.token });
    const why = recs.json.items.find((r) => r.unit.id === unitId).reasons;
    assert.ok(why.length > 0, 'the recommendation says why');
    assert.equal(reasons, why.map((x) => RECOMMEND_REASON[x]).join('، '), 'the recommendation says why, in Persian');
    await a.screenshot({ path: join(SHOTS, 'dispatch.png') });

    await b.locator(`.dsp-inc tr[data-id="${urgent.id}"]`).click(); // B watches the same incident
    await b.locator(`.dsp-unit-table tr[data-unit="${unitId}"] .status[data-status="available"]`).waitFor();

    await first.click();
    await a.locator('#toast', { hasText: 'اعزام شد' }).waitFor();

    // B, without reloading: the incident is dispatched, the unit too, and the line shows.
    await b.locator(`.dsp-inc tr[data-id="${urgent.id}"] .status[data-status="dispatched"]`).waitFor({ timeout: LIVE_MS });
    await b.locator(`.dsp-unit-table tr[data-unit="${unitId}"] .status[data-status="dispatched"]`).waitFor({ timeout: LIVE_MS });
    await b.locator('.dsp-timeline li[data-kind="assigned"]').waitFor({ timeout: LIVE_MS });
    await b.locator(`.dsp-on-list li[data-unit="${unitId}"]`).waitFor({ timeout: LIVE_MS });
    assert.equal(await row(b, urgent.id).evaluate((r) => r.classList.contains('overdue')), false, 'a dispatched incident is not overdue');

    // A status change and a note from A appear on B.
    await a.locator('button[data-move="en_route"]').click();
    await b.locator('#dsp-detail-status[data-status="en_route"]').waitFor({ timeout: LIVE_MS });
    await b.locator(`.dsp-inc tr[data-id="${urgent.id}"] .status[data-status="en_route"]`).waitFor({ timeout: LIVE_MS });
    await a.keyboard.press('Alt+KeyN');
    assert.equal(await a.evaluate(() => document.activeElement.id), 'dsp-note', 'Alt+N goes to the note');
    await a.keyboard.type(NOTE);
    await a.keyboard.press('Enter');
    await b.locator('.dsp-timeline li[data-kind="note"]', { hasText: NOTE }).waitFor({ timeout: LIVE_MS });
    await a.locator('.dsp-timeline li[data-kind="note"]', { hasText: NOTE }).waitFor();

    // B loses its connection; A moves the incident on scene meanwhile; B catches up.
    net2.cut();
    await b.locator('#live:not([data-status="live"])').waitFor({ timeout: 30000 });
    await a.locator('button[data-move="on_scene"]').click();
    await a.locator('#dsp-detail-status[data-status="on_scene"]').waitFor();
    assert.equal(await b.locator('#dsp-detail-status').getAttribute('data-status'), 'en_route', 'B, offline, has not heard yet');
    net2.restore();
    await b.locator('#live[data-status="live"]').waitFor({ timeout: 30000 });
    await b.locator('#dsp-detail-status[data-status="on_scene"]').waitFor({ timeout: LIVE_MS });
    await b.locator(`.dsp-inc tr[data-id="${urgent.id}"] .status[data-status="on_scene"]`).waitFor({ timeout: LIVE_MS });
    // The unit's crew reports arriving (from its device; here through the API): the
    // incident's event carries the unit, and both boards show it on scene.
    const arrived = await srv.api('PATCH', `/api/v1/units/${unitId}`, { token: as.dispatcher.token, body: { status: 'on_scene' } });
    assert.equal(arrived.status, 200, arrived.text);
    for (const p of [a, b]) {
      await p.locator(`.dsp-unit-table tr[data-unit="${unitId}"] .status[data-status="on_scene"]`).waitFor({ timeout: LIVE_MS });
      await p.locator(`.dsp-on-list li[data-unit="${unitId}"] .status[data-status="on_scene"]`).waitFor({ timeout: LIVE_MS });
    }

    // The keyboard: Alt+I goes to the list, the arrows move the selection, Alt+1
    // assigns the first recommended unit.
    await a.keyboard.press('Alt+KeyI');
    const focusedId = () => a.evaluate(() => Number(document.activeElement.dataset.id));
    assert.equal(await focusedId(), urgent.id, 'Alt+I focuses the selected incident');
    for (let i = 0; i < 20 && (await focusedId()) !== ordinary.id; i++) await a.keyboard.press('ArrowUp');
    assert.equal(await focusedId(), ordinary.id, 'the arrows reach the other pending incident');
    assert.equal(await row(a, ordinary.id).getAttribute('aria-selected'), 'true', 'the selection follows the focus');
    await a.locator('#dsp-detail-title', { hasText: 'تخریب اموال' }).waitFor();
    await a.locator('.dsp-recs-table button[data-assign]').first().waitFor();
    await a.keyboard.press('Alt+Digit1');
    await b.locator(`.dsp-inc tr[data-id="${ordinary.id}"] .status[data-status="dispatched"]`).waitFor({ timeout: LIVE_MS });

    // The map: closer in, the selected incident is brought into view; a click on
    // another incident's marker selects that one.
    const settled = (p) => p.locator('.dsp-mapbox[data-ready="true"]:not([data-moving])').waitFor();
    for (let i = 0; i < 2; i++) {
      await a.locator('.leaflet-control-zoom-in').click();
      await settled(a);
    }
    await a.locator(`.dsp-inc tr[data-id="${ordinary.id}"]`).click();
    await a.locator('#dsp-detail-title', { hasText: 'تخریب اموال' }).waitFor();
    await settled(a);
    await a.locator('.dsp-mapbox').screenshot({ path: join(SHOTS, 'dispatch-map.png') });
    // Clicked where it shows: in Rasht another of the demo's open incidents may overlap it.
    const spot = await a.evaluate((id) => {
      const m = document.querySelector(`.dsp-mapbox path.hmap-incident[data-id="${id}"]`);
      const r = m.getBoundingClientRect();
      const steps = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8];
      for (const dy of steps) {
        for (const dx of steps) {
          const x = r.left + r.width * dx;
          const y = r.top + r.height * dy;
          if (document.elementFromPoint(x, y) === m) return { x, y };
        }
      }
      return null;
    }, urgent.id);
    assert.ok(spot, 'the urgent incident\'s marker shows on the map, not hidden under another');
    await a.mouse.click(spot.x, spot.y);
    await a.locator('#dsp-detail-title', { hasText: 'سرقت مسلحانه' }).waitFor();
    assert.equal(await row(a, urgent.id).getAttribute('aria-selected'), 'true', 'the list follows the map');

    for (const p of [a, b]) assert.deepEqual(p.problems, [], 'no page errors');
  });

  test('a commander sees the board and no action', async () => {
    const page = await openBoard('commander1');
    await page.locator('.dsp-inc tr[data-id]').first().click();
    await page.locator('.dsp-timeline li').first().waitFor();
    assert.equal(await page.locator('button[data-assign], button[data-move], #dsp-note').count(), 0);
    assert.deepEqual(page.problems, []);
  });

  test("the map's pin (the call-taker's caller location) moves by dragging and by a click", async () => {
    const page = contexts[0].pages()[0];
    // map.js on its own, as another screen uses it, in a box over the board.
    await page.evaluate(async () => {
      const { createMap } = await import('/app/map.js');
      const box = document.createElement('div');
      box.id = 'pin-test';
      box.style.cssText = 'position: fixed; inset: 100px 300px; z-index: 2000; height: 500px;';
      document.body.append(box);
      const map = createMap(box, { places: () => fetch('/api/v1/places').then((r) => r.json()) });
      await map.ready;
      window.pinMoves = [];
      window.pinHandle = map.pin(37.2808, 49.5831, { draggable: true, onMove: (lat, lon) => window.pinMoves.push([lat, lon]) });
    });
    const pin = page.locator('#pin-test .leaflet-marker-icon.leaflet-marker-draggable');
    await pin.waitFor();
    await page.locator('#pin-test:not([data-moving])').waitFor();
    assert.equal(await pin.getAttribute('src'), `${srv.url}/vendor/leaflet/images/marker-icon.png`, 'the pin image is local');
    const at = await pin.boundingBox();
    await page.mouse.move(at.x + at.width / 2, at.y + at.height - 2);
    await page.mouse.down();
    await page.mouse.move(at.x + at.width / 2 + 60, at.y + at.height - 2 - 40, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(() => window.pinMoves.length === 1);
    const [[lat, lon]] = await page.evaluate(() => window.pinMoves);
    assert.ok(lat > 37.2808 && lon > 49.5831, `dragged north-east: ${lat}, ${lon}`);
    const moved = await page.evaluate(() => window.pinHandle.position());
    assert.deepEqual([moved.lat, moved.lon], [lat, lon]);
    // A click on the map puts the pin there.
    const box = await page.locator('#pin-test').boundingBox();
    await page.mouse.click(box.x + 40, box.y + box.height - 40);
    await page.waitForFunction(() => window.pinMoves.length === 2);
    const [, [lat2, lon2]] = await page.evaluate(() => window.pinMoves);
    assert.ok(lat2 < lat && lon2 < lon, 'the click was south-west of the dragged pin');
    await page.evaluate(() => window.pinHandle.remove());
    assert.equal(await pin.count(), 0, 'remove() takes the pin away');
    assert.deepEqual(page.problems, []);
  });

  test('every asset is local: Leaflet and Vazirmatn from /vendor, nothing from elsewhere', async () => {
    assert.deepEqual(outside, [], 'no request left the test server');
    assert.deepEqual(vendor.get('/vendor/leaflet/leaflet.js')?.status, 200);
    assert.equal(vendor.get('/vendor/leaflet/leaflet.css')?.status, 200);
    assert.equal(vendor.get('/vendor/vazirmatn/vazirmatn.css')?.status, 200);
    assert.deepEqual(vendor.get('/vendor/vazirmatn/vazirmatn-variable.woff2'), { status: 200, type: 'font/woff2' });
    const page = contexts[0].pages()[0];
    assert.equal(await page.evaluate(() => [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'Vazirmatn' && f.status === 'loaded')),
      true, 'Vazirmatn is loaded (a declared face, not a fallback)');
    assert.equal(await page.evaluate(() => typeof window.L?.map), 'function', 'Leaflet is loaded');
    // The page's policy: scripts, styles, fonts and images from the server itself only.
    const res = await srv.api('GET', '/', { validate: false });
    const csp = res.headers['content-security-policy'];
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /img-src 'self' data:/);
  });
});
