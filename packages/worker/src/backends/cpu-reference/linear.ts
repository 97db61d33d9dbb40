// A frozen linear layer (y = x·Wᵀ + b, W stored [out, in] row-major like PyTorch) with an
// optional trainable LoRA adapter: y += (alpha / rank) · B·(A·x), A [rank, in], B [out, rank].
// Activations are batched row-major [n, features]. Each layer runs once per forward pass, so
// it keeps what its backward pass needs from the last forward call.
import { addMatmul, matmulTransposed, transpose } from './kernels.ts';
import type { Prng } from './prng.ts';

export class LoraAdapter {
  readonly scale: number;
  readonly A: Float32Array;
  readonly B: Float32Array;
  readonly gradA: Float32Array;
  readonly gradB: Float32Array;

  constructor(
    readonly rank: number,
    readonly alpha: number,
    readonly inFeatures: number,
    readonly outFeatures: number,
    readonly dropout = 0,
  ) {
    this.scale = alpha / rank;
    this.A = new Float32Array(rank * inFeatures);
    this.B = new Float32Array(outFeatures * rank);
    this.gradA = new Float32Array(this.A.length);
    this.gradB = new Float32Array(this.B.length);
  }

  /** PEFT's default: A ~ U(±1/√in) (kaiming-uniform, a=√5), B = 0, so training starts at the base model. */
  init(rng: Prng): this {
    const bound = 1 / Math.sqrt(this.inFeatures);
    for (let i = 0; i < this.A.length; i++) this.A[i] = rng.symmetric(bound);
    this.B.fill(0);
    return this;
  }
}

export class Linear {
  lora: LoraAdapter | null = null;
  private xLora: Float32Array | null = null;
  private u: Float32Array | null = null;
  private n = 0;

  constructor(
    readonly name: string,
    readonly outFeatures: number,
    readonly inFeatures: number,
    readonly weight: Float32Array,
    readonly bias: Float32Array | null,
  ) {
    if (weight.length !== outFeatures * inFeatures) throw new Error(`${name}: weight has ${weight.length} values, expected ${outFeatures}×${inFeatures}`);
  }

  /** `train` enables LoRA dropout (drawn from `rng`); inference is deterministic. */
  forward(x: Float32Array, n: number, train = false, rng?: Prng): Float32Array {
    const { inFeatures: fin, outFeatures: fout, weight: W, bias } = this;
    const y = matmulTransposed(x, n, fin, W, fout, bias);
    this.n = n;
    const lora = this.lora;
    if (lora) {
      const xl = train && lora.dropout > 0 && rng ? dropout(x, lora.dropout, rng) : x;
      const u = matmulTransposed(xl, n, fin, lora.A, lora.rank, null);
      const delta = matmulTransposed(u, n, lora.rank, lora.B, fout, null);
      for (let i = 0; i < y.length; i++) y[i]! += lora.scale * delta[i]!;
      this.xLora = xl;
      this.u = u;
    }
    return y;
  }

  /** Accumulates the adapter's gradients; returns dL/dx when asked (for layers below). */
  backward(dy: Float32Array, needInputGrad: boolean): Float32Array | null {
    const { inFeatures: fin, outFeatures: fout, weight: W, n } = this;
    const lora = this.lora;
    let du: Float32Array | null = null;
    if (lora && this.u && this.xLora) {
      const r = lora.rank;
      // du = s·dy·B, gradB += s·dyᵀ·u, gradA += duᵀ·x: three small products through the blocked kernel.
      du = new Float32Array(n * r);
      addMatmul(dy, n, fout, lora.B, r, du);
      for (let i = 0; i < du.length; i++) du[i]! *= lora.scale;
      const su = Float32Array.from(this.u, (v) => v * lora.scale);
      addMatmul(transpose(dy, n, fout), fout, n, su, r, lora.gradB);
      addMatmul(transpose(du, n, r), r, n, this.xLora, fin, lora.gradA);
    }
    if (!needInputGrad) return null;
    const dx = new Float32Array(n * fin);
    addMatmul(dy, n, fout, W, fin, dx);
    if (lora && du) addMatmul(du, n, lora.rank, lora.A, fin, dx);
    return dx;
  }
}

function dropout(x: Float32Array, p: number, rng: Prng): Float32Array {
  const keep = 1 / (1 - p);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = rng.uniform() < p ? 0 : x[i]! * keep;
  return out;
}
