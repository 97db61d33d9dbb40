// Training objectives: mean squared error (image denoising) and next-byte cross-entropy (text).
// Each returns the mean loss and its gradient with respect to the model output.

export function mseLoss(pred: Float32Array, target: Float32Array): { loss: number; grad: Float32Array } {
  const grad = new Float32Array(pred.length);
  let sum = 0;
  const k = 2 / pred.length;
  for (let i = 0; i < pred.length; i++) {
    const e = pred[i]! - target[i]!;
    sum += e * e;
    grad[i] = k * e;
  }
  return { loss: sum / pred.length, grad };
}

/** logits [n, vocab], targets n byte values. */
export function crossEntropy(logits: Float32Array, targets: Uint8Array, vocab: number): { loss: number; grad: Float32Array } {
  const n = targets.length;
  const grad = new Float32Array(logits.length);
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const o = r * vocab;
    let max = -Infinity;
    for (let j = 0; j < vocab; j++) if (logits[o + j]! > max) max = logits[o + j]!;
    let z = 0;
    for (let j = 0; j < vocab; j++) z += Math.exp(logits[o + j]! - max);
    const logZ = max + Math.log(z);
    sum += logZ - logits[o + targets[r]!]!;
    for (let j = 0; j < vocab; j++) grad[o + j] = Math.exp(logits[o + j]! - logZ) / n;
    grad[o + targets[r]!]! -= 1 / n;
  }
  return { loss: sum / n, grad };
}
