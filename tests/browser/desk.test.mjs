// desk.test.mjs — the 197 desk's screen (web/app/desk.js) in a real browser: Debian's
// chromium driven by npm playwright-core, against a real `hamyar serve` with the whole
// demo (`hamyar init --demo`: 189 contacts, seven of them overdue) serving web/.
//
// A citizen writes through the public form on a phone; the oversight officer, whose
// inbox is already open, sees the contact arrive live (no reload), opens it, confirms
// the classifier's suggestion, assigns it to supervisor1, starts the review, writes an
// internal note and a reply for the citizen, and marks it answered; the citizen's
// tracking page shows the reply and not the note. Around it: the demo's overdue
// contacts are flagged red with how late they are; a phone contact is taken with the
// live classification preview and its tracking code shown once.
//
// Screenshots go to test-output/screenshots/ (git-ignored): desk-inbox.png and
// desk-contact.png (`make screenshots` copies them to docs/).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DEMO_PASSWORD, removeDir, startServer } from '../api/lib/server.mjs';
import { PHONE, SHOTS, collectProblems, launchChromium } from './lib/chromium.mjs';

const DESKTOP = { width: 1280, height: 800 };
const LIVE_MS = 15000; // "appears live": a generous bound for Playwright's own waiting

const COMPLAINT = 'مأمور راهور در میدان شهرداری رشت بی‌دلیل جریمه کرد و خودرو را توقیف کرد و با من بد رفتار کرد.';
const NOTE = 'یادداشت درونی: با فرماندهی راهور رشت هماهنگ شد؛ فیلم دوربین خواسته شد.';
const REPLY = 'شهروند گرامی، پیام شما بررسی شد و توقیف خودرو لغو شد. از گزارش شما سپاسگزاریم.';
const PHONE_TEXT = 'از سرکار خانم کریمی در کلانتری ۱۱ لاهیجان بابت رفتار محترمانه و کمک صمیمانه تشکر می‌کنم.';

const toLatin = (s) => s.replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));

describe('the 197 desk in chromium', () => {
  let srv;
  let browser;
  let officer; // the oversight officer's browser context
  let citizen; // the citizen's phone
  let desk; // the officer's page, logged in, on the desk
  let staff; // oversight1's API session, to check what the screen shows

  before(async () => {
    srv = await startServer({ demo: 'activity' });
    browser = await launchChromium();
    officer = await browser.newContext({ viewport: DESKTOP, locale: 'fa-IR', deviceScaleFactor: 1 });
    officer.setDefaultTimeout(20000);
    citizen = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'fa-IR', deviceScaleFactor: 1 });
    citizen.setDefaultTimeout(20000);
    staff = await srv.login('oversight1', DEMO_PASSWORD);
    desk = await openDesk();
  });
  after(async () => {
    await browser?.close();
    if (!srv) return;
    await srv.stop();
    removeDir(srv.dir);
  });

  // A page with its own errors collected (failed requests' 4xx console lines aside).
  async function newPage(context, path) {
    const page = await context.newPage();
    collectProblems(page);
    await page.goto(srv.url + path);
    return page;
  }

  // oversight1 logs in on the console and goes to the desk with its key (F4).
  async function openDesk() {
    const page = await newPage(officer, '/');
    await page.locator('#login-user').fill('oversight1');
    await page.locator('#login-pass').fill(DEMO_PASSWORD);
    await page.locator('#login-pass').press('Enter');
    await page.locator('#nav a[data-id="desk"]').waitFor();
    await page.keyboard.press('F4');
    await page.locator('table.inbox tbody tr[data-id]').first().waitFor();
    await page.locator('#live[data-status="live"]').waitFor();
    return page;
  }

  const row = (page, numberFa) => page.locator('table.inbox tbody tr[data-id]', { has: page.getByRole('button', { name: numberFa, exact: true }) });
  const contactPane = (page) => page.locator('section.contact');

  test('a citizen writes; the desk sees it live, works it through, and the citizen reads the reply and not the note', async () => {
    await desk.evaluate(() => { window.notReloaded = true; });

    // The citizen, on a phone, through the public form.
    const form = await newPage(citizen, '/197/');
    await form.waitForFunction(() => !document.getElementById('category').disabled);
    await form.getByLabel('متن پیام').fill(COMPLAINT);
    await form.getByRole('button', { name: 'فرستادن پیام' }).click();
    await form.locator('#receipt').waitFor({ state: 'visible' });
    const code = (await form.locator('#receipt-code').textContent()).trim();
    const numberFa = (await form.locator('#receipt-number').textContent()).trim();
    assert.match(numberFa, /^[۰-۹]{4}-[۰-۹]{6,}$/);

    // The officer's inbox shows it without a reload: new, received, unconfirmed.
    const tr = row(desk, numberFa);
    await tr.waitFor({ timeout: LIVE_MS });
    assert.equal(await desk.evaluate(() => window.notReloaded), true, 'the page was not reloaded');
    assert.equal(await tr.getAttribute('data-status'), 'received');
    assert.equal(await tr.locator('td').nth(1).textContent(), 'شکایت', 'the kind in Persian');
    assert.equal(await tr.locator('.dot').count(), 1, 'marked as not yet confirmed');
    assert.equal(await desk.locator('table.inbox tbody tr[data-id]').first().getAttribute('data-id'), await tr.getAttribute('data-id'), 'newest first');
    const id = Number(await tr.getAttribute('data-id'));

    // It opens with the keyboard: Tab to the number, Enter.
    await tr.getByRole('button', { name: numberFa }).focus();
    await desk.keyboard.press('Enter');
    const pane = contactPane(desk);
    await pane.locator('h2', { hasText: numberFa }).waitFor();
    assert.match(await pane.locator('.body').textContent(), /توقیف کرد/);
    assert.equal(await pane.locator('.contact-head .status').textContent(), 'دریافت شده');
    // Every control on the screen has a label bound to it.
    const unlabelled = await desk.$$eval('.desk input, .desk select, .desk textarea', (els) =>
      els.filter((e) => e.labels.length === 0).map((e) => e.name || e.id));
    assert.deepEqual(unlabelled, []);
    // Dates are Jalali in Persian digits.
    const facts = await pane.locator('dl.facts').innerText();
    assert.match(facts, /۱۴۰[۰-۹]\/[۰-۹]{2}\/[۰-۹]{2}/, facts);
    assert.ok(!/[0-9]/.test(facts), `no Latin digits in ${facts}`);

    // The classifier's suggestion with its reasons, confirmed as it is.
    const detail = (await srv.api('GET', `/api/v1/feedback/${id}`, { token: staff.token })).json;
    assert.equal(detail.classification.found, true);
    const suggestion = pane.locator('.suggestion');
    assert.match(await suggestion.innerText(), /پیشنهاد سامانه: شکایت/);
    const reasons = await suggestion.locator('ul.reasons li q').allTextContents();
    assert.deepEqual(reasons, detail.classification.reasons.map((r) => r.term), 'every reason, strongest first');
    assert.equal(await pane.locator('.classify .status').textContent(), 'تأیید نشده');
    await pane.getByRole('button', { name: 'تأیید همین طبقه‌بندی' }).click();
    await pane.locator('.classify .status', { hasText: 'تأیید شده' }).waitFor();
    await pane.locator('.timeline li[data-kind="classified"]').waitFor();
    await tr.locator('.dot').waitFor({ state: 'detached' });

    // Assigned to supervisor1, offered by name from GET /api/v1/feedback/assignees.
    const assignee = pane.getByLabel('سرپرست (شناسهٔ کاربر)');
    await pane.locator('datalist option', { hasText: 'supervisor1' }).waitFor({ state: 'attached' });
    const options = await pane.locator('datalist option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent })));
    const supervisor1 = options.find((o) => o.label.includes('supervisor1'));
    assert.ok(supervisor1, `supervisor1 is offered by name: ${JSON.stringify(options)}`);
    await assignee.fill(supervisor1.value);
    await assignee.press('Enter');
    await pane.locator('.contact-head .status', { hasText: 'ارجاع شده' }).waitFor();
    assert.match(await pane.locator('.timeline li[data-kind="assigned"]').innerText(), /supervisor1/);
    await desk.locator(`table.inbox tr[data-id="${id}"][data-status="assigned"]`).waitFor({ timeout: LIVE_MS });

    // Under review.
    await pane.getByRole('button', { name: 'شروع بررسی' }).click();
    await pane.locator('.contact-head .status', { hasText: 'در حال بررسی' }).waitFor();
    assert.equal(await pane.getByRole('button', { name: 'پاسخ داده شد' }).isDisabled(), true, 'no answer before a reply for the citizen');

    // An internal note (the default), then a reply for the citizen, chosen explicitly.
    await desk.keyboard.press('Alt+KeyR');
    assert.equal(await desk.evaluate(() => document.activeElement.name), 'text', 'Alt+R goes to the reply box');
    assert.equal(await pane.getByRole('radio', { name: /یادداشت درونی/ }).isChecked(), true, 'internal by default');
    await desk.keyboard.type(NOTE);
    await pane.getByRole('button', { name: 'ثبت یادداشت درونی' }).click();
    await pane.locator('.timeline li[data-kind="note"]', { hasText: NOTE }).waitFor();
    await pane.getByRole('radio', { name: /پاسخ به شهروند/ }).check();
    await pane.locator('form.reply textarea').fill(REPLY);
    await pane.locator('form.reply textarea').press('Control+Enter');
    await pane.locator('.timeline li[data-kind="reply"]', { hasText: REPLY }).waitFor();
    assert.equal(await pane.locator('.timeline li[data-kind="note"] .line-kind').textContent(), 'یادداشت درونی');
    assert.equal(await pane.locator('.timeline li[data-kind="reply"] .line-kind').textContent(), 'پاسخ به شهروند');
    assert.equal(await pane.getByRole('radio', { name: /یادداشت درونی/ }).isChecked(), true, 'back to internal after sending');

    // Answered.
    await pane.getByRole('button', { name: 'پاسخ داده شد' }).click();
    await pane.locator('.contact-head .status', { hasText: 'پاسخ داده شده' }).waitFor();
    await desk.locator(`table.inbox tr[data-id="${id}"][data-status="answered"]`).waitFor({ timeout: LIVE_MS });
    const after = (await srv.api('GET', `/api/v1/feedback/${id}`, { token: staff.token })).json;
    assert.equal(after.feedback.status, 'answered');
    assert.equal(after.feedback.classification_confirmed, true);
    assert.equal(after.feedback.assigned_to, Number(supervisor1.value));
    assert.deepEqual(after.timeline.map((l) => l.kind), ['received', 'classified', 'assigned', 'status', 'note', 'reply', 'status']);
    // The pane draws itself again when the live event of the status change arrives (just
    // after the inbox row changed), which can take the line away under the scroll.
    for (let i = 0; ; i++) {
      try {
        await pane.locator('.timeline li[data-kind="reply"]').scrollIntoViewIfNeeded();
        break;
      } catch (err) {
        if (i === 4 || !/not attached/.test(err.message)) throw err;
      }
    }
    await desk.screenshot({ path: join(SHOTS, 'desk-contact.png') });

    // The citizen's tracking page: the reply, not the note.
    const track = await newPage(citizen, '/197/track.html');
    await track.getByLabel('کد پیگیری ۱۲ رقمی').fill(code);
    await track.getByRole('button', { name: 'نمایش وضعیت' }).click();
    await track.locator('#result').waitFor({ state: 'visible' });
    assert.deepEqual(await track.locator('#r-replies li p').allTextContents(), [REPLY]);
    const page = await track.locator('body').innerText();
    assert.ok(!page.includes(NOTE), 'the internal note is not on the tracking page');
    assert.deepEqual([...desk.problems, ...form.problems, ...track.problems], []);
  });

  async function openByNumber(page, numberFa) {
    const box = page.getByLabel(/شمارهٔ پیام/);
    await box.fill(toLatin(numberFa));
    const button = page.locator('table.inbox').getByRole('button', { name: numberFa, exact: true });
    const more = page.getByRole('button', { name: 'پیام‌های بیشتر' });
    // not on the pages loaded: follow "more" until it is (the box narrows only loaded rows)
    while (!(await button.count()) && (await more.isVisible())) {
      await more.click();
      await page.waitForFunction(() => !document.querySelector('.desk button.more').disabled);
    }
    await button.click();
    await contactPane(page).locator('h2', { hasText: numberFa }).waitFor();
    await box.fill('');
  }

  test('overdue demo contacts are flagged red with how late they are', async () => {
    const overdue = await srv.api('GET', '/api/v1/feedback?overdue=true&limit=100', { token: staff.token });
    assert.ok(overdue.json.items.length > 0, 'the demo has overdue contacts');
    await desk.keyboard.press('Escape');
    await desk.getByLabel('فقط دیرکردها').check();
    const rows = desk.locator('table.inbox tbody tr[data-id]');
    await desk.waitForFunction((n) => document.querySelectorAll('table.inbox tbody tr[data-id]').length === n, overdue.json.items.length);
    const flags = await rows.evaluateAll((trs) => trs.map((tr) => ({
      overdue: tr.dataset.overdue, flag: tr.querySelector('.overdue.flag')?.textContent, colour: tr.querySelector('.overdue.flag') && getComputedStyle(tr.querySelector('.overdue.flag')).backgroundColor,
    })));
    for (const f of flags) {
      assert.equal(f.overdue, 'true');
      assert.match(f.flag, /^دیرکرد [۰-۹٬]+ (روز|ساعت|دقیقه)/, f.flag);
      assert.equal(f.colour, 'rgb(179, 20, 27)', 'red, as overdue is everywhere in the console');
    }
    // How late: the first one's days agree with its deadline.
    const first = overdue.json.items[0];
    const days = Math.floor((Date.now() - Date.parse(first.due_at)) / 86400000);
    if (days > 0) assert.match(flags[0].flag, new RegExp(`^دیرکرد ${days.toLocaleString('fa-IR')} روز`));
    await desk.getByLabel('فقط دیرکردها').uncheck();
    await desk.locator('#desk-f-overdue:not(:checked)').waitFor();
    // The open ones, with the overdue among them, for the screenshot.
    await desk.locator('.filters select[name="status"]').selectOption('open');
    await desk.locator('table.inbox:not([aria-busy])').waitFor(); // the open ones, not the list before
    await desk.locator('table.inbox tbody tr[data-id]').first().waitFor();
    await openByNumber(desk, first.number);
    await contactPane(desk).locator('.contact-head .overdue.flag').waitFor();
    const late = desk.locator(`table.inbox tr[data-id="${first.id}"]`);
    assert.equal(await late.getAttribute('data-overdue'), 'true', 'flagged in the full list too');
    await late.scrollIntoViewIfNeeded();
    await desk.screenshot({ path: join(SHOTS, 'desk-inbox.png') });
    assert.deepEqual(desk.problems, []);
  });

  test('a phone contact is taken with the live classification preview and its code shown once', async () => {
    await desk.keyboard.press('Alt+KeyN');
    const pane = desk.locator('section.intake');
    await pane.getByRole('heading', { name: 'ثبت پیام تازه' }).waitFor();
    assert.equal(await pane.getByLabel('راه تماس').inputValue(), 'phone');
    await pane.getByLabel('نام شهروند').fill('مریم احمدی');
    await pane.getByLabel('تلفن شهروند').fill('۰۹۱۱ ۱۲۳ ۴۵۶۷');
    await pane.getByLabel('متن پیام').fill(PHONE_TEXT);
    // The preview comes by itself as the officer types (no button).
    await pane.locator('.preview strong[data-kind="praise"]').waitFor();
    assert.ok((await pane.locator('.preview ul.reasons li').count()) > 0, 'with its reasons');
    await pane.getByRole('button', { name: 'پذیرفتن پیشنهاد' }).click();
    assert.equal(await pane.getByLabel('نوع').inputValue(), 'praise');
    assert.notEqual(await pane.getByLabel('موضوع').inputValue(), '');
    await pane.getByLabel('متن پیام').press('Control+Enter');
    const code = pane.locator('output.tracking-code');
    await code.waitFor();
    const shown = (await code.textContent()).trim();
    assert.match(shown, /^[۰-۹]{4}-[۰-۹]{4}-[۰-۹]{4}$/, shown);
    // The citizen can follow it with that code.
    const pub = await srv.api('GET', `/api/v1/public/feedback/${toLatin(shown)}`);
    assert.equal(pub.status, 200, pub.text);
    assert.equal(pub.json.kind, 'praise');
    const list = await srv.api('GET', '/api/v1/feedback?channel=phone&limit=1', { token: staff.token });
    assert.equal(list.json.items[0].number_latin, pub.json.number);
    assert.equal(list.json.items[0].citizen.phone, '09111234567');
    assert.equal(list.json.items[0].classification_confirmed, true, 'the officer chose the kind');
    // Once: opening the contact shows no code anywhere.
    await pane.getByRole('button', { name: 'دیدن پیام' }).click();
    await contactPane(desk).locator('h2', { hasText: pub.json.number_fa }).waitFor();
    assert.ok(!(await desk.locator('body').innerText()).includes(shown), 'the code is not shown again');
    assert.deepEqual(desk.problems, []);
  });

  test('a supervisor sees only the contacts assigned to them, without the desk-only controls', async () => {
    const sup = await srv.login('supervisor1', DEMO_PASSWORD);
    const theirs = await srv.api('GET', '/api/v1/feedback?limit=50', { token: sup.token });
    // a context of its own: the officer's holds oversight1's session cookie
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'fa-IR', deviceScaleFactor: 1 });
    context.setDefaultTimeout(20000);
    try {
      const p = await context.newPage();
      const problems = collectProblems(p);
      await p.goto(`${srv.url}/#desk`);
      await p.locator('#login-user').fill('supervisor1');
      await p.locator('#login-pass').fill(DEMO_PASSWORD);
      await p.locator('#login-pass').press('Enter');
      await p.locator('table.inbox tbody tr[data-id]').first().waitFor();
      const ids = await p.locator('table.inbox tbody tr[data-id]').evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.id)));
      assert.deepEqual(ids, theirs.json.items.map((f) => f.id), 'the server\'s list for supervisor1, in order');
      assert.ok(theirs.json.items.every((f) => f.assigned_to === sup.user.id));
      assert.equal(await p.getByRole('button', { name: /ثبت پیام تازه/ }).isVisible(), false, 'only the desk takes contacts');
      await p.locator('table.inbox tbody tr[data-id] button').first().click();
      const pane = p.locator('section.contact');
      await pane.locator('.timeline').waitFor();
      assert.equal(await pane.getByRole('button', { name: 'اصلاح طبقه‌بندی' }).count(), 0, 'only the desk corrects the classification');
      assert.equal(await pane.getByLabel('سرپرست (شناسهٔ کاربر)').count(), 0, 'only the desk assigns');
      assert.equal(await pane.locator('form.reply').count(), 1, 'the supervisor writes replies and notes');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
