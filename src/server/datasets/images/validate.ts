import { mapLimit } from './async.ts';
import { resolveThresholds, type BaseModelSpec, type CountLimits, type ImageKind, type Thresholds } from './config.ts';
import { sharedFaceAnalyzer, type FaceAnalyzer } from './face-analyzer.ts';
import { measureFaceQuality } from './face-quality.ts';
import { inspectImage } from './inspect.ts';
import { buildQualityReport } from './report.ts';
import type { QualityReport } from './report-schema.ts';
import type { ItemFacts } from './schemas.ts';

// Composition: inspect every file (sharp in libuv threads, at most `concurrency` at once),
// hand the decoded pixels to the face worker, then build the report. While the worker
// analyses one photo the next one is decoding, and the event loop only ever runs the
// small per-item JS (pHash, Laplacian on ≤ 512 px) between yields.

export interface ImageInput {
  id: string;
  filename: string;
  bytes: Uint8Array;
}

export interface ValidateImagesOptions {
  kind: ImageKind;
  baseModel: BaseModelSpec;
  limits?: Partial<CountLimits>;
  thresholds?: Partial<Thresholds>;
  /**
   * Face analysis: default on for identity sets (with the process-wide shared analyzer),
   * off otherwise. `false` turns it off; an analyzer instance is used as given and left
   * open for the caller to close.
   */
  faces?: boolean | FaceAnalyzer;
  onProgress?: (done: number, total: number) => void;
}

async function measureItem(input: ImageInput, th: Thresholds, minResolution: number, analyzer: FaceAnalyzer | null): Promise<ItemFacts> {
  const r = await inspectImage(input.bytes, {
    filename: input.filename,
    maxPixels: th.maxPixels,
    timeoutMs: th.decodeTimeoutMs,
    analysisSide: th.analysisSide,
    keepPixels: analyzer !== null,
  });
  const base = { id: input.id, filename: input.filename, bytes: input.bytes.byteLength, faces: null, faceQuality: null, faceError: null };
  if (!r.ok) return { ...base, sha256: r.sha256, facts: null, rejection: r.rejection };
  const item: ItemFacts = { ...base, sha256: r.facts.sha256, facts: r.facts, rejection: null };
  // A photo too small to train on is excluded anyway; do not spend a face pass on it.
  if (!analyzer || !r.pixels || Math.min(r.facts.width, r.facts.height) < minResolution) return item;
  try {
    item.faces = await analyzer.analyze(r.pixels, { timeoutMs: th.faceTimeoutMs });
    const main = item.faces.faces[0];
    if (main) item.faceQuality = await measureFaceQuality(r.pixels, main.box);
  } catch (err) {
    item.faceError = err instanceof Error ? err.message : String(err);
  }
  return item;
}

/** Measures every input; the result is what buildQualityReport needs and what the items table stores. */
export async function collectItemFacts(inputs: readonly ImageInput[], opts: ValidateImagesOptions): Promise<ItemFacts[]> {
  const th = resolveThresholds(opts.thresholds);
  const wantFaces = opts.faces === undefined ? opts.kind === 'identity' : opts.faces !== false;
  const analyzer = !wantFaces ? null : typeof opts.faces === 'object' ? opts.faces : sharedFaceAnalyzer();
  let done = 0;
  return mapLimit(inputs, th.concurrency, async (input) => {
    const item = await measureItem(input, th, opts.baseModel.minResolution, analyzer);
    opts.onProgress?.(++done, inputs.length);
    return item;
  });
}

export async function validateImages(inputs: readonly ImageInput[], opts: ValidateImagesOptions): Promise<QualityReport> {
  const items = await collectItemFacts(inputs, opts);
  return buildQualityReport({ kind: opts.kind, items, baseModel: opts.baseModel, limits: opts.limits, thresholds: opts.thresholds });
}
