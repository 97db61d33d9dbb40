// The baseline: the same fan-out with no HTTP and no database. One in-process EventEmitter,
// one listener per subscriber, each doing what an HTTP subscriber does with a frame (parse
// the SSE text, JSON.parse its data, record the arrival). The difference between this and the
// HTTP run is what the network stack, the route, the generator per stream and the DB cost.
import { EventEmitter } from 'node:events';
import { frameSeq, SseParser } from './sse-client.ts';
import { memory, type MemorySample } from './memory.ts';

export interface EmitterResult {
  latencies: number[][];
  before: MemorySample;
  after: MemorySample;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `frame(seq)` gives the exact SSE text the route would send for that event. */
export async function emitterFanOut(p: { listeners: number; events: number; firstSeq: number; gapMs: number; frame: (seq: number) => string }): Promise<EmitterResult> {
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  const arrivals = Array.from({ length: p.events }, () => new Float64Array(p.listeners).fill(Number.NaN));
  const before = memory();
  for (let i = 0; i < p.listeners; i++) {
    const parser = new SseParser();
    bus.on('frame', (text: string) => {
      const t = performance.now();
      parser.push(text, (f) => {
        const k = (frameSeq(f) ?? -1) - p.firstSeq;
        if (k >= 0 && k < p.events) arrivals[k]![i] = t;
      });
    });
  }
  const after = memory();
  const latencies: number[][] = [];
  for (let k = 0; k < p.events; k++) {
    const text = p.frame(p.firstSeq + k); // built before t0: the route formats once per stream, counted on the HTTP side
    const t0 = performance.now();
    bus.emit('frame', text);
    latencies.push(Array.from(arrivals[k]!, (t) => t - t0));
    await sleep(p.gapMs);
  }
  bus.removeAllListeners();
  return { latencies, before, after };
}
