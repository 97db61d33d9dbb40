// Optimizers over LoRA adapters only (the base stays frozen): AdamW (default) or SGD with
// momentum, global gradient-norm clipping, and linear warm-up then constant or cosine decay.
import type { LoraAdapter } from './linear.ts';

export interface OptimizerOptions {
  kind: 'adamw' | 'sgd';
  learningRate: number;
  weightDecay: number;
  maxGradNorm: number;
  warmupSteps: number;
  totalSteps: number;
  schedule: 'constant' | 'cosine';
}

interface Slot {
  param: Float32Array;
  grad: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

export class LoraOptimizer {
  private readonly slots: Slot[];
  private t = 0;

  constructor(
    adapters: LoraAdapter[],
    private readonly o: OptimizerOptions,
  ) {
    this.slots = adapters.flatMap((a) =>
      [
        [a.A, a.gradA],
        [a.B, a.gradB],
      ].map(([param, grad]) => ({ param: param!, grad: grad!, m: new Float32Array(param!.length), v: new Float32Array(param!.length) })),
    );
  }

  zeroGrad(): void {
    for (const s of this.slots) s.grad.fill(0);
  }

  /** Learning rate at 1-based step `step`. */
  rateAt(step: number): number {
    const { learningRate: lr, warmupSteps: warm, totalSteps: total } = this.o;
    if (warm > 0 && step <= warm) return (lr * step) / warm;
    if (this.o.schedule === 'constant') return lr;
    const progress = Math.min(1, (step - warm) / Math.max(1, total - warm));
    return lr * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  /** Clips, updates, and returns the gradient norm before clipping and the rate used. */
  step(): { gradNorm: number; learningRate: number } {
    this.t += 1;
    let sq = 0;
    for (const s of this.slots) for (let i = 0; i < s.grad.length; i++) sq += s.grad[i]! * s.grad[i]!;
    const gradNorm = Math.sqrt(sq);
    const clip = this.o.maxGradNorm > 0 && gradNorm > this.o.maxGradNorm ? this.o.maxGradNorm / gradNorm : 1;
    const lr = this.rateAt(this.t);
    for (const s of this.slots) this.update(s, clip, lr);
    return { gradNorm, learningRate: lr };
  }

  private update({ param, grad, m, v }: Slot, clip: number, lr: number): void {
    const wd = this.o.weightDecay;
    if (this.o.kind === 'sgd') {
      for (let i = 0; i < param.length; i++) {
        m[i] = 0.9 * m[i]! + grad[i]! * clip;
        param[i] = param[i]! * (1 - lr * wd) - lr * m[i]!;
      }
      return;
    }
    const b1 = 0.9;
    const b2 = 0.999;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    for (let i = 0; i < param.length; i++) {
      const g = grad[i]! * clip;
      m[i] = b1 * m[i]! + (1 - b1) * g;
      v[i] = b2 * v[i]! + (1 - b2) * g * g;
      param[i] = param[i]! * (1 - lr * wd) - (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + 1e-8);
    }
  }
}
