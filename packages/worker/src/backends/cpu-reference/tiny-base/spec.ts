// The two tiny frozen base networks cpu-reference trains LoRAs against. Their layer names
// follow the real architectures (diffusers UNet blocks, Llama decoder layers) so the LoRA
// keys written for them look exactly like real kohya / PEFT keys. Changing anything here
// changes the committed assets: run `npx tsx packages/worker/scripts/build-tiny-base.ts`.
export const TINY_NOTE =
  'Trained by the LoRA Studio cpu-reference backend on a tiny built-in network so the pipeline can run on a laptop or in CI. ' +
  'It exercises the pipeline only: it is not usable with Flux, SDXL, Llama or any real model.';

export interface LinearSpec {
  name: string;
  out: number;
  in: number;
  /** Scale of the uniform init relative to unit-variance outputs (√(3/in)). */
  gain: number;
  bias: boolean;
}

/** Image base: an MLP denoiser over 16×16 RGB patches, laid out like a UNet's transformer blocks. */
export const TINY_IMAGE = {
  id: 'lora-studio-tiny-image-v1',
  file: 'tiny-base-image.safetensors',
  seed: 20240601,
  patch: 16,
  channels: 3,
  layers: [
    { name: 'down_blocks.0.attentions.0.proj_in', out: 128, in: 768, gain: 1, bias: true },
    { name: 'down_blocks.0.attentions.0.proj_out', out: 128, in: 128, gain: 1, bias: true },
    { name: 'mid_block.attentions.0.proj_in', out: 64, in: 128, gain: 1, bias: true },
    { name: 'mid_block.attentions.0.proj_out', out: 128, in: 64, gain: 1, bias: true },
    { name: 'up_blocks.0.attentions.0.proj_in', out: 128, in: 128, gain: 1, bias: true },
    // Near-zero output projection (as diffusion models initialise theirs): the base alone
    // barely moves the output, and the adapter has to learn the reconstruction.
    { name: 'up_blocks.0.attentions.0.proj_out', out: 768, in: 128, gain: 0.05, bias: false },
  ] satisfies LinearSpec[],
} as const;

/** Text base: a byte-level decoder-only transformer with Llama names (RMSNorm, RoPE, SwiGLU). */
export const TINY_TEXT = {
  id: 'lora-studio-tiny-text-v1',
  file: 'tiny-base-text.safetensors',
  seed: 20240602,
  vocab: 256,
  dim: 64,
  heads: 4,
  ffn: 128,
  layers: 2,
  ropeTheta: 10000,
  maxSeq: 256,
  normEps: 1e-5,
} as const;

export const TEXT_PROJECTIONS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;
export type TextProjection = (typeof TEXT_PROJECTIONS)[number];

/** Linear layers of the text base, in generation order. */
export function textLinears(): LinearSpec[] {
  const { dim, ffn, layers } = TINY_TEXT;
  const shapes: Record<TextProjection, [number, number]> = {
    q_proj: [dim, dim],
    k_proj: [dim, dim],
    v_proj: [dim, dim],
    o_proj: [dim, dim],
    gate_proj: [ffn, dim],
    up_proj: [ffn, dim],
    down_proj: [dim, ffn],
  };
  return Array.from({ length: layers }, (_, l) =>
    TEXT_PROJECTIONS.map((p) => {
      const [out, inF] = shapes[p];
      const group = p === 'gate_proj' || p === 'up_proj' || p === 'down_proj' ? 'mlp' : 'self_attn';
      return { name: `model.layers.${l}.${group}.${p}`, out, in: inF, gain: 1, bias: false };
    }),
  ).flat();
}
