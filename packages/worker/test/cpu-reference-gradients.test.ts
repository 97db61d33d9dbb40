// The hand-written backward passes, checked against finite differences of the forward pass:
// if these hold, "training" is gradient descent on the real loss, not a loop that happens to
// make a number go down.
import { describe, expect, it } from 'vitest';
import { loadTinyBase } from '../src/backends/cpu-reference/index.ts';
import { ImageNet } from '../src/backends/cpu-reference/image/model.ts';
import { LoraAdapter, type Linear } from '../src/backends/cpu-reference/linear.ts';
import { crossEntropy, mseLoss } from '../src/backends/cpu-reference/losses.ts';
import { Prng } from '../src/backends/cpu-reference/prng.ts';
import { TextNet } from '../src/backends/cpu-reference/text/model.ts';

function attach(layers: Linear[], rng: Prng): void {
  for (const l of layers) {
    l.lora = new LoraAdapter(2, 3, l.inFeatures, l.outFeatures).init(rng);
    // Non-zero B so every path carries gradient (training starts with B = 0).
    for (let i = 0; i < l.lora.B.length; i++) l.lora.B[i] = rng.symmetric(0.1);
  }
}

/** Worst relative error between analytic and central-difference gradients on sampled entries. */
function worstError(layers: Linear[], loss: () => number, backward: () => void, rng: Prng): number {
  for (const l of layers) {
    l.lora!.gradA.fill(0);
    l.lora!.gradB.fill(0);
  }
  backward();
  let worst = 0;
  for (const l of layers) {
    for (const [param, grad] of [
      [l.lora!.A, l.lora!.gradA],
      [l.lora!.B, l.lora!.gradB],
    ] as const) {
      for (let t = 0; t < 3; t++) {
        const i = rng.int(param.length);
        const old = param[i]!;
        param[i] = old + 1e-2;
        const up = loss();
        param[i] = old - 1e-2;
        const down = loss();
        param[i] = old;
        const numeric = (up - down) / 2e-2;
        worst = Math.max(worst, Math.abs(numeric - grad[i]!) / Math.max(1e-4, Math.abs(numeric) + Math.abs(grad[i]!)));
      }
    }
  }
  return worst;
}

describe('cpu-reference backward passes', () => {
  it.each([[[0, 1, 2, 3, 4, 5]], [[1]], [[2]], [[3, 5]]])('image net, adapters on layers %j', (which) => {
    const rng = new Prng(5);
    const net = new ImageNet(loadTinyBase('image'));
    const layers = which.map((i) => net.layers[i]!);
    attach(layers, rng);
    const x = Float32Array.from({ length: 3 * 768 }, () => rng.symmetric(1));
    const target = Float32Array.from({ length: 3 * 768 }, () => rng.symmetric(1));
    const err = worstError(layers, () => mseLoss(net.forward(x, 3), target).loss, () => net.backward(mseLoss(net.forward(x, 3), target).grad), rng);
    expect(err).toBeLessThan(0.05);
  });

  it.each([/./, /self_attn\.(q|v)_proj/, /layers\.1\.(self_attn\.k_proj|mlp\.down_proj)/, /layers\.0\.self_attn\.k_proj/])('text net, adapters on %s', (pattern) => {
    const rng = new Prng(6);
    const net = new TextNet(loadTinyBase('text'));
    const layers = net.linears.filter((l) => pattern.test(l.name));
    attach(layers, rng);
    const tokens = Uint8Array.from({ length: 2 * 7 }, () => rng.int(256));
    const targets = Uint8Array.from({ length: 2 * 7 }, () => rng.int(256));
    const loss = () => crossEntropy(net.forward(tokens, 2, 7), targets, 256);
    const err = worstError(layers, () => loss().loss, () => net.backward(loss().grad), rng);
    expect(err).toBeLessThan(0.05);
  });

  it('starts at the base model: a fresh adapter (B = 0) changes nothing', () => {
    const base = new ImageNet(loadTinyBase('image'));
    const adapted = new ImageNet(loadTinyBase('image'));
    const rng = new Prng(9);
    for (const l of adapted.layers) l.lora = new LoraAdapter(4, 4, l.inFeatures, l.outFeatures).init(rng);
    const x = Float32Array.from({ length: 2 * 768 }, () => rng.symmetric(1));
    expect(Array.from(adapted.forward(x, 2))).toEqual(Array.from(base.forward(x, 2)));
  });
});
