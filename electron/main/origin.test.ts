import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, isTrustedSender, permissionGranted } from './origin';

describe('the app page and its permissions', () => {
  it('trusts only app://lantern', () => {
    expect(isTrustedSender(`${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isTrustedSender('app://lantern.evil/index.html')).toBe(false);
    expect(isTrustedSender('https://lantern/index.html')).toBe(false);
    expect(isTrustedSender('file:///index.html')).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    expect(isTrustedSender('not a url')).toBe(false);
  });

  it('grants clipboard writes and full screen to our top frame only, nothing else to anyone', () => {
    const top = { requestingUrl: `${APP_ORIGIN}/index.html`, isMainFrame: true };
    expect(permissionGranted('clipboard-sanitized-write', top)).toBe(true);
    expect(permissionGranted('fullscreen', top)).toBe(true);
    for (const p of ['clipboard-read', 'media', 'notifications', 'geolocation', 'openExternal', 'unknown']) expect(permissionGranted(p, top)).toBe(false);
    expect(permissionGranted('clipboard-sanitized-write', { ...top, isMainFrame: false })).toBe(false);
    expect(permissionGranted('clipboard-sanitized-write', { requestingUrl: 'https://example.com/', isMainFrame: true })).toBe(false);
    expect(permissionGranted('fullscreen', { isMainFrame: true })).toBe(false);
  });
});
