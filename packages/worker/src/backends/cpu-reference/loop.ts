// The part of a training run both modalities share: one optimizer step at a time, progress
// and metrics after each, a log line every few steps, and between steps a check of the abort
// signal and a turn of the event loop so heartbeats, uploads and cancel keep working.
import type { BackendContext } from '../types.ts';
import { BackendCanceled } from '../types.ts';

export interface StepStats {
  loss: number;
  gradNorm: number;
  learningRate: number;
  /** Samples (image) or tokens (text) processed in this step. */
  items: number;
  valLoss?: number;
}

export interface LoopOptions {
  totalSteps: number;
  unit: 'samples' | 'tokens';
  /** Optimizer steps in one pass over the training data; progress then carries the epoch. */
  stepsPerEpoch?: number;
  runStep: (step: number) => StepStats;
  /** Checkpoints, samples…: awaited before the next step. */
  afterStep?: (step: number) => Promise<void>;
}

export interface LoopResult {
  losses: number[];
  valLosses: { step: number; loss: number }[];
  seconds: number;
}

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function throwIfCanceled(signal: AbortSignal): void {
  if (signal.aborted) throw new BackendCanceled();
}

/** 1-based epoch of a step and the epochs the run spans (a partial last epoch counts). */
function epochOf(step: number, o: LoopOptions): { epoch?: number; totalEpochs?: number } {
  const per = o.stepsPerEpoch;
  if (!per || per <= 0) return {};
  return { epoch: Math.ceil(step / per), totalEpochs: Math.ceil(o.totalSteps / per) };
}

export async function trainLoop(ctx: BackendContext, o: LoopOptions): Promise<LoopResult> {
  const losses: number[] = [];
  const valLosses: { step: number; loss: number }[] = [];
  const logEvery = Math.max(1, Math.round(o.totalSteps / 20));
  // About 100 metric and progress points per run: each is a signed event the control plane
  // stores, and a step here takes milliseconds. The reported loss is the window mean.
  const metricsEvery = Math.max(1, Math.round(o.totalSteps / 100));
  let windowLoss = 0;
  let windowSteps = 0;
  const started = performance.now();
  for (let step = 1; step <= o.totalSteps; step++) {
    await yieldToEventLoop();
    throwIfCanceled(ctx.signal);
    const t0 = performance.now();
    const s = o.runStep(step);
    const throughput = s.items / Math.max((performance.now() - t0) / 1000, 1e-6);
    if (!Number.isFinite(s.loss)) throw new Error(`loss became ${s.loss} at step ${step}; lower the learning rate`);
    losses.push(s.loss);
    if (s.valLoss !== undefined) valLosses.push({ step, loss: s.valLoss });
    // Progress at the same cadence as metrics (~100 a run), and always for the first step.
    if (step === 1 || step % metricsEvery === 0 || step === o.totalSteps) ctx.emit({ type: 'progress', step, totalSteps: o.totalSteps, stage: 'training', ...epochOf(step, o) });
    windowLoss += s.loss;
    windowSteps += 1;
    if (step % metricsEvery === 0 || step === o.totalSteps || s.valLoss !== undefined) {
      ctx.emit({
        type: 'metrics',
        step,
        loss: windowLoss / windowSteps,
        learningRate: s.learningRate,
        gradNorm: s.gradNorm,
        throughput: Number(throughput.toPrecision(4)),
        ...(s.valLoss !== undefined ? { valLoss: s.valLoss } : {}),
      });
      windowLoss = 0;
      windowSteps = 0;
    }
    if (step === 1 || step % logEvery === 0 || step === o.totalSteps) {
      const val = s.valLoss !== undefined ? ` val_loss ${s.valLoss.toFixed(4)}` : '';
      ctx.emit({
        type: 'log',
        lines: [
          `step ${step}/${o.totalSteps} loss ${s.loss.toFixed(4)}${val} lr ${s.learningRate.toExponential(2)} grad_norm ${s.gradNorm.toFixed(3)} ${throughput.toFixed(1)} ${o.unit}/s`,
        ],
      });
    }
    if (o.afterStep) await o.afterStep(step);
  }
  return { losses, valLosses, seconds: (performance.now() - started) / 1000 };
}

/** Mean of the first and last 10 % of a loss curve (at least one step each). */
export function lossEnds(losses: number[]): { first: number; last: number } {
  const k = Math.max(1, Math.floor(losses.length / 10));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { first: mean(losses.slice(0, k)), last: mean(losses.slice(-k)) };
}
