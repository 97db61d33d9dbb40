// Turns a backend's events into protocol events. Backends call `emit` synchronously while
// training; checkpoints and samples need an upload first, so every event goes through one
// promise chain and leaves in the order the backend produced it.
import type { JobStage, JobSpec, ReportedObject, UploadSlot } from '@lora-studio/protocol';
import { JobStage as JobStageSchema } from '@lora-studio/protocol';
import type { BackendEvent } from '../backends/types.ts';
import type { Logger } from '../io/logger.ts';
import type { Emit } from './emit.ts';
import type { JobLog } from './job-log.ts';
import { truncateText } from './limits.ts';
import { SlotQueue } from './slots.ts';

export interface BackendEventDeps {
  spec: JobSpec;
  emit: Emit;
  jobLog: JobLog;
  log: Logger;
  upload: (path: string, slot: UploadSlot, what: string) => Promise<ReportedObject>;
  /** True once the job is stopping; uploads are skipped then. */
  stopping: () => boolean;
}

export class BackendEventPump {
  step = 0;
  totalSteps: number;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private trainingStartedAt: number | null = null;
  private readonly checkpoints: SlotQueue;
  private readonly samples: SlotQueue;

  constructor(private readonly deps: BackendEventDeps) {
    this.totalSteps = deps.spec.params.steps ?? 0;
    this.checkpoints = new SlotQueue(deps.spec.outputs.checkpoints);
    this.samples = new SlotQueue(deps.spec.outputs.samples);
  }

  /** The `emit` handed to the backend. Events after close() (a late timer in a backend) are ignored. */
  readonly push = (event: BackendEvent): void => {
    if (this.closed) return;
    this.chain = this.chain
      .then(() => this.handle(event))
      .catch((err) => this.deps.log.warn('backend event not forwarded', { type: event.type, error: String(err) }));
  };

  /** Waits for every event pushed so far, then refuses new ones. */
  async close(): Promise<void> {
    await this.chain;
    this.closed = true;
    await this.chain;
  }

  private async handle(event: BackendEvent): Promise<void> {
    switch (event.type) {
      case 'progress':
        return this.progress(event);
      case 'metrics':
        return this.metrics(event);
      case 'log':
        return this.deps.jobLog.add(event.stream ?? 'stdout', event.lines);
      case 'checkpoint':
        return this.checkpoint(event);
      case 'sample':
        return this.sample(event);
    }
  }

  private progress(e: Extract<BackendEvent, { type: 'progress' }>): void {
    const step = wholeAtLeast(e.step, 0) ?? this.step;
    this.step = step;
    this.totalSteps = Math.max(wholeAtLeast(e.totalSteps, 0) ?? this.totalSteps, step);
    const stage = JobStageSchema.safeParse(e.stage);
    const epoch = wholeAtLeast(e.epoch, 0);
    const totalEpochs = wholeAtLeast(e.totalEpochs, 1);
    const eta = this.eta(step);
    this.deps.emit('job.progress', {
      step,
      total_steps: this.totalSteps,
      stage: stage.success ? (stage.data as JobStage) : 'training',
      ...(epoch !== undefined ? { epoch } : {}),
      ...(totalEpochs !== undefined ? { total_epochs: totalEpochs } : {}),
      ...(eta !== undefined ? { eta_seconds: eta } : {}),
    });
  }

  /** Call when the backend starts, so the ETA covers its whole run. */
  startTraining(): void {
    this.trainingStartedAt = Date.now();
  }

  private eta(step: number): number | undefined {
    const now = Date.now();
    this.trainingStartedAt ??= now;
    if (step <= 0 || this.totalSteps === 0) return undefined;
    if (step >= this.totalSteps) return 0;
    const perStep = (now - this.trainingStartedAt) / 1000 / step;
    return Math.round(perStep * (this.totalSteps - step));
  }

  private metrics(e: Extract<BackendEvent, { type: 'metrics' }>): void {
    // Non-finite or out-of-range figures are left out: the schema would refuse the event.
    const nonNeg = (v: number | undefined) => (v !== undefined && Number.isFinite(v) && v >= 0 ? v : undefined);
    const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : undefined);
    const text = this.deps.spec.modality === 'text';
    const fields = {
      loss: finite(e.loss),
      val_loss: finite(e.valLoss),
      learning_rate: nonNeg(e.learningRate),
      grad_norm: nonNeg(e.gradNorm),
      // BackendEvent.throughput is samples/s for images and tokens/s for text.
      [text ? 'tokens_per_second' : 'throughput']: nonNeg(e.throughput),
      gpu_util: e.gpuUtil !== undefined && e.gpuUtil <= 100 ? nonNeg(e.gpuUtil) : undefined,
      vram_mb: nonNeg(e.vramMb),
    };
    const data = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    this.deps.emit('job.metrics', { step: wholeAtLeast(e.step, 0) ?? this.step, ...data });
  }

  private async checkpoint(e: Extract<BackendEvent, { type: 'checkpoint' }>): Promise<void> {
    const step = wholeAtLeast(e.step, 0) ?? this.step;
    const uploaded = await this.uploadToSlot(this.checkpoints, e.path, `checkpoint at step ${step}`);
    if (uploaded) this.deps.emit('job.checkpoint', { step, ...uploaded.object });
  }

  private async sample(e: Extract<BackendEvent, { type: 'sample' }>): Promise<void> {
    const step = wholeAtLeast(e.step, 0) ?? this.step;
    const uploaded = await this.uploadToSlot(this.samples, e.path, `sample at step ${step}`);
    if (!uploaded) return;
    if (e.contentType !== uploaded.slot.content_type) {
      this.deps.jobLog.add('worker', [`sample ${e.path} is ${e.contentType}; uploaded as ${uploaded.slot.content_type} (the type its slot was signed for)`]);
    }
    this.deps.emit('job.sample', {
      step,
      key: uploaded.object.key,
      content_type: uploaded.slot.content_type,
      ...(e.prompt ? { prompt: truncateText(e.prompt, 2000) } : {}),
    });
  }

  /** Intermediate outputs are best effort: a missing slot or a failed upload is logged, not fatal. */
  private async uploadToSlot(slots: SlotQueue, path: string, what: string) {
    const slot = slots.peek();
    if (!slot) {
      this.deps.jobLog.add('worker', [`${what} not uploaded: all ${slots.total} upload slots for it are used`]);
      return null;
    }
    if (this.deps.stopping()) return null;
    try {
      const object = await this.deps.upload(path, slot, what);
      slots.spend();
      return { slot, object };
    } catch (err) {
      if (!this.deps.stopping()) this.deps.jobLog.add('worker', [`${what} not uploaded: ${(err as Error).message}`]);
      return null;
    }
  }
}

function wholeAtLeast(v: number | undefined, min: number): number | undefined {
  return v !== undefined && Number.isFinite(v) && v >= min ? Math.floor(v) : undefined;
}
