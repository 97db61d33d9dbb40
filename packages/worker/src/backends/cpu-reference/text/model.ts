// The tiny byte-level decoder: embeddings → N × (RMSNorm → RoPE causal attention → residual,
// RMSNorm → SwiGLU MLP → residual) → RMSNorm → lm_head. Names and layout follow Llama, so
// PEFT keys for it are the real ones. Backward yields adapter gradients only.
import { addInPlace, silu, sigmoid } from '../activations.ts';
import { Linear } from '../linear.ts';
import type { Prng } from '../prng.ts';
import { baseTensor, type TinyBase } from '../tiny-base/load.ts';
import { textLinears, TINY_TEXT } from '../tiny-base/spec.ts';
import { attention, attentionBackward, rmsNorm, rmsNormBackward, Rope, type AttentionShape } from './ops.ts';

interface Block {
  q: Linear;
  k: Linear;
  v: Linear;
  o: Linear;
  gate: Linear;
  up: Linear;
  down: Linear;
  norm1: Float32Array;
  norm2: Float32Array;
}

interface BlockCache {
  x: Float32Array;
  inv1: Float32Array;
  qr: Float32Array;
  kr: Float32Array;
  v: Float32Array;
  probs: Float32Array;
  mid: Float32Array;
  inv2: Float32Array;
  g: Float32Array;
  u: Float32Array;
}

const { dim: D, heads: H, vocab: V, normEps: EPS } = TINY_TEXT;
const HD = D / H;

export class TextNet {
  readonly linears: Linear[];
  private readonly blocks: Block[];
  private readonly embed: Float32Array;
  private readonly finalNorm: Float32Array;
  private readonly lmHead: Linear;
  private readonly rope = new Rope(TINY_TEXT.maxSeq, HD, TINY_TEXT.ropeTheta);
  private cache: { blocks: BlockCache[]; final: Float32Array; invF: Float32Array; shape: AttentionShape } | null = null;

  constructor(base: TinyBase) {
    if (base.kind !== 'text') throw new Error(`${base.id} is not a text base`);
    this.linears = textLinears().map((s) => new Linear(s.name, s.out, s.in, baseTensor(base, `${s.name}.weight`), null));
    const find = (name: string) => this.linears.find((l) => l.name === name)!;
    this.blocks = Array.from({ length: TINY_TEXT.layers }, (_, l) => ({
      q: find(`model.layers.${l}.self_attn.q_proj`),
      k: find(`model.layers.${l}.self_attn.k_proj`),
      v: find(`model.layers.${l}.self_attn.v_proj`),
      o: find(`model.layers.${l}.self_attn.o_proj`),
      gate: find(`model.layers.${l}.mlp.gate_proj`),
      up: find(`model.layers.${l}.mlp.up_proj`),
      down: find(`model.layers.${l}.mlp.down_proj`),
      norm1: baseTensor(base, `model.layers.${l}.input_layernorm.weight`),
      norm2: baseTensor(base, `model.layers.${l}.post_attention_layernorm.weight`),
    }));
    this.embed = baseTensor(base, 'model.embed_tokens.weight');
    this.finalNorm = baseTensor(base, 'model.norm.weight');
    this.lmHead = new Linear('lm_head', V, D, baseTensor(base, 'lm_head.weight'), null);
  }

  /** tokens: B sequences of T bytes, row-major → logits [B·T, 256]. */
  forward(tokens: Uint8Array, B: number, T: number, train = false, rng?: Prng): Float32Array {
    if (T > TINY_TEXT.maxSeq) throw new Error(`sequence of ${T} exceeds ${TINY_TEXT.maxSeq}`);
    const n = B * T;
    const shape = { B, T, heads: H, headDim: HD };
    let x: Float32Array = new Float32Array(n * D);
    for (let r = 0; r < n; r++) x.set(this.embed.subarray(tokens[r]! * D, tokens[r]! * D + D), r * D);
    const caches: BlockCache[] = [];
    for (const blk of this.blocks) {
      const { y: xn, inv: inv1 } = rmsNorm(x, n, D, blk.norm1, EPS);
      const qr = this.rope.apply(blk.q.forward(xn, n, train, rng), B, T, H);
      const kr = this.rope.apply(blk.k.forward(xn, n, train, rng), B, T, H);
      const v = blk.v.forward(xn, n, train, rng);
      const { out: att, probs } = attention(qr, kr, v, shape);
      const mid = addInPlace(blk.o.forward(att, n, train, rng), x);
      const { y: xn2, inv: inv2 } = rmsNorm(mid, n, D, blk.norm2, EPS);
      const g = blk.gate.forward(xn2, n, train, rng);
      const u = blk.up.forward(xn2, n, train, rng);
      const act = silu(g);
      for (let i = 0; i < act.length; i++) act[i]! *= u[i]!;
      caches.push({ x, inv1, qr, kr, v, probs, mid, inv2, g, u });
      x = addInPlace(blk.down.forward(act, n, train, rng), mid);
    }
    const { y: xf, inv: invF } = rmsNorm(x, n, D, this.finalNorm, EPS);
    this.cache = { blocks: caches, final: x, invF, shape };
    return this.lmHead.forward(xf, n);
  }

  /** dLogits = dL/d(logits); accumulates adapter gradients. */
  backward(dLogits: Float32Array): void {
    const c = this.cache;
    if (!c) throw new Error('backward before forward');
    const lowest = this.blocks.findIndex((b) => [b.q, b.k, b.v, b.o, b.gate, b.up, b.down].some((l) => l.lora));
    if (lowest < 0) return;
    const n = c.shape.B * c.shape.T;
    let dx = rmsNormBackward(c.final, c.invF, n, D, this.finalNorm, this.lmHead.backward(dLogits, true)!);
    for (let l = this.blocks.length - 1; l >= lowest; l--) {
      const blk = this.blocks[l]!;
      const bc = c.blocks[l]!;
      const dAct = blk.down.backward(dx, true)!;
      const dg = new Float32Array(dAct.length);
      const du = new Float32Array(dAct.length);
      for (let i = 0; i < dAct.length; i++) {
        const s = sigmoid(bc.g[i]!);
        du[i] = dAct[i]! * bc.g[i]! * s;
        dg[i] = dAct[i]! * bc.u[i]! * s * (1 + bc.g[i]! * (1 - s));
      }
      const dxn2 = addInPlace(blk.gate.backward(dg, true)!, blk.up.backward(du, true)!);
      const dMid = addInPlace(rmsNormBackward(bc.mid, bc.inv2, n, D, blk.norm2, dxn2), dx);
      const dAtt = blk.o.backward(dMid, true)!;
      const { dq, dk, dv } = attentionBackward(bc.qr, bc.kr, bc.v, bc.probs, dAtt, c.shape);
      const needBelow = l > lowest;
      const dqx = blk.q.backward(this.rope.apply(dq, c.shape.B, c.shape.T, H, true), needBelow);
      const dkx = blk.k.backward(this.rope.apply(dk, c.shape.B, c.shape.T, H, true), needBelow);
      const dvx = blk.v.backward(dv, needBelow);
      if (!needBelow || !dqx || !dkx || !dvx) return;
      const dxn = addInPlace(addInPlace(dqx, dkx), dvx);
      dx = addInPlace(rmsNormBackward(bc.x, bc.inv1, n, D, blk.norm1, dxn), dMid);
    }
  }
}
