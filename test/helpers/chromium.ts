import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium package puts the browser here; CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The one line a missing browser fails with. */
export const CHROMIUM_MISSING = 'chromium not found: install Debian\'s chromium package (apt-get install -y chromium)';

/** Whether the browser binary is there (tests report CHROMIUM_MISSING once when it is not). */
export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** The error a missing browser fails with: the one line, no stack trace to scroll past. */
export function chromiumMissingError(): Error {
  const error = new Error(CHROMIUM_MISSING);
  error.stack = CHROMIUM_MISSING;
  return error;
}

/**
 * Launch the system Chromium headless through playwright-core (which downloads no browser of
 * its own). Flags keep it quiet and offline: no sandbox (containers and root), no GPU, no QUIC,
 * no first-run, background, component-update or sync traffic.
 * @example const browser = await launchChromium(); const page = await browser.newPage();
 */
export async function launchChromium(): Promise<Browser> {
  if (!chromiumInstalled()) throw chromiumMissingError();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
