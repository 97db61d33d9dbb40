import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { background, faceScene, prng } from '../../tests/images/synthetic.ts';

// 30 photo-like 12 MP JPEGs (4000 × 3000), made once into a temp folder and reused: one
// of the two public-domain faces, enlarged and placed on a textured background (sensor-like
// noise, so the files weigh and decode like real photos rather than flat gradients).

export const BENCH_COUNT = 30;
export const BENCH_WIDTH = 4000;
export const BENCH_HEIGHT = 3000;
const DIR = path.join(os.tmpdir(), 'lora-studio-bench-validate-images-v1');

async function photo(i: number): Promise<Buffer> {
  const rnd = prng(5000 + i);
  const scene = await faceScene({
    face: i % 5 === 4 ? 'grace' : 'astronaut',
    seed: 5000 + i,
    width: BENCH_WIDTH,
    height: BENCH_HEIGHT,
    scale: i % 5 === 4 ? 4 + rnd() : 6 + rnd() * 2,
    cx: 0.35 + rnd() * 0.3,
    cy: 0.4 + rnd() * 0.2,
    rotate: (rnd() - 0.5) * 10,
    flop: i % 2 === 1,
  });
  const noise = await sharp({ create: { width: BENCH_WIDTH, height: BENCH_HEIGHT, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 24 } } })
    .png({ compressionLevel: 0 })
    .toBuffer();
  return sharp(scene)
    .composite([{ input: noise, blend: 'soft-light' }, { input: await background(BENCH_WIDTH, BENCH_HEIGHT, 9000 + i), blend: 'soft-light' }])
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: i % 7 === 3 ? 6 : 1 })
    .toBuffer();
}

/** Paths of the benchmark photos, generating any that are missing. */
export async function prepareBenchPhotos(log: (s: string) => void = () => {}): Promise<string[]> {
  mkdirSync(DIR, { recursive: true });
  const files = Array.from({ length: BENCH_COUNT }, (_, i) => path.join(DIR, `photo-${String(i).padStart(2, '0')}.jpg`));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) log(`generating ${missing.length} photos of ${BENCH_WIDTH}×${BENCH_HEIGHT} into ${DIR} …`);
  for (const f of missing) writeFileSync(f, await photo(files.indexOf(f)));
  return readdirSync(DIR).filter((f) => f.endsWith('.jpg')).sort().slice(0, BENCH_COUNT).map((f) => path.join(DIR, f));
}
