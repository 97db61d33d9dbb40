// Reads ai-toolkit's console. Its training bar is the tqdm bar named after the job
// ("<name>:  10%|…| 299/3000 [10:44<1:37:05,  2.16s/it, lr: 2.0e-04 loss: 5.226e-01]"); every
// other bar (checkpoint shards, quantizing, latent caching, sample rendering) has another name
// or none and is not training progress.
import type { BackendEvent } from '../types.ts';
import type { LineParser } from '../gpu-common/run-job.ts';
import { num, parseTqdm } from '../gpu-common/tqdm.ts';

export interface AiToolkitProgress {
  step: number;
  totalSteps: number;
  loss?: number;
  learningRate?: number;
}

/** The numbers in a training-bar postfix: `lr: 2.0e-04 loss: 5.226e-01`. */
export function parsePostfix(postfix: string): { lr?: number; losses: Record<string, number> } {
  const losses: Record<string, number> = {};
  let lr: number | undefined;
  for (const m of postfix.matchAll(/([A-Za-z_][\w/]*):\s*([-+\w.]+)/g)) {
    const value = num(m[2]);
    if (value === undefined) continue;
    if (m[1] === 'lr') lr = value;
    else losses[m[1] as string] = value;
  }
  return { ...(lr !== undefined ? { lr } : {}), losses };
}

export class AiToolkitParser implements LineParser {
  private lastStep = -1;
  last: AiToolkitProgress | undefined;

  constructor(
    private readonly name: string,
    private readonly batchSize = 1,
  ) {}

  feed(line: string): BackendEvent[] {
    const bar = parseTqdm(line);
    if (!bar || bar.desc !== this.name) return [];
    if (bar.n === this.lastStep) return [];
    this.lastStep = bar.n;
    const { lr, losses } = parsePostfix(bar.postfix);
    const loss = losses.loss;
    this.last = {
      step: bar.n,
      totalSteps: bar.total,
      ...(loss !== undefined ? { loss } : {}),
      ...(lr !== undefined ? { learningRate: lr } : {}),
    };
    const events: BackendEvent[] = [{ type: 'progress', step: bar.n, totalSteps: bar.total, stage: 'training' }];
    if (loss !== undefined || lr !== undefined) {
      events.push({
        type: 'metrics',
        step: bar.n,
        ...(loss !== undefined ? { loss } : {}),
        ...(lr !== undefined ? { learningRate: lr } : {}),
        // One iteration is one batch of images.
        ...(bar.itPerSec !== undefined ? { throughput: bar.itPerSec * this.batchSize } : {}),
      });
    }
    return events;
  }
}
