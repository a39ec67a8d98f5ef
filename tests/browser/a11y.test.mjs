// a11y.test.mjs — every main screen checked against WCAG 2 A and AA by axe-core (npm),
// run inside Debian's chromium: labels and names, roles, focusable order, landmarks, and
// colour contrast computed from the rendered page. The screens are those a person
// works in: the log-in, call-taking, dispatch with the map, the 197 desk with a contact
// open, and the citizens' form and tracking page on a phone.
//
// axe is injected into the page; the context bypasses the page's Content-Security-Policy
// for that one script (hamyar's CSP rightly refuses scripts that are not its own).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';

import { DEMO_PASSWORD, removeDir, startServer } from '../api/lib/server.mjs';
import { PHONE, launchChromium } from './lib/chromium.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1280, height: 800 };

let srv;
let browser;

before(async () => {
  srv = await startServer({ demo: 'activity' });
  browser = await launchChromium();
});
after(async () => {
  if (browser) await browser.close();
  if (!srv) return;
  await srv.stop();
  removeDir(srv.dir);
});

// The violations axe finds on the page as it is now, one line each.
async function violations(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

async function openAs(username, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, locale: 'fa-IR', bypassCSP: true });
  context.setDefaultTimeout(20000);
  const page = await context.newPage();
  await page.goto(`${srv.url}/`);
  if (username) {
    await page.locator('#login-user').fill(username);
    await page.locator('#login-pass').fill(DEMO_PASSWORD);
    await page.locator('#login-pass').press('Enter');
    await page.locator('#live[data-status="live"]').waitFor();
  }
  return { context, page };
}

describe('accessibility (axe-core, WCAG 2.1 A and AA)', () => {
  test('the log-in', async () => {
    const { context, page } = await openAs(null);
    await page.locator('dialog#login[open]').waitFor();
    assert.deepEqual(await violations(page), []);
    await context.close();
  });

  test('call-taking', async () => {
    const { context, page } = await openAs('calltaker1');
    await page.locator('#screen form').first().waitFor();
    assert.deepEqual(await violations(page), []);
    await context.close();
  });

  test('dispatch with the map, an incident selected', async () => {
    const { context, page } = await openAs('dispatcher1');
    const row = page.locator('.dsp-inc tr[data-id]').first();
    await row.waitFor();
    await row.click();
    await page.locator('#dsp-detail-title').waitFor();
    assert.deepEqual(await violations(page), []);
    await context.close();
  });

  test('the 197 desk, a contact open', async () => {
    const { context, page } = await openAs('oversight1');
    const open = page.locator('table.inbox tr[data-id] button').first();
    await open.waitFor();
    await open.click();
    await page.locator('.timeline li').first().waitFor();
    assert.deepEqual(await violations(page), []);
    await context.close();
  });

  test('the citizens\' form and tracking page, on a phone', async () => {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, locale: 'fa-IR', bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${srv.url}/197/`);
    await page.waitForFunction(() => !document.getElementById('category').disabled);
    assert.deepEqual(await violations(page), []);
    await page.goto(`${srv.url}/197/track.html`);
    assert.deepEqual(await violations(page), []);
    await context.close();
  });
});
