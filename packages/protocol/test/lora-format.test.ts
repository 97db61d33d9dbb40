import { describe, expect, it } from 'vitest';
import { checkBaseFamily, detectLoraFormat, parseLoraKey } from '../src/lora-format.ts';
import { decodeSafetensors, encodeSafetensors, type EncodableTensor } from '../src/safetensors.ts';

// Small generated LoRA files in each layout: zeros except alpha scalars, shapes as the real tools write them.
const zeros = (shape: number[]): EncodableTensor => ({ dtype: 'F16', shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
const scalar = (v: number): EncodableTensor => ({ dtype: 'F32', shape: [], data: Float32Array.of(v) });

function kohyaPair(module: string, rank: number, inF: number, out: number, alpha: number): Record<string, EncodableTensor> {
  return {
    [`${module}.lora_down.weight`]: zeros([rank, inF]),
    [`${module}.lora_up.weight`]: zeros([out, rank]),
    [`${module}.alpha`]: scalar(alpha),
  };
}

function abPair(module: string, rank: number, inF: number, out: number): Record<string, EncodableTensor> {
  return { [`${module}.lora_A.weight`]: zeros([rank, inF]), [`${module}.lora_B.weight`]: zeros([out, rank]) };
}

function detect(tensors: Record<string, EncodableTensor>, metadata?: Record<string, string>, adapterConfig?: Record<string, unknown>) {
  const file = decodeSafetensors(encodeSafetensors(tensors, metadata));
  return detectLoraFormat(file, { readTensor: file.getTensor, ...(adapterConfig ? { adapterConfig } : {}) });
}

const sdxlKohya = {
  ...kohyaPair('lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q', 16, 640, 640, 8),
  ...kohyaPair('lora_unet_output_blocks_2_1_proj_in', 16, 1280, 1280, 8),
  ...kohyaPair('lora_te1_text_model_encoder_layers_0_self_attn_q_proj', 16, 768, 768, 8),
  ...kohyaPair('lora_te2_text_model_encoder_layers_0_self_attn_q_proj', 16, 1280, 1280, 8),
  // A conv module with its own rank: rank and alpha are the most common values.
  ...kohyaPair('lora_unet_input_blocks_1_0_in_layers_2', 4, 320, 320, 1),
};

describe('detectLoraFormat', () => {
  it('reads a kohya SDXL LoRA: rank, alpha from the alpha tensors, modules, text encoders, base hint', () => {
    const d = detect(sdxlKohya, { ss_network_module: 'networks.lora', ss_network_dim: '99', ss_network_alpha: '99', ss_base_model_version: 'sdxl_base_v1-0' });
    expect(d).toMatchObject({ format: 'kohya', algo: 'lora', rank: 16, alpha: 8, tensorCount: 15, unrecognizedTensorCount: 0, textEncoder: true, baseModelHint: 'sdxl_base_v1-0' });
    expect(d.targetModules).toEqual([
      'lora_te1_text_model_encoder_layers_0_self_attn_q_proj',
      'lora_te2_text_model_encoder_layers_0_self_attn_q_proj',
      'lora_unet_input_blocks_1_0_in_layers_2',
      'lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q',
      'lora_unet_output_blocks_2_1_proj_in',
    ]);
    expect(checkBaseFamily(d, 'sdxl')).toBeNull();
    expect(checkBaseFamily(d, 'flux')).toMatch(/made for SDXL/);
    expect(checkBaseFamily(d, 'llama')).toMatch(/made for SDXL/);
  });

  it('falls back to ss_network_alpha / ss_network_dim without a tensor reader or rank tensors', () => {
    const file = decodeSafetensors(encodeSafetensors(sdxlKohya, { ss_network_alpha: '4.0', ss_network_dim: '16' }));
    expect(detectLoraFormat(file)).toMatchObject({ rank: 16, alpha: 4, baseModelHint: null });
    const alphaOnly = decodeSafetensors(encodeSafetensors({ 'lora_unet_x.alpha': scalar(2) }, { ss_network_dim: '32' }));
    expect(detectLoraFormat(alphaOnly)).toMatchObject({ format: 'unknown', rank: 32, alpha: null });
  });

  it('judges SDXL by the key layout when no metadata names the base', () => {
    const d = detect(sdxlKohya);
    expect(checkBaseFamily(d, 'sdxl')).toBeNull();
    expect(checkBaseFamily(d, 'flux')).toMatch(/Stable Diffusion UNet/);
    const sd15 = detect({ ...kohyaPair('lora_unet_down_blocks_0_attentions_0_proj_in', 8, 320, 320, 8), ...kohyaPair('lora_te_text_model_encoder_layers_0_mlp_fc1', 8, 768, 3072, 8) });
    expect(checkBaseFamily(sd15, 'sdxl')).toMatch(/1\.x layout/);
  });

  it('reads a kohya Flux LoRA and a diffusers Flux LoRA', () => {
    const kohyaFlux = detect(
      { ...kohyaPair('lora_unet_double_blocks_0_img_attn_qkv', 16, 3072, 9216, 16), ...kohyaPair('lora_unet_single_blocks_3_linear1', 16, 3072, 21504, 16) },
      { ss_base_model_version: 'flux1', ss_network_module: 'networks.lora_flux' },
    );
    expect(kohyaFlux).toMatchObject({ format: 'kohya', rank: 16, alpha: 16, textEncoder: false });
    expect(checkBaseFamily(kohyaFlux, 'flux')).toBeNull();
    expect(checkBaseFamily(kohyaFlux, 'sdxl')).toMatch(/made for Flux/);
    const diffusersFlux = detect({
      ...abPair('transformer.single_transformer_blocks.0.attn.to_q', 32, 3072, 3072),
      ...abPair('transformer.transformer_blocks.5.ff.net.0.proj', 32, 3072, 12288),
    });
    expect(diffusersFlux).toMatchObject({ format: 'diffusers', algo: 'lora', rank: 32, alpha: null });
    expect(diffusersFlux.targetModules).toEqual(['transformer.single_transformer_blocks.0.attn.to_q', 'transformer.transformer_blocks.5.ff.net.0.proj']);
    expect(checkBaseFamily(diffusersFlux, 'flux')).toBeNull();
    expect(checkBaseFamily(diffusersFlux, 'sdxl')).toMatch(/Flux transformer/);
    expect(checkBaseFamily(diffusersFlux, 'mistral')).toMatch(/image LoRA/);
  });

  it('reads LyCORIS LoHa and LoKr under kohya names', () => {
    const loha = detect(
      {
        'lora_unet_down_blocks_1_attentions_0_proj_in.hada_w1_a': zeros([640, 8]),
        'lora_unet_down_blocks_1_attentions_0_proj_in.hada_w1_b': zeros([8, 640]),
        'lora_unet_down_blocks_1_attentions_0_proj_in.hada_w2_a': zeros([640, 8]),
        'lora_unet_down_blocks_1_attentions_0_proj_in.hada_w2_b': zeros([8, 640]),
        'lora_unet_down_blocks_1_attentions_0_proj_in.alpha': scalar(4),
      },
      { ss_network_module: 'lycoris.kohya', ss_network_args: '{"algo": "loha"}' },
    );
    expect(loha).toMatchObject({ format: 'kohya-lycoris', algo: 'loha', rank: 8, alpha: 4, targetModules: ['lora_unet_down_blocks_1_attentions_0_proj_in'] });
    const lokr = detect({
      'lora_te_text_model_encoder_layers_0_mlp_fc1.lokr_w1': zeros([8, 8]),
      'lora_te_text_model_encoder_layers_0_mlp_fc1.lokr_w2_a': zeros([384, 4]),
      'lora_te_text_model_encoder_layers_0_mlp_fc1.lokr_w2_b': zeros([4, 96]),
    });
    expect(lokr).toMatchObject({ format: 'kohya-lycoris', algo: 'lokr', rank: 4, textEncoder: true });
    const locon = detect(kohyaPair('lora_unet_down_blocks_0_resnets_0_conv1', 8, 320, 320, 1), { ss_network_module: 'lycoris.kohya', ss_network_args: '{"algo": "locon"}' });
    expect(locon).toMatchObject({ format: 'kohya-lycoris', algo: 'locon' });
  });

  it('reads diffusers legacy layouts, including the attention-processor spelling', () => {
    const d = detect({
      'unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_k.lora.down.weight': zeros([4, 320]),
      'unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_k.lora.up.weight': zeros([320, 4]),
      'unet.up_blocks.1.attentions.0.transformer_blocks.0.attn2.processor.to_out_lora.down.weight': zeros([4, 640]),
      'unet.up_blocks.1.attentions.0.transformer_blocks.0.attn2.processor.to_out_lora.up.weight': zeros([640, 4]),
      'text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_linear_layer.down.weight': zeros([4, 768]),
      'text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_linear_layer.up.weight': zeros([768, 4]),
    });
    expect(d).toMatchObject({ format: 'diffusers-legacy', rank: 4, alpha: null, textEncoder: true });
    expect(d.targetModules).toEqual([
      'text_encoder.text_model.encoder.layers.0.self_attn.q_proj',
      'unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_k',
      'unet.up_blocks.1.attentions.0.transformer_blocks.0.attn2.to_out.0',
    ]);
  });

  it('reads a PEFT Llama adapter with its adapter_config', () => {
    const tensors = {
      ...abPair('base_model.model.model.layers.0.self_attn.q_proj', 16, 4096, 4096),
      ...abPair('base_model.model.model.layers.0.self_attn.v_proj', 16, 4096, 1024),
      ...abPair('base_model.model.model.layers.31.mlp.down_proj', 16, 14336, 4096),
    };
    const config = { r: 16, lora_alpha: 32, base_model_name_or_path: 'meta-llama/Llama-3.1-8B-Instruct' };
    const d = detect(tensors, { format: 'pt' }, config);
    expect(d).toMatchObject({ format: 'peft', algo: 'lora', rank: 16, alpha: 32, textEncoder: false, baseModelHint: 'meta-llama/Llama-3.1-8B-Instruct', tensorCount: 6 });
    expect(checkBaseFamily(d, 'llama')).toBeNull();
    expect(checkBaseFamily(d, 'qwen')).toBe('made for Llama (meta-llama/Llama-3.1-8B-Instruct), not Qwen');
    expect(checkBaseFamily(d, 'flux')).toMatch(/made for Llama/);
    const anonymous = detect(tensors);
    expect(anonymous.alpha).toBeNull();
    expect(checkBaseFamily(anonymous, 'qwen')).toBeNull();
    expect(checkBaseFamily(anonymous, 'sdxl')).toMatch(/text-model adapter/);
  });

  it('refuses GPT-2 style and non-LoRA files for the text families', () => {
    const gpt2 = detect(abPair('base_model.model.transformer.h.0.attn.c_attn', 8, 768, 2304));
    expect(gpt2.format).toBe('peft');
    expect(checkBaseFamily(gpt2, 'mistral')).toMatch(/GPT-2 module names/);
    const base = detect({ 'model.layers.0.self_attn.q_proj.weight': zeros([4, 4]), 'lm_head.weight': zeros([8, 4]) });
    expect(base).toMatchObject({ format: 'unknown', rank: null, tensorCount: 2, unrecognizedTensorCount: 2, targetModules: [] });
    expect(base.algo).toBeUndefined();
    expect(checkBaseFamily(base, 'llama')).toMatch(/no LoRA tensors/);
  });

  it('recognises cpu-reference artifacts for the tiny family only', () => {
    const tinyImage = detect(kohyaPair('lora_unet_mid_block_attentions_0_proj_in', 8, 128, 64, 8), { ss_base_model_version: 'lora-studio-tiny-image-v1' });
    expect(checkBaseFamily(tinyImage, 'tiny')).toBeNull();
    expect(checkBaseFamily(tinyImage, 'flux')).toMatch(/cpu-reference/);
    const tinyText = detect(abPair('base_model.model.model.layers.0.self_attn.q_proj', 8, 64, 64), { format: 'pt', base_model_name_or_path: 'lora-studio-tiny-text-v1' });
    expect(checkBaseFamily(tinyText, 'tiny')).toBeNull();
    expect(checkBaseFamily(tinyText, 'llama')).toMatch(/tiny stand-in base/);
    expect(checkBaseFamily(detect(sdxlKohya), 'tiny')).toMatch(/names no base model/);
    expect(checkBaseFamily(detect(sdxlKohya, { ss_base_model_version: 'sdxl_base_v1-0' }), 'tiny')).toMatch(/made for SDXL/);
    const wrongLayout = detect(abPair('transformer.transformer_blocks.0.attn.to_q', 8, 64, 64), { base_model_name_or_path: 'lora-studio-tiny-image-v1' });
    expect(checkBaseFamily(wrongLayout, 'tiny')).toMatch(/do not match the tiny base/);
  });
});

describe('parseLoraKey', () => {
  it.each([
    ['lora_unet_a_b.lora_down.weight', { module: 'lora_unet_a_b', style: 'kohya', role: 'down' }],
    ['lora_te2_x.lora_up.weight', { module: 'lora_te2_x', style: 'kohya', role: 'up' }],
    ['lora_unet_a.alpha', { module: 'lora_unet_a', style: null, role: 'alpha' }],
    ['lora_unet_a.dora_scale', { module: 'lora_unet_a', role: 'scale', algo: 'dora' }],
    ['lora_unet_a.lokr_w2_b', { module: 'lora_unet_a', style: 'lycoris', algo: 'lokr', part: 'lokr_w2_b' }],
    ['m.layers.0.q_proj.lora_A.default.weight', { module: 'm.layers.0.q_proj', style: 'lora-ab', role: 'down' }],
    ['base_model.model.model.embed_tokens.lora_embedding_B', { module: 'base_model.model.model.embed_tokens', style: 'lora-ab', role: 'up' }],
    ['unet.x.attn1.processor.to_q_lora.up.weight', { module: 'unet.x.attn1.to_q', style: 'diffusers-legacy', role: 'up' }],
  ])('%s', (name, expected) => {
    expect(parseLoraKey(name)).toMatchObject(expected);
  });

  it('returns null for base-model weights', () => {
    expect(parseLoraKey('model.layers.0.self_attn.q_proj.weight')).toBeNull();
    expect(parseLoraKey('lora_unet_x')).toBeNull();
  });
});
