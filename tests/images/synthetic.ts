import { readFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';
import { prng } from '../helpers/prng.ts';
export { prng };

// Test inputs built from the two committed public-domain portraits and from sharp. Kept
// deterministic (seeded) so a failure reproduces.

const PD = new URL('../fixtures/public-domain/', import.meta.url);
export const ASTRONAUT = readFileSync(new URL('astronaut.png', PD));
export const GRACE_HOPPER = readFileSync(new URL('grace_hopper.jpg', PD));

// Regions around each face (from the face detector on the originals) with some hair and
// shoulders, so crops still look like portraits.
const FACE_REGION = {
  astronaut: { src: ASTRONAUT, left: 110, top: 10, width: 230, height: 250 },
  grace: { src: GRACE_HOPPER, left: 70, top: 30, width: 380, height: 400 },
} as const;
export type FaceName = keyof typeof FACE_REGION;


/** A smooth random colour field: 3×3 random colours interpolated to the full size. */
export async function background(width: number, height: number, seed: number): Promise<Buffer> {
  const rnd = prng(seed);
  const cells = Buffer.from(Array.from({ length: 27 }, () => Math.floor(40 + rnd() * 180)));
  return sharp(cells, { raw: { width: 3, height: 3, channels: 3 } })
    .resize({ width, height, fit: 'fill', kernel: 'cubic' })
    .png()
    .toBuffer();
}

export interface SceneOptions {
  face?: FaceName;
  seed: number;
  width?: number;
  height?: number;
  /** Scale of the face region (1 = its size in the original photo). */
  scale?: number;
  /** Position of the face region's centre, relative to the canvas. */
  cx?: number;
  cy?: number;
  rotate?: number;
  flop?: boolean;
  modulate?: { brightness?: number; saturation?: number; hue?: number };
}

/** One face pasted on a generated background, as a JPEG. */
export async function faceScene(o: SceneOptions): Promise<Buffer> {
  const width = o.width ?? 1024;
  const height = o.height ?? 1024;
  const region = FACE_REGION[o.face ?? 'astronaut'];
  const scale = o.scale ?? 2;
  let face = sharp(region.src)
    .extract({ left: region.left, top: region.top, width: region.width, height: region.height })
    .resize({ width: Math.round(region.width * scale), height: Math.round(region.height * scale) });
  if (o.flop) face = face.flop();
  if (o.modulate) face = face.modulate(o.modulate);
  let faceBuf = await face.png().toBuffer();
  if (o.rotate) faceBuf = await sharp(faceBuf).rotate(o.rotate, { background: '#808080' }).png().toBuffer();
  const meta = await sharp(faceBuf).metadata();
  const left = Math.round(Math.min(width - meta.width, Math.max(0, (o.cx ?? 0.5) * width - meta.width / 2)));
  const top = Math.round(Math.min(height - meta.height, Math.max(0, (o.cy ?? 0.5) * height - meta.height / 2)));
  return sharp(await background(width, height, o.seed))
    .composite([{ input: faceBuf, left, top }])
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** Twenty distinct photos of the same face (Eileen Collins): varied framing, scale, tilt, mirror and colour. */
export async function identitySet(count = 20): Promise<Buffer[]> {
  const out: Promise<Buffer>[] = [];
  for (let i = 0; i < count; i++) {
    const rnd = prng(1000 + i);
    out.push(
      faceScene({
        seed: 1000 + i,
        scale: 1.7 + rnd() * 0.6,
        cx: 0.3 + rnd() * 0.4,
        cy: 0.35 + rnd() * 0.3,
        rotate: (rnd() - 0.5) * 14,
        flop: i % 3 === 1,
        modulate: { brightness: 0.9 + rnd() * 0.2, saturation: 0.7 + rnd() * 0.6, hue: Math.round((rnd() - 0.5) * 30) },
      }),
    );
  }
  return Promise.all(out);
}

/** A scene without people: smooth sky and some hard-edged shapes. */
export async function landscape(seed: number, width = 1280, height = 853): Promise<Buffer> {
  const rnd = prng(seed);
  const shapes = Array.from({ length: 12 }, () => {
    const x = Math.round(rnd() * width);
    const y = Math.round(height * (0.5 + rnd() * 0.5));
    const r = Math.round(20 + rnd() * 120);
    const c = `rgb(${Math.round(rnd() * 120)},${Math.round(80 + rnd() * 120)},${Math.round(rnd() * 90)})`;
    return `<circle cx="${x}" cy="${y}" r="${r}" fill="${c}"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect y="${height * 0.6}" width="${width}" height="${height * 0.4}" fill="rgb(60,110,40)"/>${shapes}</svg>`;
  return sharp(await background(width, height, seed))
    .composite([{ input: Buffer.from(svg) }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A PNG whose header claims width × height (1-bit grey) with a tiny valid zlib stream. */
export function pixelBombPng(width = 65536, height = 65536): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const firstRows = deflateSync(Buffer.alloc(((width + 7) >> 3) + 1));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', firstRows),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The start of an iPhone-style HEIC file: an ISO-BMFF `ftyp` box with the heic brand. */
export function heicHeader(): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]);
  return Buffer.concat([ftyp, Buffer.alloc(64, 0x11)]);
}

export async function animated(format: 'gif' | 'webp'): Promise<Buffer> {
  const frames = await Promise.all(['#c33', '#3c3', '#33c'].map((c) => sharp({ create: { width: 96, height: 64, channels: 3, background: c } }).png().toBuffer()));
  const joined = sharp(frames, { join: { animated: true } });
  return format === 'gif' ? joined.gif().toBuffer() : joined.webp().toBuffer();
}
