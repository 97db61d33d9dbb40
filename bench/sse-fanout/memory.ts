// Memory after a full collection, so a delta measures what is still held, not garbage.
// --expose-gc is switched on from inside the process (no flag needed on the command line).
import v8 from 'node:v8';
import vm from 'node:vm';

export interface MemorySample {
  rss: number;
  heapUsed: number;
  /** Memory outside the V8 heap that JS objects hold: buffers, socket state. */
  external: number;
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

export function memory(): MemorySample {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external + m.arrayBuffers };
}
