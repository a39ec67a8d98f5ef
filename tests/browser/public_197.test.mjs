// public_197.test.mjs — the 197 desk's public pages (web/197/) in a real browser:
// Debian's chromium, driven by npm playwright-core (which downloads no browser), against
// a real `hamyar serve` started by the API tests' harness, which serves web/.
//
// A citizen on a phone-sized screen sends a complaint typed with Arabic yeh and kaf,
// reads the tracking code in Persian digits, copies it; the oversight officer answers
// through the API with a reply for the citizen and an internal note; the citizen types
// the code in Persian digits on the tracking page and sees the reply, never the note.
// Around it: an empty text is refused in Persian without a request, a wrong code gets
// the not-found sentence, a flood gets the rate-limit sentence with minutes to wait.
//
// Screenshots of the form, the receipt and the tracking page go to
// test-output/screenshots/ (git-ignored; `make screenshots` copies them to docs/).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DEMO_PASSWORD, removeDir, startServer } from '../api/lib/server.mjs';
import { PHONE, SHOTS, launchChromium } from './lib/chromium.mjs';


const COMPLAINT = 'مأمور كلانتري ۱۲ رشت جواب سؤالم را نداد و با من تند رفتار كرد.'; // Arabic ي and ك on purpose
const REPLY = 'پیام شما بررسی شد. با مأمور گفت‌وگو شد و از شما برای گزارش سپاسگزاریم.';
const NOTE = 'یادداشت درونی: پرونده به فرماندهی کلانتری فرستاده شد.';
const NOT_FOUND_FA = 'پیامی با این کد پیگیری پیدا نشد. دوازده رقم کد را دوباره بررسی کنید و دوباره امتحان کنید.';

const toPersian = (s) => s.replace(/[0-9]/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]);
const toLatin = (s) => s.replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));

describe('the public 197 pages in chromium', () => {
  let srv;
  let browser;
  let context;
  let posts = 0; // POSTs of the form the browser sent, counted at the network

  before(async () => {
    srv = await startServer({ demo: true });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'fa-IR', deviceScaleFactor: 1 });
    context.setDefaultTimeout(20000); // a missing element fails in 20 s, not 30
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
    context.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/public/feedback')) posts += 1;
    });
  });
  after(async () => {
    await browser?.close();
    if (!srv) return;
    await srv.stop();
    removeDir(srv.dir);
  });

  // A fresh page on the phone, with the page's own errors failing the test.
  async function openPage(path) {
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.problems = problems;
    await page.goto(srv.url + path);
    return page;
  }

  async function assertFitsPhone(page) {
    const { dir, lang, scroll } = await page.evaluate(() => ({
      dir: document.documentElement.dir,
      lang: document.documentElement.lang,
      scroll: document.documentElement.scrollWidth,
    }));
    assert.equal(dir, 'rtl');
    assert.equal(lang, 'fa');
    assert.ok(scroll <= PHONE.width, `nothing scrolls sideways on a ${PHONE.width} px screen (width ${scroll})`);
  }

  test('a citizen sends a complaint, the desk replies, the citizen reads the reply and not the note', async () => {
    // From the link under the console's log-in, as a citizen who lands on the home page
    // finds the form.
    const page = await openPage('/');
    await page.getByRole('link', { name: 'سامانهٔ ۱۹۷ برای شهروندان' }).click();
    await page.waitForURL(`${srv.url}/197/`);
    await assertFitsPhone(page);
    // (document.fonts.check alone is true for a family no @font-face declares)
    assert.equal(await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'Vazirmatn' && f.status === 'loaded');
    }), true, 'the page is set in Vazirmatn, served by hamyar');
    await page.waitForFunction(() => !document.getElementById('category').disabled);
    // Every control has a label bound to it.
    const unlabelled = await page.$$eval('form input, form select, form textarea', (els) =>
      els.filter((e) => e.labels.length === 0).map((e) => e.name || e.id));
    assert.deepEqual(unlabelled, []);

    await page.getByRole('radio', { name: 'شکایت' }).check();
    // The subjects are now the complaint ones only.
    const kinds = await page.$$eval('#category option', (os) => os.map((o) => o.value).filter(Boolean));
    assert.ok(kinds.length > 0, 'complaint categories are offered');
    await page.getByLabel('متن پیام').fill(COMPLAINT);
    const counter = await page.locator('#text-counter').textContent();
    assert.match(counter, /^[۰-۹٬]+ از ۴٬۰۰۰ نویسه$/, counter);
    await page.screenshot({ path: join(SHOTS, '197-form.png'), fullPage: true });

    await page.getByRole('button', { name: 'فرستادن پیام' }).click();
    await page.locator('#receipt').waitFor({ state: 'visible' });
    assert.ok(await page.locator('#feedback-form').isHidden(), 'the form gives way to the receipt');
    const code = (await page.locator('#receipt-code').textContent()).trim();
    assert.match(code, /^[۰-۹]{4}-[۰-۹]{4}-[۰-۹]{4}$/, 'the tracking code is shown in Persian digits');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'receipt-title', 'focus moves to the receipt');
    const numberFa = (await page.locator('#receipt-number').textContent()).trim();
    assert.equal(await page.locator('#receipt-status').textContent(), 'دریافت‌شده');
    assert.equal(await page.locator('#receipt-message bdi').textContent(), code, 'the code keeps its order inside the sentence');
    const href = await page.locator('#track-link').getAttribute('href');
    assert.equal(href, `/197/track.html?code=${toLatin(code)}`);

    await page.getByRole('button', { name: 'کپی کد' }).click();
    await page.locator('#copy-status', { hasText: 'کد پیگیری کپی شد.' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code, 'the copied text is the code');
    await assertFitsPhone(page);
    await page.screenshot({ path: join(SHOTS, '197-receipt.png'), fullPage: true });
    assert.equal(posts, 1, 'one submission went out');

    // The desk: oversight1 finds the contact, normalised, and answers it.
    const desk = await srv.login('oversight1', DEMO_PASSWORD);
    const list = await srv.api('GET', '/api/v1/feedback?channel=web&limit=50', { token: desk.token });
    assert.equal(list.status, 200, list.text);
    const contact = list.json.items.find((x) => x.number_latin === toLatin(numberFa));
    assert.ok(contact, `the desk lists contact ${numberFa}`);
    assert.equal(contact.kind, 'complaint');
    assert.ok(contact.text.includes('کلانتری') && !/[يك]/.test(contact.text), 'Arabic yeh and kaf were normalised');
    for (const [text, forCitizen] of [[REPLY, true], [NOTE, false]]) {
      const r = await srv.api('POST', `/api/v1/feedback/${contact.id}/replies`, { token: desk.token, body: { text, for_citizen: forCitizen } });
      assert.equal(r.status, 201, r.text);
    }

    // The citizen types the code in Persian digits, without dashes.
    const track = await openPage('/197/track.html');
    await track.getByLabel('کد پیگیری ۱۲ رقمی').fill(code.replace(/-/g, ''));
    await track.getByRole('button', { name: 'نمایش وضعیت' }).click();
    await track.locator('#result').waitFor({ state: 'visible' });
    assert.equal(await track.locator('#r-number').textContent(), numberFa);
    assert.equal(await track.locator('#r-status').textContent(), 'دریافت‌شده');
    assert.equal(await track.locator('#r-kind').textContent(), 'شکایت');
    assert.equal(await track.locator('ol.steps li[aria-current="step"]').textContent(), 'دریافت‌شده');
    const replies = await track.locator('#r-replies li p').allTextContents();
    assert.deepEqual(replies, [REPLY]);
    const body = await track.locator('body').innerText();
    assert.ok(!body.includes(NOTE) && !body.includes('یادداشت درونی'), 'the internal note is not on the page');
    assert.ok(!body.includes('تند رفتار'), 'the contact\'s own text is not on the page');
    // Dates: Jalali, Persian digits, Tehran time (the browser formats; compare with node's ICU).
    const received = track.locator('#r-received time');
    const iso = await received.getAttribute('datetime');
    const shown = await received.textContent();
    assert.match(shown, /۱۴۰[۰-۹]/, `a Jalali year in Persian digits: ${shown}`);
    assert.ok(!/[0-9]/.test(shown), `no Latin digits in ${shown}`);
    const jalaliDay = new Intl.DateTimeFormat('fa-IR-u-ca-persian', { timeZone: 'Asia/Tehran', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(iso));
    assert.ok(shown.startsWith(jalaliDay), `${shown} starts with ${jalaliDay}`);
    assert.equal(await track.locator('#r-replies time').count(), 1);
    assert.ok(await track.locator('#r-answered').isHidden(), 'no answered date before the contact is answered');
    await assertFitsPhone(track);
    await track.screenshot({ path: join(SHOTS, '197-track.png'), fullPage: true });

    // The receipt's link: the code fills the box, is looked up, and leaves the address.
    await page.locator('#track-link').click();
    await page.locator('#result').waitFor({ state: 'visible' });
    assert.equal(new URL(page.url()).search, '', 'the code is taken out of the address');
    assert.equal(await page.locator('#code').inputValue(), toPersian(toLatin(code)));
    assert.deepEqual(await page.locator('#r-replies li p').allTextContents(), [REPLY]);
    assert.deepEqual([...page.problems, ...track.problems], []);
  });

  test('an empty text is refused in Persian without a request', async () => {
    const page = await openPage('/197/');
    const before = posts;
    // The keyboard starts at the skip link, which shows itself, and every stop has a ring.
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const e = document.activeElement;
      const r = e.getBoundingClientRect();
      const st = getComputedStyle(e);
      return { cls: e.className, width: r.width, outline: `${st.outlineStyle} ${st.outlineWidth}` };
    });
    assert.equal(skip.cls, 'skip');
    assert.ok(skip.width > 20, 'the focused skip link is visible');
    assert.equal(skip.outline, 'solid 3px');
    await page.getByLabel('متن پیام').fill('   ');
    await page.getByRole('button', { name: 'فرستادن پیام' }).click();
    await page.locator('#text-error', { hasText: 'متن پیام را بنویسید.' }).waitFor();
    assert.equal(await page.locator('#form-alert').textContent(), 'متن پیام را بنویسید.');
    assert.equal(await page.locator('#text').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'text', 'focus goes to the text');
    assert.equal(posts, before, 'nothing was sent');
    assert.ok(await page.locator('#receipt').isHidden());
    assert.deepEqual(page.problems, []);
  });

  test('a wrong code gets the not-found sentence, a short one is refused before asking', async () => {
    const page = await openPage('/197/track.html');
    const box = page.getByLabel('کد پیگیری ۱۲ رقمی');
    const asked = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/public/feedback/')) asked.push(r.url());
    });
    await box.fill('۱۲۳۴');
    await page.getByRole('button', { name: 'نمایش وضعیت' }).click();
    await page.locator('#code-error', { hasText: 'کد پیگیری ۱۲ رقم دارد' }).waitFor();
    assert.deepEqual(asked, [], 'a code without 12 digits is not looked up');
    for (const wrong of ['۱۲۳۴-۵۶۷۸-۹۰۱۲', '5555 5555 5555']) {
      await box.fill(wrong);
      await page.getByRole('button', { name: 'نمایش وضعیت' }).click();
      await page.locator('#track-alert', { hasText: NOT_FOUND_FA }).waitFor();
      assert.equal(await page.locator('#track-alert').textContent(), NOT_FOUND_FA);
      assert.ok(await page.locator('#result').isHidden());
      assert.equal(await page.evaluate(() => document.activeElement.id), 'code');
    }
    assert.equal(asked.length, 2);
    assert.deepEqual(page.problems, []);
  });

  test('past the rate limit the form says how many minutes to wait', async () => {
    // Spend this address's form tokens (3 a minute by default) through the API.
    let r;
    for (let i = 0; i < 10; i++) {
      r = await srv.api('POST', '/api/v1/public/feedback', { body: { text: 'پرسشی دربارهٔ گواهی عدم سوءپیشینه دارم.' } });
      if (r.status === 429) break;
    }
    assert.equal(r.status, 429, 'the flood reaches the limit');
    const page = await openPage('/197/');
    await page.getByLabel('متن پیام').fill('پیشنهاد می‌کنم ساعت کار دفتر پلیس +۱۰ بیشتر شود.');
    await page.getByRole('button', { name: 'فرستادن پیام' }).click();
    const alert = page.locator('#form-alert', { hasText: 'دقیقهٔ دیگر دوباره امتحان کنید' });
    await alert.waitFor();
    assert.match(await alert.textContent(), /لطفاً [۰-۹]+ دقیقهٔ دیگر/);
    assert.ok(await page.locator('#receipt').isHidden());
    assert.equal(await page.locator('#submit').isEnabled(), true, 'the button works again');
  });
});
