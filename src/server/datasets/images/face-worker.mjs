// Face analysis worker (worker_threads). Plain JS so it loads the same way under Vitest,
// tsx and `next start`. It loads @vladmandic/human once (WASM backend, models from the
// package's own folder) and answers `analyze` messages one at a time.
//
// Rules: nothing is downloaded. `fetch` is replaced inside this worker by a reader of
// file:// URLs under the models folder; any other URL is refused.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { projectRoot, maxFaces, minConfidence } = workerData;

// human's package.json `exports` map is malformed (its keys lack "./"), so neither its
// package.json nor the node-wasm build can be resolved by name. Find the package folder
// on the normal node_modules search path instead, from the project root first.
function findPackageDir(name) {
  const bases = [path.join(projectRoot, 'package.json'), fileURLToPath(import.meta.url)];
  for (const base of bases) {
    for (const dir of createRequire(base).resolve.paths(name) ?? []) {
      const candidate = path.join(dir, name);
      if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    }
  }
  throw new Error(`cannot find ${name} in node_modules (from ${projectRoot})`);
}

const humanDir = findPackageDir('@vladmandic/human');
const modelsDir = path.join(humanDir, 'models');
const humanEntry = path.join(humanDir, 'dist', 'human.node-wasm.js');
const humanRequire = createRequire(humanEntry);
// The WASM loader reads binaries with fs in Node, so a plain directory path (with the
// trailing separator it concatenates onto) is what it accepts.
const wasmDir = path.dirname(humanRequire.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;

globalThis.fetch = async (input) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!url.startsWith('file://')) throw new Error(`network access is disabled in the face worker: ${url}`);
  const file = fileURLToPath(url);
  if (!file.startsWith(modelsDir + path.sep)) throw new Error(`refusing to read outside the models folder: ${file}`);
  const body = await readFile(file);
  const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  return new Response(body, { status: 200, headers: { 'content-type': type } });
};

const { Human } = humanRequire(humanEntry);
const human = new Human({
  backend: 'wasm',
  wasmPath: wasmDir,
  modelBasePath: pathToFileURL(modelsDir).href + '/',
  debug: false,
  async: true,
  warmup: 'none',
  cacheSensitivity: 0, // still photos: never reuse the previous frame's results
  skipAllowed: false,
  filter: { enabled: false },
  face: {
    enabled: true,
    detector: { rotation: true, maxDetected: maxFaces, minConfidence, skipFrames: 0, return: false },
    mesh: { enabled: true }, // needed for yaw/pitch/roll
    description: { enabled: true, skipFrames: 0 }, // the identity embedding
    iris: { enabled: false },
    emotion: { enabled: false },
    antispoof: { enabled: false },
    liveness: { enabled: false },
    attention: { enabled: false },
  },
  body: { enabled: false },
  hand: { enabled: false },
  object: { enabled: false },
  gesture: { enabled: false },
  segmentation: { enabled: false },
});

const DEG = 180 / Math.PI;
const clamp01 = (v) => Math.min(1, Math.max(0, v));

function unit(vec) {
  let n = 0;
  for (const v of vec) n += v * v;
  n = Math.sqrt(n) || 1;
  return Array.from(vec, (v) => v / n);
}

function toFace(f) {
  const [bx, by, bw, bh] = f.boxRaw;
  const x = clamp01(bx);
  const y = clamp01(by);
  const width = clamp01(bx + bw) - x;
  const height = clamp01(by + bh) - y;
  const angle = f.rotation?.angle ?? { yaw: 0, pitch: 0, roll: 0 };
  return {
    box: { x, y, width, height },
    sizeRatio: Math.sqrt(Math.max(0, width * height)),
    score: clamp01(f.score ?? f.boxScore ?? 0),
    // human's yaw is positive when the face turns to the image's left; its pitch is
    // positive when the face tilts down, so flip it to read "up is positive".
    yaw: angle.yaw * DEG,
    pitch: -angle.pitch * DEG,
    roll: angle.roll * DEG,
    embedding: f.embedding && f.embedding.length > 0 ? unit(f.embedding) : [],
  };
}

async function analyze({ width, height, data }) {
  const tensor = human.tf.tensor3d(data, [height, width, 3], 'int32');
  try {
    const result = await human.detect(tensor);
    return result.face.map(toFace).sort((a, b) => b.sizeRatio - a.sizeRatio);
  } finally {
    tensor.dispose();
  }
}

const ready = (async () => {
  const t0 = performance.now();
  await human.load();
  await human.tf.ready();
  return performance.now() - t0;
})();

ready.then(
  (loadMs) => parentPort.postMessage({ type: 'ready', loadMs, backend: human.tf.getBackend() }),
  (err) => parentPort.postMessage({ type: 'fatal', message: String(err?.message ?? err) }),
);

async function handle(msg) {
  try {
    await ready;
    if (msg.type === 'analyze') {
      parentPort.postMessage({ type: 'result', id: msg.id, faces: await analyze(msg) });
    } else if (msg.type === 'stats') {
      const mem = process.memoryUsage();
      const tf = human.tf.memory();
      parentPort.postMessage({
        type: 'stats',
        id: msg.id,
        heapUsed: mem.heapUsed,
        external: mem.external,
        arrayBuffers: mem.arrayBuffers,
        tensors: tf.numTensors,
        backendBytes: tf.numBytes,
      });
    }
  } catch (err) {
    parentPort.postMessage({ type: 'error', id: msg.id, message: String(err?.message ?? err) });
  }
}

// One request at a time: human keeps per-model state between calls and is not re-entrant,
// and several validations may share this worker.
let queue = Promise.resolve();
parentPort.on('message', (msg) => {
  queue = queue.then(() => handle(msg));
});
