// calltaker.test.mjs — the console's call-taker screen (web/app/calltaker.js) in a real
// browser: Debian's chromium, driven by npm playwright-core, against a real
// `hamyar serve` with the demo users (tests/api/lib/centre.mjs: no demo activity, so
// every call and incident is the test's own, and a phone-system API key).
//
// calltaker1 logs in. The phone system rings; the call appears on the screen without a
// reload, with its number in Persian digits and the county it rings from. The
// call-taker takes it with the keyboard alone: Alt+0 takes the oldest call, the type is
// found by typing with Arabic yeh and kaf, its priority is suggested, the pin is moved on
// the map, Ctrl+Enter sends, Alt+N creates the incident, whose number shows in Persian
// digits. A second call from the same number shows the first incident as a repeat
// candidate with its reasons in Persian, and Alt+L links it. Then the session is ended
// behind the browser's back while a filled form waits: sending shows the log-in dialog,
// and after logging in the call is stored once, with what was typed. Log-out returns to
// the log-in. A user with a TOTP second factor is asked for the code.
//
// Screenshots go to test-output/screenshots/ (`make screenshots` copies them to docs/).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ANZALI, RASHT, RASHT_NEAR, newNumber, startCentre } from '../api/lib/centre.mjs';
import { DEMO_PASSWORD, removeDir } from '../api/lib/server.mjs';
import { totp } from '../api/lib/totp.mjs';
import { SHOTS, launchChromium } from './lib/chromium.mjs';

const VIEWPORT = { width: 1280, height: 800 };

const toPersian = (s) => String(s).replace(/[0-9]/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]);
const ADDRESS = 'رشت، خيابان امام، نبش كوچه ۱۲'; // Arabic ي and ك on purpose
const NARRATIVE = 'دو نفر موتورسوار كيف خانمي را قاپيدند و به سمت ميدان شهرداري رفتند.';

describe('the call-taker screen in chromium', () => {
  let srv;
  let as;
  let phoneKey;
  let browser;
  let context;
  let page;
  const problems = [];

  before(async () => {
    ({ srv, as, phoneKey } = await startCentre());
    browser = await launchChromium();
    context = await browser.newContext({ viewport: VIEWPORT, locale: 'fa-IR', deviceScaleFactor: 1 });
    context.setDefaultTimeout(20000); // a missing element fails in 20 s, not 30
  });
  after(async () => {
    await browser?.close();
    if (!srv) return;
    await srv.stop();
    removeDir(srv.dir);
  });

  const phone = async (body) => {
    const r = await srv.api('POST', '/api/v1/telephony/events', { apikey: phoneKey, body });
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const callsFrom = async (number) =>
    (await srv.api('GET', `/api/v1/calls?caller_number=${number}`, { token: as.supervisor.token })).json.items;

  function shot(p, name) {
    const file = join(SHOTS, `${name}.png`);
    return p.screenshot({ path: file });
  }

  async function openConsole(ctx) {
    const p = await ctx.newPage();
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    await p.goto(`${srv.url}/`);
    await p.locator('#login').waitFor({ state: 'visible' });
    return p;
  }

  async function logIn(p, username, password) {
    await p.locator('#login-user').fill(username);
    await p.locator('#login-pass').fill(password);
    await p.locator('#login-pass').press('Enter');
  }

  // Takes the oldest ringing call with Alt+0 and types `search` into the type box; once
  // the highlighted option is `name`, Enter chooses it.
  async function takeCall(search, name) {
    await page.keyboard.press('Alt+0');
    await page.waitForFunction(() => document.activeElement?.id === 'ct-type');
    await page.keyboard.type(search);
    await page.locator('#ct-type-list [role=option][aria-selected=true]', { hasText: name }).waitFor();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('#ct-type').inputValue(), name);
  }

  test('calltaker1 logs in and sees the call-taker screen', async () => {
    page = await openConsole(context);
    await logIn(page, 'calltaker1', DEMO_PASSWORD);
    await page.locator('#ct-form').waitFor();
    assert.equal(await page.title(), 'پاسخگویی ۱۱۰ — همیار');
    assert.match(await page.locator('#who').textContent(), /پاسخگوی ۱۱۰/);
    // Every control of the form has a label, and every field a shortcut shown on screen.
    const unlabelled = await page.$$eval('#ct-form input, #ct-form select, #ct-form textarea', (els) =>
      els.filter((e) => e.labels.length === 0 && !e.getAttribute('aria-label')).map((e) => e.id));
    assert.deepEqual(unlabelled, []);
    for (let n = 1; n <= 9; n++) assert.equal(await page.locator(`#ct-form kbd:text-is("Alt+${n}")`).count(), 1, `Alt+${n} shown`);
    assert.equal(await page.locator('#ct-queue-empty').isVisible(), true);
    // Tab walks the form in the order of the shortcuts, and ends on the send button.
    await page.locator('#ct-number').focus();
    const order = ['ct-number'];
    while (order.length < 20 && order.at(-1) !== 'ct-send') {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement.id));
    }
    assert.deepEqual(order, ['ct-number', 'ct-name', 'ct-type', 'ct-priority', 'ct-address', 'ct-lat', 'ct-lon',
      'ct-county', 'ct-narrative', 'ct-outcome-operation', 'ct-send']);
    await page.keyboard.press('Escape'); // nothing typed: nothing to clear, no question
    assert.equal(await page.locator('#ct-msg').textContent(), '');
  });

  test('a ringing call appears live; taken by keyboard, typed with Arabic letters, the pin moved, sent, made an incident', async () => {
    const number = newNumber();
    await phone({ event: 'ring', telephony_call_id: 'ct-1', ani: number, location: { ...RASHT, uncertainty_m: 40, source: 'gnss' } });
    const item = page.locator('#ct-queue [role=option]', { hasText: toPersian(number) });
    await item.waitFor({ timeout: 15000 }); // live, without reloading
    assert.match(await item.textContent(), /زنگ می‌خورد/);
    assert.match(await item.textContent(), /رشت/, 'the county the call rings from');

    await takeCall('كيف', 'زورگیری و کیف‌قاپی'); // typed with Arabic kaf and yeh
    assert.equal(await page.locator('#ct-priority').inputValue(), '2', "the type's priority is suggested");
    assert.equal(await page.locator('#ct-number').inputValue(), toPersian(number));
    assert.match(await page.locator('#ct-picked').textContent(), /تماس تلفنی/);
    const lat0 = await page.locator('#ct-lat').inputValue();
    assert.equal(lat0, '۳۷٫۲۸۰۸۰');

    // The pin, dragged on the map, moves the location in the form.
    const marker = page.locator('#ct-map .leaflet-marker-icon[title="محل تماس"]');
    await marker.waitFor();
    const box = await marker.boundingBox();
    const x = box.x + box.width / 2;
    const y = box.y + box.height - 4;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 15, y + 20, { steps: 5 });
    await page.mouse.move(x + 30, y + 40, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((l) => document.getElementById('ct-lat').value !== l, lat0);
    const movedLat = await page.locator('#ct-lat').inputValue();

    // Back to the keyboard: Alt+5 address, Alt+8 narrative, Ctrl+Enter sends.
    await page.keyboard.press('Alt+5');
    await page.keyboard.type(ADDRESS);
    await page.keyboard.press('Alt+8');
    await page.keyboard.type(NARRATIVE);
    await shot(page, 'calltaker');
    await page.keyboard.press('Control+Enter');
    await page.locator('#ct-decision').waitFor();
    assert.match(await page.locator('#ct-cands-note').textContent(), /پیدا نشد/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ct-create', 'focus on "new incident"');
    await page.keyboard.press('Alt+N');
    await page.locator('#ct-result', { hasText: 'ساخته شد' }).waitFor();
    const text = await page.locator('#ct-result').textContent();
    const m = /^رخداد ([۰-۹]{4}-[۰-۹]{6}) ساخته شد\.$/.exec(text);
    assert.ok(m, `the incident number in Persian digits: ${text}`);

    const [call] = await callsFrom(number);
    assert.equal(call.telephony_call_id, 'ct-1');
    assert.equal(call.type, 'street_robbery');
    assert.equal(call.priority, 2);
    assert.equal(call.address, 'رشت، خیابان امام، نبش کوچه ۱۲', 'stored normalised');
    assert.ok(call.incident_id, 'the call made the incident');
    assert.notEqual(call.location.lat, RASHT.lat, 'the moved pin is the stored location');
    assert.equal(toPersian(call.location.lat.toFixed(5)).replace('.', '٫'), movedLat);
    assert.equal(call.location.uncertainty_m, 0, 'a hand-placed pin has no phone uncertainty');
    const inc = await srv.api('GET', `/api/v1/incidents/${call.incident_id}`, { token: as.supervisor.token });
    assert.equal(toPersian(inc.json.incident.number_latin), m[1]);
    // Taken and recorded: the call left the queue, the form is empty for the next one.
    await page.locator('#ct-queue-empty').waitFor();
    assert.equal(await page.locator('#ct-number').inputValue(), '');
    assert.equal(await page.locator('#ct-decision').isHidden(), true);

    // A second call from the same number: the first incident is its repeat candidate.
    await phone({ event: 'ring', telephony_call_id: 'ct-2', ani: number, location: { ...RASHT_NEAR, uncertainty_m: 15, source: 'cell' } });
    await page.locator('#ct-queue [role=option]', { hasText: toPersian(number) }).waitFor({ timeout: 15000 });
    await takeCall('زورگيري', 'زورگیری و کیف‌قاپی');
    await page.keyboard.press('Control+Enter');
    const cand = page.locator('#ct-cands [role=option]').first();
    await cand.waitFor();
    assert.equal(await cand.getAttribute('aria-selected'), 'true', 'the best candidate is highlighted');
    assert.equal(await cand.getAttribute('data-id'), String(call.incident_id));
    const candText = await cand.textContent();
    assert.match(candText, /همان تماس‌گیرنده/);
    assert.ok(candText.includes(m[1]), 'the candidate shows the incident number in Persian digits');
    assert.match(candText, /[۰-۹]+ متر|همین حالا|دقیقه پیش/);
    assert.equal(await page.locator('#ct-link kbd').textContent(), 'Alt+L', 'the key is shown on the button');
    await shot(page, 'calltaker-candidates');
    await page.keyboard.press('Alt+L');
    await page.locator('#ct-result', { hasText: 'پیوست شد' }).waitFor();
    assert.equal(await page.locator('#ct-result').textContent(), `تماس به رخداد ${m[1]} پیوست شد.`);
    const after2 = await srv.api('GET', `/api/v1/incidents/${call.incident_id}`, { token: as.supervisor.token });
    assert.equal(after2.json.incident.call_count, 2);
    assert.equal((await callsFrom(number)).filter((c) => c.incident_id === call.incident_id).length, 2);
  });

  test('the digits choice re-draws the screen and keeps the call being typed; Escape twice clears it', async () => {
    const number = newNumber();
    await phone({ event: 'ring', telephony_call_id: 'ct-4', ani: number, location: { ...RASHT, uncertainty_m: 0, source: 'cell' } });
    await page.locator('#ct-queue [role=option]', { hasText: toPersian(number) }).waitFor({ timeout: 15000 });
    await takeCall('آتش', 'آتش‌سوزی');
    assert.equal(await page.locator('#ct-priority').inputValue(), '1');
    await page.keyboard.press('Alt+4'); // the priority, changed by hand, stays changed
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Alt+2');
    await page.keyboard.type('رضا');

    await page.locator('#digits').check();
    await page.locator('#ct-queue [role=option]', { hasText: number }).waitFor(); // Latin digits now
    assert.equal(await page.locator('#ct-name').inputValue(), 'رضا');
    assert.equal(await page.locator('#ct-type').inputValue(), 'آتش‌سوزی');
    assert.equal(await page.locator('#ct-priority').inputValue(), '2');
    assert.match(await page.locator('#ct-picked').textContent(), new RegExp(number));
    await page.locator('#digits').uncheck();
    await page.locator('#ct-queue [role=option]', { hasText: toPersian(number) }).waitFor();
    assert.equal(await page.locator('#ct-name').inputValue(), 'رضا');

    await page.keyboard.press('Alt+2');
    await page.keyboard.press('Escape');
    assert.match(await page.locator('#ct-msg').textContent(), /یک بار دیگر/);
    assert.equal(await page.locator('#ct-name').inputValue(), 'رضا', 'one Escape clears nothing');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#ct-name').inputValue(), '');
    assert.equal(await page.locator('#ct-type').inputValue(), '');
    assert.equal(await page.locator('#ct-picked').textContent(), '');
    // The caller gives up: the call leaves the queue, live.
    await phone({ event: 'abandon', telephony_call_id: 'ct-4' });
    await page.locator('#ct-queue-empty').waitFor({ timeout: 15000 });
  });

  test('an expired session asks for the log-in over the filled form, keeps the text and stores the call once', async () => {
    const number = newNumber();
    await phone({ event: 'ring', telephony_call_id: 'ct-3', ani: number, location: { ...ANZALI, uncertainty_m: 30, source: 'gnss' } });
    await page.locator('#ct-queue [role=option]', { hasText: toPersian(number) }).waitFor({ timeout: 15000 });
    await takeCall('تصادف خسارتي', 'تصادف خسارتی');
    await page.keyboard.press('Alt+8');
    await page.keyboard.type(NARRATIVE);

    // The session ends on the server (as after 30 idle minutes), the browser not told.
    const cookie = (await context.cookies()).find((c) => c.name === 'hamyar_session');
    const csrf = await page.evaluate(() => sessionStorage.getItem('hamyar.csrf'));
    const del = await srv.api('DELETE', '/api/v1/session', { cookie: `hamyar_session=${cookie.value}`, csrf });
    assert.equal(del.status, 204);

    // The console's Idempotency-Key: the time, then random; the same on the resend.
    const keys = [];
    const noteKey = (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/calls') keys.push(r.headers()['idempotency-key']);
    };
    page.on('request', noteKey);
    const sentAt = Date.now();
    await page.keyboard.press('Control+Enter');
    await page.locator('#login').waitFor({ state: 'visible' });
    assert.match(await page.locator('#login-msg').textContent(), /آنچه نوشته‌اید حفظ شده است/);
    assert.equal(await page.locator('#login-user').inputValue(), 'calltaker1');
    assert.equal(await callsFrom(number).then((c) => c.length), 0, 'nothing stored before the log-in');
    await page.locator('#login-pass').fill(DEMO_PASSWORD);
    await page.locator('#login-pass').press('Enter');
    await page.locator('#login').waitFor({ state: 'hidden' });
    await page.locator('#ct-decision').waitFor();
    assert.equal(await page.locator('#ct-narrative').inputValue(), NARRATIVE, 'what was typed is still on the screen');
    const calls = await callsFrom(number);
    assert.equal(calls.length, 1, 'stored once');
    page.off('request', noteKey);
    assert.equal(keys.length, 2, 'sent, refused for the session, sent again');
    assert.equal(keys[1], keys[0], 'the resend carries the same key');
    assert.match(keys[0], /^[0-9a-f]{32}$/);
    const keyTime = parseInt(keys[0].slice(0, 12), 16);
    assert.ok(keyTime >= sentAt - 1000 && keyTime <= Date.now(), `the key starts with the time it was made (${keys[0]})`);
    assert.equal(calls[0].narrative, 'دو نفر موتورسوار کیف خانمی را قاپیدند و به سمت میدان شهرداری رفتند.');
    assert.equal(calls[0].county, 'anzali');

    // Escape finishes the call without an incident; log-out leads back to the log-in.
    await page.keyboard.press('Escape');
    await page.locator('#ct-decision').waitFor({ state: 'hidden' });
    await page.locator('#logout').click();
    await page.locator('#login').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#login-user').inputValue(), '');
    const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.status));
    assert.equal(me, 401, 'the session ended on the server');
  });

  test('a user with a TOTP second factor is asked for the code', async () => {
    const u = await srv.createUser(as.admin.token, 'calltaker.totp', ['call_taker']);
    const s = await srv.login('calltaker.totp', u.password);
    const { secret } = (await srv.api('POST', '/api/v1/me/totp', { token: s.token })).json;
    const at = Date.now();
    const ok = await srv.api('POST', '/api/v1/me/totp/confirm', { token: s.token, body: { code: totp(secret, at) } });
    assert.equal(ok.status, 200, ok.text);

    const ctx2 = await browser.newContext({ viewport: VIEWPORT, locale: 'fa-IR', deviceScaleFactor: 1 });
    ctx2.setDefaultTimeout(20000);
    const p = await openConsole(ctx2);
    assert.equal(await p.locator('#login-totp').isHidden(), true, 'no code is asked before the password');
    await logIn(p, 'calltaker.totp', u.password);
    await p.locator('#login-msg', { hasText: 'کد شش‌رقمی برنامهٔ احراز هویت را وارد کنید.' }).waitFor();
    await p.locator('#login-totp').waitFor({ state: 'visible' });
    assert.equal(await p.evaluate(() => document.activeElement.id), 'login-totp');
    // The next step's code (the confirmation used this one), typed in Persian digits.
    await p.locator('#login-totp').fill(toPersian(totp(secret, at + 30000)));
    await p.locator('#login-totp').press('Enter');
    await p.locator('#ct-form').waitFor();
    await ctx2.close();
  });

  test('no page errors', () => {
    assert.deepEqual(problems, []);
  });
});
