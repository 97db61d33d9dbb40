import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as threads from 'node:worker_threads';
import type { Worker } from 'node:worker_threads';
import { withTimeout } from './async.ts';
import { decodeRgb } from './decode.ts';
import { DEFAULT_THRESHOLDS } from './config.ts';
import { FaceAnalysisSchema, type FaceAnalysis, type RgbImage } from './schemas.ts';

// Runs @vladmandic/human in one worker thread: the model loads once and is reused, the
// CPU-heavy inference never runs on the event loop, and requests are queued (the worker
// answers one at a time). A crashed worker fails its pending requests and is restarted
// on the next call.

export interface FaceAnalyzerOptions {
  /** Faces reported per image at most; a crowd is "many" either way. */
  maxFaces?: number;
  minConfidence?: number;
  timeoutMs?: number;
  /** Where the project's node_modules are (default: process.cwd()). */
  projectRoot?: string;
  /** Override the worker script location (e.g. a copy placed by a bundler). */
  workerPath?: string;
}

export interface FaceWorkerStats {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  tensors: number;
  backendBytes: number;
  loadMs: number | null;
}

export interface FaceAnalyzer {
  /** Raw 8-bit RGB pixels, or encoded image bytes (decoded here with sharp first). */
  analyze(image: RgbImage | Uint8Array, opts?: { timeoutMs?: number }): Promise<FaceAnalysis>;
  stats(): Promise<FaceWorkerStats>;
  close(): Promise<void>;
}

const WORKER_FILE = 'face-worker.mjs';

// `import.meta.url` points at this file under Vitest/tsx; once bundled by Next.js it may
// not, so fall back to the source tree under the working directory.
export function resolveWorkerPath(projectRoot: string): string {
  const candidates: string[] = [];
  // String operations only: see src/server/runtime-paths.ts for why not new URL()/path.join.
  const self = import.meta.url;
  if (self.startsWith('file:')) candidates.push(fileURLToPath(self.slice(0, self.lastIndexOf('/') + 1) + WORKER_FILE));
  candidates.push([projectRoot, 'src', 'server', 'datasets', 'images', WORKER_FILE].join(path.sep));
  const found = candidates.find((p) => existsSync(/* turbopackIgnore: true */ p));
  if (!found) throw new Error(`face worker script not found; looked in: ${candidates.join(', ')}`);
  return found;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export function createFaceAnalyzer(opts: FaceAnalyzerOptions = {}): FaceAnalyzer {
  const projectRoot = opts.projectRoot ?? process.cwd();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_THRESHOLDS.faceTimeoutMs;
  let worker: Worker | null = null;
  let ready: Promise<number> | null = null;
  let loadMs: number | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  function failAll(err: Error): void {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  }

  function start(): Promise<number> {
    // The worker script runs from disk, unbundled. Taking the constructor through Reflect keeps
    // the bundler from treating `new Worker(<dynamic path>)` as a reference to every file.
    const WorkerCtor = Reflect.get(threads, 'Worker') as typeof threads.Worker;
    const w = new WorkerCtor(opts.workerPath ?? resolveWorkerPath(projectRoot), {
      workerData: { projectRoot, maxFaces: opts.maxFaces ?? 8, minConfidence: opts.minConfidence ?? 0.5 },
    });
    worker = w;
    w.unref(); // an idle analyzer must not keep the process alive; ref'd while requests are pending
    ready = new Promise<number>((resolve, reject) => {
      w.on('message', (msg: { type: string; id?: number; message?: string; loadMs?: number }) => {
        if (msg.type === 'ready') {
          loadMs = msg.loadMs ?? null;
          resolve(loadMs ?? 0);
        } else if (msg.type === 'fatal') {
          reject(new Error(`face analyzer failed to load: ${msg.message}`));
          void w.terminate(); // the next request starts a fresh worker
        } else if (msg.id !== undefined) {
          const p = pending.get(msg.id);
          pending.delete(msg.id);
          if (pending.size === 0) w.unref();
          if (msg.type === 'error') p?.reject(new Error(msg.message ?? 'face analysis failed'));
          else p?.resolve(msg);
        }
      });
      w.on('error', (err) => {
        reject(err);
        failAll(err);
      });
      w.on('exit', (code) => {
        if (worker === w) {
          worker = null;
          ready = null;
        }
        const err = new Error(`face worker exited with code ${code}`);
        reject(err);
        failAll(err);
      });
    });
    return ready;
  }

  async function request<T>(msg: Record<string, unknown>, transfer: ArrayBuffer[] = [], ms = timeoutMs): Promise<T> {
    await (ready ?? start());
    const w = worker;
    if (!w) throw new Error('face worker is not running');
    const id = nextId++;
    const answer = new Promise<unknown>((resolve, reject) => pending.set(id, { resolve, reject }));
    w.ref();
    w.postMessage({ ...msg, id }, transfer);
    try {
      return (await withTimeout(answer, ms)) as T;
    } catch (err) {
      pending.delete(id);
      if (pending.size === 0) w.unref();
      throw err;
    }
  }

  return {
    async analyze(image, analyzeOpts) {
      const rgb =
        image instanceof Uint8Array
          ? await decodeRgb(image, { maxPixels: DEFAULT_THRESHOLDS.maxPixels, timeoutMs: DEFAULT_THRESHOLDS.decodeTimeoutMs }, DEFAULT_THRESHOLDS.analysisSide)
          : image;
      // Copy into a buffer we own, so transferring it cannot detach the caller's memory.
      const data = new Uint8Array(rgb.data);
      const msg = await request<{ faces: unknown }>(
        { type: 'analyze', width: rgb.width, height: rgb.height, data },
        [data.buffer],
        analyzeOpts?.timeoutMs,
      );
      return FaceAnalysisSchema.parse({ faces: msg.faces });
    },
    async stats() {
      const s = await request<Omit<FaceWorkerStats, 'loadMs'>>({ type: 'stats' });
      return { heapUsed: s.heapUsed, external: s.external, arrayBuffers: s.arrayBuffers, tensors: s.tensors, backendBytes: s.backendBytes, loadMs };
    },
    async close() {
      const w = worker;
      worker = null;
      ready = null;
      failAll(new Error('face analyzer closed'));
      if (w) await w.terminate();
    },
  };
}

let shared: FaceAnalyzer | null = null;

/**
 * One analyzer per process, created on first use and never closed: the model stays loaded
 * between validations, and the idle worker does not keep the process alive.
 */
export function sharedFaceAnalyzer(): FaceAnalyzer {
  shared ??= createFaceAnalyzer();
  return shared;
}
