import { existsSync } from 'node:fs';

/** The system Chromium: CHROME_PATH, else Debian's /usr/bin/chromium. Never downloaded. */
export function findChrome() {
  for (const p of [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (p && existsSync(p)) return p;
  }
  return null;
}
