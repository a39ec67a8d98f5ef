// chromium.mjs — the browser tests' one way to start a browser: Debian's chromium
// (scripts/install-deps.sh installs it at /usr/bin/chromium), driven by npm
// playwright-core, which never downloads a browser of its own. The flags keep a headless
// run quiet and offline: no sandbox (tests may run as root in CI containers), no GPU, no
// first-run screens, and none of the background fetches (updates, sync) a desktop
// chromium would make.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { SOURCE_DIR } from '../../api/lib/paths.mjs';

// Where every browser test saves its screenshots (git-ignored). `make screenshots`
// copies the current ones into docs/screenshots/, which the README shows; tests never
// write into the source tree.
export const SHOTS = join(SOURCE_DIR, 'test-output', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// A phone the citizens' pages must work on.
export const PHONE = { width: 360, height: 740 };

// The browser; close() it in the test file's after().
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

// Collects a page's own errors (uncaught exceptions, console errors) in page.problems,
// for a test to assert empty at its end. Console lines about failed requests matching
// `expected` (by default any 4xx: a refused request the page handles) are not problems.
export function collectProblems(page, expected = /status of 4\d\d/) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.problems = problems;
  return problems;
}
