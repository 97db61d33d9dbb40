import { monitorEventLoopDelay } from 'node:perf_hooks';

// Timing, event-loop and memory probes around one benchmark phase.

export interface PhaseResult {
  name: string;
  totalMs: number;
  perPhotoMs: number;
  loopMaxMs: number;
  loopP99Ms: number;
  maxRssMb: number;
}

export async function phase(name: string, photos: number, fn: () => Promise<unknown>): Promise<PhaseResult> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const t0 = performance.now();
  await fn();
  const totalMs = performance.now() - t0;
  loop.disable();
  return {
    name,
    totalMs,
    perPhotoMs: totalMs / photos,
    // The histogram reports delay beyond the sampling resolution, in ns.
    loopMaxMs: loop.max / 1e6,
    loopP99Ms: loop.percentile(99) / 1e6,
    // maxRSS is the process peak so far (KB), so phases are run lightest first.
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

export const fmt = (v: number, digits = 0) => v.toFixed(digits);
