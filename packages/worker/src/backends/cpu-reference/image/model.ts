// The tiny image denoiser: 768 → 128 → (residual blocks) → 768 over flattened 16×16 RGB
// patches in [-1, 1]. Forward keeps what backward needs; backward only produces adapter
// gradients (the base is frozen), so it skips dL/dx below the lowest adapted layer.
import { addInPlace, silu, siluBackward } from '../activations.ts';
import { Linear } from '../linear.ts';
import type { Prng } from '../prng.ts';
import { baseTensor, type TinyBase } from '../tiny-base/load.ts';
import { TINY_IMAGE } from '../tiny-base/spec.ts';

export const PATCH_FEATURES = TINY_IMAGE.patch * TINY_IMAGE.patch * TINY_IMAGE.channels;

export class ImageNet {
  readonly layers: Linear[];
  private cache: { a1: Float32Array; a2: Float32Array; a3: Float32Array; a5: Float32Array } | null = null;

  constructor(base: TinyBase) {
    if (base.kind !== 'image') throw new Error(`${base.id} is not an image base`);
    this.layers = TINY_IMAGE.layers.map(
      (s) => new Linear(s.name, s.out, s.in, baseTensor(base, `${s.name}.weight`), s.bias ? baseTensor(base, `${s.name}.bias`) : null),
    );
  }

  layer(name: string): Linear {
    const l = this.layers.find((x) => x.name === name);
    if (!l) throw new Error(`no image layer ${name}`);
    return l;
  }

  /** x: n noisy patches [n, 768] → denoised patches [n, 768]. */
  forward(x: Float32Array, n: number, train = false, rng?: Prng): Float32Array {
    const [l1, l2, l3, l4, l5, l6] = this.layers as [Linear, Linear, Linear, Linear, Linear, Linear];
    const a1 = l1.forward(x, n, train, rng);
    const h1 = silu(a1);
    const a2 = l2.forward(h1, n, train, rng);
    const h2 = addInPlace(silu(a2), h1);
    const a3 = l3.forward(h2, n, train, rng);
    const m = silu(a3);
    const h3 = addInPlace(l4.forward(m, n, train, rng), h2);
    const a5 = l5.forward(h3, n, train, rng);
    const h4 = addInPlace(silu(a5), h3);
    this.cache = { a1, a2, a3, a5 };
    return l6.forward(h4, n, train, rng);
  }

  /** dy = dL/d(output); accumulates adapter gradients. */
  backward(dy: Float32Array): void {
    if (!this.cache) throw new Error('backward before forward');
    const { a1, a2, a3, a5 } = this.cache;
    const [l1, l2, l3, l4, l5, l6] = this.layers as [Linear, Linear, Linear, Linear, Linear, Linear];
    const lowest = this.layers.findIndex((l) => l.lora !== null);
    if (lowest < 0) return;
    const need = (i: number) => lowest < i;
    const dh4 = l6.backward(dy, need(5));
    if (!dh4) return;
    // h4 = h3 + silu(a5)
    const dh3 = addInPlace(l5.backward(siluBackward(a5, dh4), need(4)) ?? new Float32Array(dh4.length), dh4);
    if (!need(4)) return;
    // h3 = h2 + l4(silu(a3))
    const dm = l4.backward(dh3, need(3));
    const dh2 = Float32Array.from(dh3);
    if (dm) {
      const da3 = siluBackward(a3, dm);
      const fromMid = l3.backward(da3, need(2));
      if (fromMid) addInPlace(dh2, fromMid);
    }
    if (!need(2)) return;
    // h2 = h1 + silu(a2)
    const dh1 = addInPlace(l2.backward(siluBackward(a2, dh2), need(1)) ?? new Float32Array(dh2.length), dh2);
    if (!need(1)) return;
    l1.backward(siluBackward(a1, dh1), false);
  }
}
