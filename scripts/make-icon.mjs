// Renders assets/icon.svg to assets/icon.png (512×512) for electron-builder, with the
// Chromium the e2e tests use. Run by hand after changing the SVG: node scripts/make-icon.mjs
import { chromium } from '@playwright/test';
import fs from 'node:fs';

const svg = fs.readFileSync(new URL('../assets/icon.svg', import.meta.url), 'utf8');
const executablePath = ['/usr/bin/chromium', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p));
const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 512, height: 512 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.locator('svg').screenshot({ path: new URL('../assets/icon.png', import.meta.url).pathname, omitBackground: true });
await browser.close();
console.log('wrote assets/icon.png');
