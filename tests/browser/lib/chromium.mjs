// chromium.mjs — the browser tests' one way to start a browser: Debian's chromium
// (scripts/install-deps.sh installs it at /usr/bin/chromium), driven by npm
// playwright-core, which never downloads a browser of its own. The flags keep a headless
// run quiet and offline: no sandbox (tests may run as root in CI containers), no GPU, no
// first-run screens, and none of the background fetches (updates, sync) a desktop
// chromium would make.
import { chromium } from 'playwright-core';

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
