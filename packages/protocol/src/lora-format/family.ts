// Does a detected LoRA fit the base family a job asked for? Two kinds of evidence: the base
// model its own metadata names (when it names a known family, that decides), and the module
// names it patches (Flux double/single blocks, SD UNet layouts, Llama-style decoder layers).
// A family needs positive key evidence and no contradicting evidence.
import type { BaseFamily } from '../schemas/common.ts';
import type { DetectedLora } from './detect.ts';

type HintFamily = BaseFamily | 'sd1' | 'sd2' | 'sd3' | 'gpt2';

const HINTS: [RegExp, HintFamily][] = [
  [/lora-studio-tiny/i, 'tiny'],
  [/flux/i, 'flux'],
  [/sdxl|stable-diffusion-xl|sd_xl|xl[-_]base/i, 'sdxl'],
  [/sd3|stable-diffusion-v?3/i, 'sd3'],
  [/sd_v2|stable-diffusion-v?2|sd-?2\.[01]/i, 'sd2'],
  [/sd_v1|stable-diffusion-v?1|sd-?1\.[45]|v1-5/i, 'sd1'],
  [/llama/i, 'llama'],
  [/qwen/i, 'qwen'],
  [/mistral|mixtral/i, 'mistral'],
  [/gpt-?2/i, 'gpt2'],
];

const LABEL: Record<HintFamily, string> = {
  tiny: 'the cpu-reference tiny base',
  flux: 'Flux',
  sdxl: 'SDXL',
  sd1: 'Stable Diffusion 1.x',
  sd2: 'Stable Diffusion 2.x',
  sd3: 'Stable Diffusion 3',
  llama: 'Llama',
  qwen: 'Qwen',
  mistral: 'Mistral',
  gpt2: 'GPT-2',
};

const is = {
  flux: (m: string) => /(^|[._])(double_blocks|single_blocks)[._]\d/.test(m) || /^(transformer\.|lora_transformer_)(single_)?transformer_blocks[._]/.test(m),
  sdUnet: (m: string) => /^lora_unet_(down_blocks|up_blocks|mid_block|input_blocks|output_blocks|middle_block)_/.test(m) || /^unet\.(down_blocks|up_blocks|mid_block)\./.test(m),
  sdTextEncoder: (m: string) => /^lora_te\d?_/.test(m) || /^text_encoder(_2)?\./.test(m),
  // SD 1.x: attention in the first down block (SDXL has none there) or one kohya text encoder.
  sd1Layout: (m: string) => /^lora_unet_down_blocks_0_attentions_/.test(m) || /^unet\.down_blocks\.0\.attentions\./.test(m) || /^lora_te_/.test(m),
  llm: (m: string) => /(^|\.)layers\.\d+\.(self_attn|mlp)\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)$/.test(m),
  gpt2: (m: string) => /(^|\.)h\.\d+\.(attn|mlp)\.(c_attn|c_proj|c_fc)$/.test(m),
};

/** Null when `detected` is a LoRA for `family`, otherwise why not (one sentence). */
export function checkBaseFamily(detected: DetectedLora, family: BaseFamily): string | null {
  if (detected.format === 'unknown') return `no LoRA tensors found (${detected.tensorCount} tensors follow no known LoRA naming)`;
  const hint = detected.baseModelHint;
  const hinted = hint === null ? null : (HINTS.find(([re]) => re.test(hint))?.[1] ?? null);
  if (family === 'tiny') return checkTiny(detected, hinted);
  if (hinted === 'tiny') return `trained by cpu-reference on its tiny stand-in base (${hint}), not on a real ${LABEL[family]} model`;
  if (hinted !== null && hinted !== family) return `made for ${LABEL[hinted]} (${hint}), not ${LABEL[family]}`;
  const mods = detected.targetModules;
  const some = (p: (m: string) => boolean) => mods.some(p);
  const image = detected.format !== 'peft' && !some(is.llm) && !some(is.gpt2);
  switch (family) {
    case 'flux':
      if (!image) return 'a text-model adapter (PEFT layout), not an image LoRA';
      if (some(is.sdUnet)) return 'patches a Stable Diffusion UNet (down/up blocks), not the Flux transformer';
      return some(is.flux) ? null : 'no Flux transformer modules (double_blocks / single_blocks / transformer.transformer_blocks)';
    case 'sdxl':
      if (!image) return 'a text-model adapter (PEFT layout), not an image LoRA';
      if (some(is.flux)) return 'patches a Flux transformer, not the SDXL UNet';
      if (some(is.sd1Layout)) return 'uses the Stable Diffusion 1.x layout (attention in down block 0 or a single text encoder), not SDXL';
      return some(is.sdUnet) || some(is.sdTextEncoder) ? null : 'no SDXL UNet or text-encoder modules (lora_unet_* / lora_te1_* / unet.*)';
    case 'llama':
    case 'qwen':
    case 'mistral':
      if (image) return `an image LoRA (${detected.format} layout), not a text-model adapter`;
      if (some(is.gpt2)) return `uses GPT-2 module names (c_attn / c_proj), not the ${LABEL[family]} decoder layout`;
      return some(is.llm) ? null : `no ${LABEL[family]}-style decoder modules (model.layers.N.self_attn.q_proj …)`;
  }
}

function checkTiny(detected: DetectedLora, hinted: HintFamily | null): string | null {
  if (hinted !== 'tiny') {
    return detected.baseModelHint === null
      ? 'names no base model; cpu-reference LoRAs name lora-studio-tiny-* in their metadata'
      : `made for ${hinted ? LABEL[hinted] : detected.baseModelHint}, not the cpu-reference tiny base`;
  }
  const mods = detected.targetModules;
  if (detected.format === 'kohya' && mods.every((m) => m.startsWith('lora_unet_'))) return null;
  if (detected.format === 'peft' && mods.every(is.llm)) return null;
  return `a ${detected.format} file whose modules do not match the tiny base (kohya lora_unet_* or PEFT model.layers.N.*)`;
}
