// Real, decodable training images (made with sharp) zipped with their captions, for the tests
// that run the real cpu-reference backend.
import sharp from 'sharp';
import { rawZip } from './zip.ts';

const COLOURS = [
  { r: 200, g: 40, b: 40 },
  { r: 40, g: 160, b: 60 },
  { r: 30, g: 60, b: 200 },
  { r: 220, g: 200, b: 40 },
];

export async function pngZip(count = 4): Promise<Buffer> {
  const entries = [];
  for (let i = 0; i < count; i++) {
    const background = COLOURS[i % COLOURS.length]!;
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background } })
      .composite([{ input: Buffer.from(`<svg width="64" height="64"><circle cx="${16 + i * 8}" cy="32" r="12" fill="white"/></svg>`) }])
      .png()
      .toBuffer();
    entries.push({ name: `img_${i}.png`, data: png }, { name: `img_${i}.txt`, data: `tst, shape ${i}` });
  }
  return rawZip(entries);
}
