import { crc32, deflateSync } from 'node:zlib';

/**
 * A real PNG made here (no image package in the project): RGB, 8 bits, one filter byte per
 * row, IDAT deflated, every chunk with its CRC — what Chromium decodes and what the logo
 * check knows by its signature. `pixel` paints it.
 */
export function makePng(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      raw.set([r, g, b], row + 1 + x * 3);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A wide brand logo: a green band with a white disc, easy to tell from the orange monogram. */
export const brandLogoPng = () =>
  makePng(180, 60, (x, y) => ((x - 30) ** 2 + (y - 30) ** 2 < 400 ? [255, 255, 255] : x > 60 && y > 24 && y < 36 ? [250, 250, 250] : [20, 120, 80]));
