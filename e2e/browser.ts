import fs from 'node:fs';

/**
 * Which Chromium the tests drive: LANTERN_CHROMIUM if set, Playwright's own browser where it
 * was installed (a networked machine), else the system's (Debian's /usr/bin/chromium).
 * `playwrightChromium` is Playwright's `chromium.executablePath`, passed in so that this module
 * does not load Playwright (~85 MB of RSS): the benchmark runner measures its own memory.
 */
export function findChromium(playwrightChromium: () => string): { executablePath?: string } | { missing: string } {
  const explicit = process.env.LANTERN_CHROMIUM;
  if (explicit) return fs.existsSync(explicit) ? { executablePath: explicit } : { missing: `LANTERN_CHROMIUM=${explicit} does not exist` };
  try {
    if (fs.existsSync(playwrightChromium())) return {};
  } catch {
    /* Playwright's browser is not installed */
  }
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']) {
    if (fs.existsSync(p)) return { executablePath: p };
  }
  return { missing: 'no Chromium found: install one with `sudo apt-get install -y chromium` (Debian/Ubuntu) or `npx playwright install chromium` on a networked machine' };
}

/** Flags that keep Chromium quiet on a machine with no network but loopback. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
