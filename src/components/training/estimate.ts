// A deliberately simple duration estimate: steps × the base model's seconds-per-step planning
// figure (catalog `throughput`, measured at 1024 px, batch 1). It is shown as an estimate, with
// the GPU it assumes; real runs vary with batch, resolution and the machine.

export interface GpuEstimate {
  gpu: string;
  seconds: number;
}

const GPU_LABEL: Record<string, string> = { a100_40gb: 'A100 40GB', a100_80gb: 'A100 80GB', h100_80gb: 'H100 80GB', l40s: 'L40S', a10g: 'A10G' };

export function gpuLabel(id: string): string {
  return GPU_LABEL[id] ?? id.replace(/_/g, ' ').toUpperCase();
}

/** Fastest first. Empty when the base has no figures or the step count is not usable. */
export function estimateByGpu(steps: number | undefined, throughput: Record<string, number>): GpuEstimate[] {
  if (!steps || !Number.isFinite(steps) || steps <= 0) return [];
  return Object.entries(throughput)
    .filter(([, s]) => Number.isFinite(s) && s > 0)
    .map(([gpu, secondsPerStep]) => ({ gpu: gpuLabel(gpu), seconds: steps * secondsPerStep }))
    .sort((a, b) => a.seconds - b.seconds);
}

/** "45 s", "27 min", "2 h 05 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
