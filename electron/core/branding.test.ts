import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Branding } from '../../shared/contract';
import { LOGO_MAX_BYTES, logoDataUrl } from '../../shared/domain/logo';
import { DEMO_MERCHANT_ID } from '../../shared/domain/demo';
import { logoKey } from './branding';
import type { Core } from './core';
import { openStore } from './store/db';
import { settings } from './store/settings';
import { coresClosedAfterEach, tempDir } from './testing';

const png = fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', 'assets', 'icon.png'));
const svg = fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', 'assets', 'icon.svg'));
const open = coresClosedAfterEach();
async function value(core: Core, method: string, input: unknown): Promise<Branding> {
  const e = await core.call(method, input);
  if (!e.ok) throw new Error(`${method}: ${e.error.code} ${e.error.message}`);
  return e.value as Branding;
}

describe('brand logo per merchant', () => {
  it('stores a PNG in the store, survives a restart, and clears', async () => {
    const dir = tempDir();
    let core = open(dir);
    expect(await value(core, 'branding.get', { merchantId: DEMO_MERCHANT_ID })).toEqual({ merchantId: DEMO_MERCHANT_ID, logo: null });
    const dataUrl = logoDataUrl('image/png', png);
    const set = await value(core, 'branding.setLogo', { merchantId: DEMO_MERCHANT_ID, dataUrl });
    expect(set.logo).toMatchObject({ dataUrl, type: 'image/png', bytes: png.length });
    await core.close();

    core = open(dir);
    expect((await value(core, 'branding.get', { merchantId: DEMO_MERCHANT_ID })).logo?.dataUrl).toBe(dataUrl);
    expect((await value(core, 'branding.clearLogo', { merchantId: DEMO_MERCHANT_ID })).logo).toBeNull();
    expect((await value(core, 'branding.get', { merchantId: DEMO_MERCHANT_ID })).logo).toBeNull();
  });

  it('refuses SVG, oversized and unknown merchants at the boundary and changes nothing', async () => {
    const core = open();
    const good = logoDataUrl('image/png', png);
    await value(core, 'branding.setLogo', { merchantId: DEMO_MERCHANT_ID, dataUrl: good });

    const svgTry = await core.call('branding.setLogo', { merchantId: DEMO_MERCHANT_ID, dataUrl: `data:image/svg+xml;base64,${svg.toString('base64')}` });
    expect(svgTry.ok).toBe(false);
    if (!svgTry.ok) {
      expect(svgTry.error.code).toBe('invalid_input');
      expect(svgTry.error.issues?.[0]).toMatchObject({ path: 'dataUrl', message: expect.stringMatching(/only PNG or JPEG/) });
    }
    const big = Buffer.alloc(LOGO_MAX_BYTES + 1);
    png.copy(big, 0, 0, 8);
    const bigTry = await core.call('branding.setLogo', { merchantId: DEMO_MERCHANT_ID, dataUrl: logoDataUrl('image/png', big) });
    expect(!bigTry.ok && bigTry.error.message).toMatch(/larger than 512 KB/);
    const who = await core.call('branding.setLogo', { merchantId: 'mc_nobody', dataUrl: good });
    expect(!who.ok && who.error.code).toBe('not_found');
    const extra = await core.call('branding.setLogo', { merchantId: DEMO_MERCHANT_ID, dataUrl: good, url: 'https://x' });
    expect(!extra.ok && extra.error.code).toBe('invalid_input');

    expect((await value(core, 'branding.get', { merchantId: DEMO_MERCHANT_ID })).logo?.dataUrl).toBe(good);
  });

  it('never hands out a stored value that is no longer a PNG or JPEG data URL', async () => {
    const dir = tempDir();
    await open(dir).close();
    // Someone edits the SQLite file by hand: an SVG where the logo was.
    const db = openStore(dir);
    settings(db).set(logoKey(DEMO_MERCHANT_ID), JSON.stringify({ dataUrl: `data:image/png;base64,${svg.toString('base64')}`, updatedAt: 'x' }));
    db.close();
    db.releaseLock?.();
    const core = open(dir);
    expect((await value(core, 'branding.get', { merchantId: DEMO_MERCHANT_ID })).logo).toBeNull();
  });
});
