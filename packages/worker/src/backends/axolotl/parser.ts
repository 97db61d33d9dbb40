// Reads axolotl's console: Hugging Face Trainer log dicts printed as Python reprs
// ("{'loss': 0.8635, 'grad_norm': 1.12, 'learning_rate': 0.000136, 'epoch': 0.97}",
// "{'eval_loss': 1.0896, …}") and the Trainer's tqdm bar, which has no name. Evaluation
// bars have no name either, so the training bar is told apart by its total: the max_steps of
// the job when it set one, otherwise the bar being drawn when the first loss is logged.
import type { BackendEvent } from '../types.ts';
import type { LineParser } from '../gpu-common/run-job.ts';
import { num, parseTqdm } from '../gpu-common/tqdm.ts';

/** The numeric entries of a logged dict; values may be bare or quoted (newer Trainers). */
export function parseLogDict(line: string): Record<string, number> | null {
  const t = line.trim();
  if (!t.startsWith("{'") || !t.endsWith('}')) return null;
  const out: Record<string, number> = {};
  for (const m of t.matchAll(/'([^']+)':\s*'?([-+\w.]+)'?/g)) {
    const v = num(m[2]);
    if (v !== undefined) out[m[1] as string] = v;
  }
  return Object.keys(out).length > 0 ? out : null;
}

export class AxolotlParser implements LineParser {
  private trainingTotal: number | undefined;
  private lastBar: { n: number; total: number } | undefined;
  private lastStep = -1;
  step = 0;
  loss: number | undefined;
  evalLoss: number | undefined;
  trainLoss: number | undefined;

  constructor(
    private readonly opts: { maxSteps?: number; epochs?: number } = {},
  ) {
    this.trainingTotal = opts.maxSteps;
  }

  private progress(epoch?: number): BackendEvent {
    return {
      type: 'progress',
      step: this.step,
      totalSteps: this.trainingTotal ?? 0,
      ...(epoch !== undefined ? { epoch } : {}),
      ...(this.opts.epochs !== undefined ? { totalEpochs: this.opts.epochs } : {}),
      stage: 'training',
    };
  }

  feed(line: string): BackendEvent[] {
    const bar = parseTqdm(line);
    if (bar) {
      if (bar.desc !== null) return [];
      this.lastBar = { n: bar.n, total: bar.total };
      if (bar.total !== this.trainingTotal || bar.n === this.lastStep) return [];
      this.lastStep = bar.n;
      this.step = bar.n;
      return [this.progress()];
    }
    const logs = parseLogDict(line);
    if (!logs) return [];
    if (logs.train_loss !== undefined) this.trainLoss = logs.train_loss;
    if (logs.eval_loss !== undefined) {
      this.evalLoss = logs.eval_loss;
      return [{ type: 'metrics', step: this.step, valLoss: logs.eval_loss }];
    }
    if (logs.loss === undefined) return [];
    const events: BackendEvent[] = [];
    if (this.trainingTotal === undefined && this.lastBar) {
      this.trainingTotal = this.lastBar.total;
      this.step = this.lastBar.n;
      this.lastStep = this.lastBar.n;
      events.push(this.progress(logs.epoch));
    } else if (logs.epoch !== undefined && this.trainingTotal !== undefined) {
      events.push(this.progress(logs.epoch));
    }
    this.loss = logs.loss;
    events.push({
      type: 'metrics',
      step: this.step,
      loss: logs.loss,
      ...(logs.learning_rate !== undefined ? { learningRate: logs.learning_rate } : {}),
      ...(logs.grad_norm !== undefined ? { gradNorm: logs.grad_norm } : {}),
    });
    return events;
  }
}
