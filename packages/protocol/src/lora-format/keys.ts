// Tensor-name grammar of the LoRA layouts in the wild. Each rule strips the LoRA suffix to
// recover the module it patches. Rules are tried in order; the first match wins.
export type LoraKeyStyle = 'kohya' | 'lycoris' | 'lora-ab' | 'diffusers-legacy';
export type LoraAlgo = 'lora' | 'locon' | 'lokr' | 'loha' | 'glora' | 'ia3' | 'oft' | 'boft' | 'full' | 'dora';

export interface LoraKey {
  module: string;
  /** Layout family the suffix belongs to; null for parts shared by several (alpha, dora scale). */
  style: LoraKeyStyle | null;
  /** down/A = the [rank, in] factor, up/B = [out, rank]; lycoris parts keep their own name. */
  role: 'down' | 'up' | 'alpha' | 'scale' | 'part';
  algo?: LoraAlgo;
  part?: string;
}

type Rule = { re: RegExp; make: (m: RegExpExecArray) => LoraKey };

const RULES: Rule[] = [
  { re: /^(.+)\.(lora_down|lora_up)\.weight$/, make: (m) => ({ module: m[1]!, style: 'kohya', role: m[2] === 'lora_down' ? 'down' : 'up' }) },
  { re: /^(.+)\.alpha$/, make: (m) => ({ module: m[1]!, style: null, role: 'alpha' }) },
  { re: /^(.+)\.dora_scale$/, make: (m) => ({ module: m[1]!, style: null, role: 'scale', algo: 'dora' }) },
  { re: /^(.+)\.(lokr_w1|lokr_w1_a|lokr_w1_b|lokr_w2|lokr_w2_a|lokr_w2_b|lokr_t2)$/, make: lycoris('lokr') },
  { re: /^(.+)\.(hada_w1_a|hada_w1_b|hada_w2_a|hada_w2_b|hada_t1|hada_t2)$/, make: lycoris('loha') },
  { re: /^(lora_.+)\.(a1\.weight|a2\.weight|b1\.weight|b2\.weight)$/, make: lycoris('glora') },
  { re: /^(.+)\.(oft_blocks|oft_diag)$/, make: lycoris('oft') },
  { re: /^(.+)\.(oft_R\.weight|oft_R)$/, make: lycoris('boft') },
  { re: /^(lora_.+)\.(diff|diff_b)$/, make: lycoris('full') },
  { re: /^(lora_.+)\.(on_input)$/, make: lycoris('ia3') },
  { re: /^(.+)\.(lora_A|lora_B)(?:\.[A-Za-z0-9_-]+)?\.weight$/, make: (m) => ({ module: m[1]!, style: 'lora-ab', role: m[2] === 'lora_A' ? 'down' : 'up' }) },
  { re: /^(.+)\.(lora_embedding_A|lora_embedding_B)(?:\.[A-Za-z0-9_-]+)?$/, make: (m) => ({ module: m[1]!, style: 'lora-ab', role: m[2] === 'lora_embedding_A' ? 'down' : 'up' }) },
  { re: /^(.+)\.lora_magnitude_vector(?:\.[A-Za-z0-9_-]+)?(?:\.weight)?$/, make: (m) => ({ module: m[1]!, style: null, role: 'scale', algo: 'dora' }) },
  // diffusers attention-processor layout: `attn1.processor.to_q_lora.down.weight` patches `attn1.to_q`.
  {
    re: /^(.+)\.processor\.(to_q|to_k|to_v|to_out)_lora\.(down|up)\.weight$/,
    make: (m) => ({ module: `${m[1]}.${m[2] === 'to_out' ? 'to_out.0' : m[2]}`, style: 'diffusers-legacy', role: m[3] as 'down' | 'up' }),
  },
  { re: /^(.+)\.lora(?:_linear_layer)?\.(down|up)\.weight$/, make: (m) => ({ module: m[1]!, style: 'diffusers-legacy', role: m[2] as 'down' | 'up' }) },
];

function lycoris(algo: LoraAlgo) {
  return (m: RegExpExecArray): LoraKey => ({ module: m[1]!, style: 'lycoris', role: 'part', algo, part: m[2]! });
}

/** The module and role a tensor name encodes, or null when it is not a LoRA key. */
export function parseLoraKey(name: string): LoraKey | null {
  for (const { re, make } of RULES) {
    const m = re.exec(name);
    if (m) return make(m);
  }
  return null;
}
