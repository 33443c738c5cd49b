/**
 * A merchant's logo, as the account manager picks it for presentations and reports: a PNG or
 * JPEG of at most LOGO_MAX_BYTES, carried and stored as a `data:` URL. What the bytes are is
 * decided by their magic numbers, never by a file name or a declared type — an SVG (which can
 * carry script) or anything else is refused. Pure: the renderer checks a file with it before
 * sending, the contract checks the data URL again at the boundary, the core once more on read.
 */
export const LOGO_MAX_BYTES = 512 * 1024;
export const LOGO_TYPES = ['image/png', 'image/jpeg'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];

/** Why a logo is refused; the renderer translates these, the contract spells them out. */
export type LogoProblem = 'empty' | 'too_large' | 'not_png_or_jpeg' | 'type_mismatch' | 'not_data_url' | 'bad_base64';

export const LOGO_PROBLEM_TEXT: Record<LogoProblem, string> = {
  empty: 'the image is empty',
  too_large: `the image is larger than ${LOGO_MAX_BYTES / 1024} KB`,
  not_png_or_jpeg: 'only PNG or JPEG images can be used (the bytes are neither)',
  type_mismatch: 'the declared image type does not match its bytes',
  not_data_url: 'must be a data:image/png;base64,… or data:image/jpeg;base64,… URL',
  bad_base64: 'the base64 data is malformed',
};

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

/** The image type its first bytes say, or null for anything but PNG and JPEG. */
export function sniffLogoType(head: ArrayLike<number>): LogoType | null {
  const starts = (magic: number[]) => head.length >= magic.length && magic.every((b, i) => head[i] === b);
  if (starts(PNG_MAGIC)) return 'image/png';
  if (starts(JPEG_MAGIC)) return 'image/jpeg';
  return null;
}

/** Checks raw bytes (a picked file): its type, or why it is refused. */
export function checkLogoBytes(bytes: ArrayLike<number>): { ok: true; type: LogoType } | { ok: false; problem: LogoProblem } {
  if (bytes.length === 0) return { ok: false, problem: 'empty' };
  if (bytes.length > LOGO_MAX_BYTES) return { ok: false, problem: 'too_large' };
  const type = sniffLogoType(bytes);
  return type ? { ok: true, type } : { ok: false, problem: 'not_png_or_jpeg' };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

export function encodeBase64(bytes: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = i + 1 < bytes.length ? (bytes[i + 1] as number) : 0;
    const c = i + 2 < bytes.length ? (bytes[i + 2] as number) : 0;
    const n = (a << 16) | (b << 8) | c;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? B64[n & 63]! : '=';
  }
  return out;
}

/** Strict base64 (standard alphabet, padded): the bytes, or null. */
export function decodeBase64(s: string): Uint8Array | null {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const n = ((B64_INDEX.get(s[i]!) ?? 0) << 18) | ((B64_INDEX.get(s[i + 1]!) ?? 0) << 12) | ((B64_INDEX.get(s[i + 2]!) ?? 0) << 6) | (B64_INDEX.get(s[i + 3]!) ?? 0);
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** Longest data URL a logo can be: the prefix plus base64 of LOGO_MAX_BYTES. */
export const LOGO_DATA_URL_MAX = 'data:image/jpeg;base64,'.length + Math.ceil(LOGO_MAX_BYTES / 3) * 4;

export interface ParsedLogo {
  type: LogoType;
  bytes: number;
}

/** A logo data URL checked all the way down to its bytes. */
export function parseLogoDataUrl(url: string): { ok: true; logo: ParsedLogo } | { ok: false; problem: LogoProblem } {
  if (url.length > LOGO_DATA_URL_MAX) return { ok: false, problem: 'too_large' };
  const m = /^data:(image\/[a-z0-9.+-]+);base64,(.*)$/s.exec(url);
  if (!m) return { ok: false, problem: 'not_data_url' };
  const declared = m[1]!;
  if (!(LOGO_TYPES as readonly string[]).includes(declared)) return { ok: false, problem: 'not_png_or_jpeg' };
  const bytes = decodeBase64(m[2]!);
  if (!bytes) return { ok: false, problem: 'bad_base64' };
  const checked = checkLogoBytes(bytes);
  if (!checked.ok) return checked;
  if (checked.type !== declared) return { ok: false, problem: 'type_mismatch' };
  return { ok: true, logo: { type: checked.type, bytes: bytes.length } };
}

/** The data URL for checked bytes (the renderer builds it from the sniffed type, not the file's). */
export function logoDataUrl(type: LogoType, bytes: ArrayLike<number>): string {
  return `data:${type};base64,${encodeBase64(bytes)}`;
}
