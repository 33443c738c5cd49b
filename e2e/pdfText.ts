import { inflateSync } from 'node:zlib';

/**
 * The text of a PDF as Chromium (Skia) writes it, for checking a printed report says what it
 * should. Not a general PDF reader: it reads uncompressed or Flate streams, fonts' ToUnicode
 * CMaps and the Tf / Tj / TJ / ' / " operators, which is all Skia uses for text. No package of
 * the project reads PDFs (poppler's pdftotext is not installed either), hence this.
 */
export function pdfText(pdf: Buffer): string {
  const src = pdf.toString('latin1');
  const objects = new Map<number, { dict: string; stream: Buffer | null }>();
  const objRe = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = objRe.exec(src))) {
    const start = m.index + m[0].length;
    const end = src.indexOf('endobj', start);
    if (end < 0) break;
    const body = src.slice(start, end);
    const si = body.search(/stream\r?\n/);
    if (si < 0) {
      objects.set(Number(m[1]), { dict: body, stream: null });
    } else {
      const dict = body.slice(0, si);
      const dataStart = start + si + (body[si + 6] === '\r' ? 8 : 7);
      const len = /\/Length (\d+)(?! 0 R)/.exec(dict);
      const dataEnd = len ? dataStart + Number(len[1]) : start + body.lastIndexOf('endstream');
      objects.set(Number(m[1]), { dict, stream: pdf.subarray(dataStart, dataEnd) });
    }
    objRe.lastIndex = end;
  }
  const data = (n: number): string => {
    const o = objects.get(n);
    if (!o?.stream) return '';
    const raw = /\/FlateDecode/.test(o.dict) ? inflateSync(o.stream) : o.stream;
    return raw.toString('latin1');
  };
  const hexToUtf16 = (hex: string): string => {
    let s = '';
    for (let i = 0; i + 4 <= hex.length; i += 4) s += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
    return s;
  };
  const cmaps = new Map<number, { map: Map<number, string>; bytes: number }>();
  const cmapOf = (fontObj: number) => {
    const cached = cmaps.get(fontObj);
    if (cached) return cached;
    const dict = objects.get(fontObj)?.dict ?? '';
    const ref = /\/ToUnicode (\d+) 0 R/.exec(dict);
    const map = new Map<number, string>();
    let bytes = /\/Type0/.test(dict) ? 2 : 1;
    if (ref) {
      const text = data(Number(ref[1]));
      for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
        for (const p of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
          bytes = (p[1] ?? '').length / 2;
          map.set(parseInt(p[1] ?? '0', 16), hexToUtf16(p[2] ?? ''));
        }
      }
      for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
        for (const p of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g)) {
          bytes = (p[1] ?? '').length / 2;
          const lo = parseInt(p[1] ?? '0', 16);
          const hi = parseInt(p[2] ?? '0', 16);
          const dst = p[3] ?? '';
          if (dst.startsWith('[')) {
            [...dst.matchAll(/<([0-9a-fA-F]+)>/g)].forEach((d, i) => map.set(lo + i, hexToUtf16(d[1] ?? '')));
          } else {
            const base = hexToUtf16(dst.slice(1, -1));
            for (let c = lo; c <= hi; c++) map.set(c, base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + (c - lo)));
          }
        }
      }
    }
    const out = { map, bytes };
    cmaps.set(fontObj, out);
    return out;
  };
  const decode = (codes: Buffer, fontObj: number | null): string => {
    if (fontObj === null) return codes.toString('latin1');
    const { map, bytes } = cmapOf(fontObj);
    let s = '';
    for (let i = 0; i + bytes <= codes.length; i += bytes) {
      const c = bytes === 2 ? codes.readUInt16BE(i) : codes[i]!;
      s += map.get(c) ?? (map.size === 0 ? String.fromCharCode(c) : '');
    }
    return s;
  };
  const literal = (s: string): Buffer => {
    const out: number[] = [];
    for (let i = 0; i < s.length; i++) {
      const ch = s[i]!;
      if (ch !== '\\') {
        out.push(ch.charCodeAt(0));
        continue;
      }
      const n = s[++i] ?? '';
      const esc: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
      if (n in esc) out.push(esc[n]!);
      else if (/[0-7]/.test(n)) {
        const oct = /^[0-7]{1,3}/.exec(s.slice(i))![0];
        out.push(parseInt(oct, 8));
        i += oct.length - 1;
      }
    }
    return Buffer.from(out);
  };

  const pages: string[] = [];
  for (const [, o] of objects) {
    if (!/\/Type \/Page\b/.test(o.dict)) continue;
    const fonts = new Map<string, number>();
    const fontBlock = /\/Font <<([\s\S]*?)>>/.exec(o.dict);
    for (const f of (fontBlock?.[1] ?? '').matchAll(/\/(\S+) (\d+) 0 R/g)) fonts.set(f[1] ?? '', Number(f[2]));
    const contents = /\/Contents (?:(\d+) 0 R|\[([^\]]*)\])/.exec(o.dict);
    const refs = contents?.[1] ? [Number(contents[1])] : [...(contents?.[2] ?? '').matchAll(/(\d+) 0 R/g)].map((r) => Number(r[1]));
    let text = '';
    for (const ref of refs) {
      const content = data(ref);
      let font: number | null = null;
      const tokens = /\/([^\s/<>[\]()]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F\s]*)>|\(((?:\\.|[^\\)])*)\)|(Tj|TJ|'|"|T\*|Td|TD|ET)\b/g;
      let tk: RegExpExecArray | null;
      while ((tk = tokens.exec(content))) {
        if (tk[1] !== undefined) font = fonts.get(tk[1]) ?? null;
        else if (tk[2] !== undefined) text += decode(Buffer.from(tk[2].replace(/\s/g, ''), 'hex'), font);
        else if (tk[3] !== undefined) text += decode(literal(tk[3]), font);
        else if (tk[4] === 'ET' || tk[4] === 'T*' || tk[4] === 'Td' || tk[4] === 'TD') text += ' ';
      }
    }
    pages.push(text);
  }
  // NFKC: ligatures (ﬀ) and the CJK radicals some fonts map glyphs to (⼭) read as the letters they are.
  return pages.join('\n').normalize('NFKC');
}
