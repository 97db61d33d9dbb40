import { encodeSafetensors, parseSafetensorsHeader } from '@lora-studio/protocol';
import { describe, expect, it } from 'vitest';
import { checkPeftConfig, type PeftRequest } from '@/server/jobs/finalize/peft';

// Real safetensors headers (encoded, then parsed); the check reads names and shapes only.
function header(modules: Record<string, number>) {
  const tensors: Record<string, { dtype: 'F32'; shape: number[]; data: Float32Array }> = {};
  for (const [m, r] of Object.entries(modules)) {
    tensors[`base_model.model.model.layers.0.self_attn.${m}.lora_A.weight`] = { dtype: 'F32', shape: [r, 64], data: new Float32Array(r * 64) };
    tensors[`base_model.model.model.layers.0.self_attn.${m}.lora_B.weight`] = { dtype: 'F32', shape: [64, r], data: new Float32Array(64 * r) };
  }
  return parseSafetensorsHeader(encodeSafetensors(tensors, { format: 'pt' }));
}
const req = (over: Partial<PeftRequest> = {}): PeftRequest => ({
  params: { rank: 8, alpha: 16, target_modules: ['q_proj', 'v_proj'] },
  backend: 'axolotl',
  base: { id: 'llama-3.1-8b-instruct', hfRepo: 'meta-llama/Llama-3.1-8B-Instruct' },
  ...over,
});
const config = (over: Record<string, unknown> = {}) => ({
  peft_type: 'LORA',
  r: 8,
  lora_alpha: 16,
  target_modules: ['v_proj', 'q_proj'],
  base_model_name_or_path: 'meta-llama/Llama-3.1-8B-Instruct',
  ...over,
});

describe('adapter_config.json vs request and tensors', () => {
  it('a consistent adapter passes (target order does not matter; repo case does not matter)', () => {
    expect(checkPeftConfig(header({ q_proj: 8, v_proj: 8 }), config({ base_model_name_or_path: 'META-LLAMA/Llama-3.1-8B-Instruct' }), req())).toBeNull();
  });

  it('rank_pattern overrides r for the modules it names', () => {
    const h = header({ q_proj: 8, v_proj: 4 });
    expect(checkPeftConfig(h, config(), req())).toMatch(/v_proj\.lora_A has shape \[4, 64\], but r=8/);
    expect(checkPeftConfig(h, config({ rank_pattern: { v_proj: 4 } }), req())).toBeNull();
  });

  it('a lora_A without its lora_B, or no LoRA tensors at all, is refused', () => {
    const onlyA = parseSafetensorsHeader(
      encodeSafetensors({ 'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight': { dtype: 'F32', shape: [8, 64], data: new Float32Array(512) } }),
    );
    expect(checkPeftConfig(onlyA, config(), req())).toMatch(/q_proj has lora_A but no lora_B/);
    expect(checkPeftConfig(header({}), config(), req())).toMatch(/no lora_A \/ lora_B tensors/);
  });

  it('a regex or all-linear target_modules covers the tensors by full match; a request of all-linear is not compared', () => {
    const h = header({ q_proj: 8, v_proj: 8 });
    const all = req({ params: { rank: 8, alpha: 16, target_modules: ['all-linear'] } });
    expect(checkPeftConfig(h, config({ target_modules: '.*\\.(q_proj|v_proj)' }), all)).toBeNull();
    expect(checkPeftConfig(h, config({ target_modules: 'all-linear' }), all)).toBeNull();
    expect(checkPeftConfig(h, config({ target_modules: '.*\\.q_proj' }), all)).toMatch(/v_proj is adapted but not in target_modules/);
  });

  it('a real trainer must cover every requested module; cpu-reference may skip ones its tiny base lacks', () => {
    const h = header({ q_proj: 8 });
    const asked = { rank: 8, alpha: 16, target_modules: ['q_proj', 'v_proj'] };
    expect(checkPeftConfig(h, config({ target_modules: ['q_proj'] }), req({ params: asked }))).toBe('adapter_config.json target_modules [q_proj] lack [v_proj], which the job asked for');
    expect(checkPeftConfig(h, config({ target_modules: ['q_proj'], base_model_name_or_path: 'lora-studio-tiny-text-v1' }), req({ params: asked, backend: 'cpu-reference' }))).toBeNull();
  });

  it('base_model_name_or_path: the requested repo, an operator-pinned absolute path, or (cpu-reference only) the tiny base', () => {
    const h = header({ q_proj: 8, v_proj: 8 });
    expect(checkPeftConfig(h, config({ base_model_name_or_path: '/models/hub/models--meta-llama--Llama-3.1-8B-Instruct/snapshots/abc' }), req())).toBeNull();
    expect(checkPeftConfig(h, config({ base_model_name_or_path: 'lora-studio-tiny-text-v1' }), req())).toMatch(/trained on lora-studio-tiny-text-v1/);
    expect(checkPeftConfig(h, config({ base_model_name_or_path: 'lora-studio-tiny-text-v1' }), req({ backend: 'cpu-reference' }))).toBeNull();
    expect(checkPeftConfig(h, config({ base_model_name_or_path: null }), req())).toMatch(/names no base_model_name_or_path/);
  });

  it('peft_type, r and lora_alpha must be present and sane; unset request fields are not compared', () => {
    const h = header({ q_proj: 8, v_proj: 8 });
    expect(checkPeftConfig(h, config({ peft_type: 'IA3' }), req())).toBe('adapter_config.json has peft_type IA3, not LORA');
    expect(checkPeftConfig(h, config({ r: '8' }), req())).toBe('adapter_config.json has no valid r');
    expect(checkPeftConfig(h, config({ lora_alpha: 0 }), req())).toBe('adapter_config.json has no valid lora_alpha');
    expect(checkPeftConfig(h, config({ lora_alpha: 99 }), req({ params: { rank: 8 } }))).toBeNull();
  });
});
