/**
 * The one Content-Security-Policy for the renderer, sent by both hosts (Electron's session
 * and browser mode's HTTP headers); renderer/index.html carries the same policy as a meta tag
 * for the first paint. Only our own origin: no remote script, no eval, no framing.
 * Inline styles are allowed because echarts and React style props set them. Images: our own
 * files and data: URLs only (the charts' SVG exports drawn for the PNG export, and the brand's
 * logo, which is a checked PNG/JPEG data: URL; shared/domain/logo.ts) — no blob:, no remote.
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
