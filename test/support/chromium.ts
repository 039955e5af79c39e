import { existsSync } from 'node:fs';

import { chromium, type Browser } from 'playwright-core';

// Chromium from the distribution (apt-get install chromium), driven by playwright-core: never a downloaded browser.
// Without it the browser tests are skipped locally and fail in CI, where it is always installed.

export const CHROMIUM = '/usr/bin/chromium';
export const SKIP_BROWSER = !existsSync(CHROMIUM) && !process.env.CI;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}
