import { app, session, shell, type WebContents } from 'electron';
import { CSP } from '../core/csp';
import { isTrustedSender, permissionGranted } from './origin';

export { APP_ORIGIN, APP_SCHEME, isTrustedSender } from './origin';

/** External links open in the system browser, and only https ones. */
function openExternalChecked(url: string): void {
  try {
    if (new URL(url).protocol === 'https:') void shell.openExternal(url);
  } catch {
    /* not a URL: ignored */
  }
}

/** Electron's security checklist, applied to every web contents the app creates. */
export function hardenApp(): void {
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedSender(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openExternalChecked(url);
      return { action: 'deny' };
    });
  });
}

export function hardenSession(): void {
  const ses = session.defaultSession;
  // Denied unless origin.ts grants it (clipboard writes and full screen, our own top frame only).
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => callback(permissionGranted(permission, details)));
  ses.setPermissionCheckHandler((_wc, permission, _origin, details) => permissionGranted(permission, details));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}
