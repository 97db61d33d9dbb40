// Reads sd-scripts' console: the "steps" tqdm bar with `avr_loss=` in its postfix (the
// moving-average loss), "epoch 3/16" lines, and the run header's totals.
import type { BackendEvent } from '../types.ts';
import type { LineParser } from '../gpu-common/run-job.ts';
import { num, parseTqdm } from '../gpu-common/tqdm.ts';

export class KohyaParser implements LineParser {
  private lastStep = -1;
  step = 0;
  totalSteps: number | undefined;
  epoch: number | undefined;
  totalEpochs: number | undefined;
  loss: number | undefined;

  constructor(private readonly batchSize = 1) {}

  private progress(): BackendEvent {
    return {
      type: 'progress',
      step: this.step,
      totalSteps: this.totalSteps ?? 0,
      ...(this.epoch !== undefined ? { epoch: this.epoch } : {}),
      ...(this.totalEpochs !== undefined ? { totalEpochs: this.totalEpochs } : {}),
      stage: 'training',
    };
  }

  feed(line: string): BackendEvent[] {
    const bar = parseTqdm(line);
    if (bar) {
      if (bar.desc !== 'steps' || bar.n === this.lastStep) return [];
      this.lastStep = bar.n;
      this.step = bar.n;
      this.totalSteps = bar.total;
      const events: BackendEvent[] = [this.progress()];
      const loss = num(/(?:^|,\s*)avr_loss=([^,\s]+)/.exec(bar.postfix)?.[1]);
      if (loss !== undefined) {
        this.loss = loss;
        events.push({
          type: 'metrics',
          step: bar.n,
          loss,
          ...(bar.itPerSec !== undefined ? { throughput: bar.itPerSec * this.batchSize } : {}),
        });
      }
      return events;
    }
    const epoch = /^epoch (\d+)\/(\d+)$/.exec(line.trim());
    if (epoch) {
      this.epoch = Number(epoch[1]);
      this.totalEpochs = Number(epoch[2]);
      return this.totalSteps !== undefined ? [this.progress()] : [];
    }
    const total = /total optimization steps[^:]*:\s*(\d+)/.exec(line);
    if (total) this.totalSteps = Number(total[1]);
    const epochs = /num epochs[^:]*:\s*(\d+)/.exec(line);
    if (epochs) this.totalEpochs = Number(epochs[1]);
    return [];
  }
}
