import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogoDataUrl } from '../contract/branding';
import { checkLogoBytes, decodeBase64, encodeBase64, LOGO_MAX_BYTES, logoDataUrl, parseLogoDataUrl, sniffLogoType } from './logo';

const root = path.resolve(import.meta.dirname, '..', '..');
// The app's own icon: a real PNG from the repository; the SVG beside it is refused.
const png = new Uint8Array(fs.readFileSync(path.join(root, 'assets', 'icon.png')));
const svg = new Uint8Array(fs.readFileSync(path.join(root, 'assets', 'icon.svg')));
// A JPEG starts SOI (FF D8) then a marker (FF E0 for JFIF).
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

describe('logo bytes', () => {
  it('knows PNG and JPEG by their magic numbers and nothing else', () => {
    expect(sniffLogoType(png)).toBe('image/png');
    expect(sniffLogoType(jpeg)).toBe('image/jpeg');
    expect(sniffLogoType(svg)).toBeNull();
    expect(sniffLogoType(new TextEncoder().encode('GIF89a……'))).toBeNull();
    expect(sniffLogoType(png.subarray(0, 7))).toBeNull();
  });

  it('refuses empty, oversized and foreign images with their reason', () => {
    expect(checkLogoBytes(png)).toEqual({ ok: true, type: 'image/png' });
    expect(checkLogoBytes(new Uint8Array(0))).toEqual({ ok: false, problem: 'empty' });
    expect(checkLogoBytes(svg)).toEqual({ ok: false, problem: 'not_png_or_jpeg' });
    const big = new Uint8Array(LOGO_MAX_BYTES + 1);
    big.set(png.subarray(0, 8));
    expect(checkLogoBytes(big)).toEqual({ ok: false, problem: 'too_large' });
    expect(checkLogoBytes(big.subarray(0, LOGO_MAX_BYTES)).ok).toBe(true);
  });

  it('encodes and decodes base64 exactly as Node does, every padding length', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255, 1000]) {
      const bytes = png.subarray(0, n);
      expect(encodeBase64(bytes)).toBe(b64(bytes));
      expect([...(decodeBase64(b64(bytes)) ?? [])]).toEqual([...bytes]);
    }
    expect(decodeBase64('abc')).toBeNull();
    expect(decodeBase64('ab!d')).toBeNull();
    expect(decodeBase64('a=bc')).toBeNull();
  });
});

describe('logo data URLs', () => {
  it('accepts a PNG or JPEG data URL and reports its real size', () => {
    expect(parseLogoDataUrl(logoDataUrl('image/png', png))).toEqual({ ok: true, logo: { type: 'image/png', bytes: png.length } });
    expect(parseLogoDataUrl(`data:image/jpeg;base64,${b64(jpeg)}`)).toEqual({ ok: true, logo: { type: 'image/jpeg', bytes: jpeg.length } });
  });

  it('refuses SVG, mismatched types, bad base64, other schemes and oversized data', () => {
    const problem = (url: string) => {
      const r = parseLogoDataUrl(url);
      return r.ok ? 'ok' : r.problem;
    };
    expect(problem(`data:image/svg+xml;base64,${b64(svg)}`)).toBe('not_png_or_jpeg');
    // An SVG labelled as a PNG is still not one.
    expect(problem(`data:image/png;base64,${b64(svg)}`)).toBe('not_png_or_jpeg');
    expect(problem(`data:image/jpeg;base64,${b64(png)}`)).toBe('type_mismatch');
    expect(problem('data:image/png;base64,iVBO%%%=')).toBe('bad_base64');
    expect(problem(`data:image/png,${b64(png)}`)).toBe('not_data_url');
    expect(problem('https://example.com/logo.png')).toBe('not_data_url');
    expect(problem('javascript:alert(1)')).toBe('not_data_url');
    expect(problem('data:image/png;base64,')).toBe('empty');
    const big = new Uint8Array(LOGO_MAX_BYTES + 3);
    big.set(png.subarray(0, 8));
    expect(problem(logoDataUrl('image/png', big))).toBe('too_large');
  });

  it('the contract schema says why in plain words', () => {
    expect(LogoDataUrl.safeParse(logoDataUrl('image/png', png)).success).toBe(true);
    const r = LogoDataUrl.safeParse(`data:image/svg+xml;base64,${b64(svg)}`);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/only PNG or JPEG/);
    const big = new Uint8Array(LOGO_MAX_BYTES + 3);
    big.set(png.subarray(0, 8));
    expect(LogoDataUrl.safeParse(logoDataUrl('image/png', big)).error?.issues[0]?.message).toMatch(/larger than 512 KB/);
  });
});
