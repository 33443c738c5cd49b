/**
 * Who the app's own page is, and what it may ask of Chromium: pure, so the rules are tested
 * without the Electron binary (security.ts applies them).
 */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://lantern`;

/** Is this frame our own app page (not an iframe, not some navigated-to page)? */
export function isTrustedSender(frameUrl: string | undefined): boolean {
  if (!frameUrl) return false;
  try {
    return new URL(frameUrl).origin === APP_ORIGIN || frameUrl.startsWith(`${APP_ORIGIN}/`);
  } catch {
    return false;
  }
}

/**
 * The only permissions granted, and only to our own page's top frame: writing text to the
 * clipboard (the forecast's "Copy summary"; Chromium checks `clipboard-sanitized-write` before
 * navigator.clipboard.writeText) and full screen (presentation mode). Everything else — camera,
 * notifications, clipboard reads, … — is denied, to every frame.
 */
const GRANTED = new Set(['clipboard-sanitized-write', 'fullscreen']);

export function permissionGranted(permission: string, frame: { requestingUrl?: string | undefined; isMainFrame: boolean }): boolean {
  return GRANTED.has(permission) && frame.isMainFrame && isTrustedSender(frame.requestingUrl);
}
