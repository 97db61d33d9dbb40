// Real LoRA files from the wild (../shared/fixtures/lora, see its PROVENANCE.md §5): each is
// detected as its layout, and the header we parse equals the raw header dumped next to it.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkBaseFamily,
  decodeSafetensors,
  detectLoraFormat,
  readSafetensorsHeaderFromStream,
  type SafetensorsHeader,
} from '../../packages/protocol/src/index.ts';

const root = fileURLToPath(new URL('../../../shared/fixtures/lora/', import.meta.url));

/** Our parsed header in the on-disk JSON shape, for comparison with the dumped *.header.json. */
function asRawJson(h: SafetensorsHeader): Record<string, unknown> {
  const tensors = Object.fromEntries(
    Object.entries(h.tensors).map(([name, t]) => [name, { data_offsets: t.dataOffsets, dtype: t.dtype, shape: t.shape }]),
  );
  return Object.keys(h.metadata).length > 0 ? { __metadata__: h.metadata, ...tensors } : tensors;
}

function load(rel: string, adapterConfig?: string) {
  const path = root + rel;
  const file = decodeSafetensors(readFileSync(path));
  const config = adapterConfig ? (JSON.parse(readFileSync(root + adapterConfig, 'utf8')) as Record<string, unknown>) : undefined;
  const detected = detectLoraFormat(file, { readTensor: file.getTensor, ...(config ? { adapterConfig: config } : {}) });
  const dumped = JSON.parse(readFileSync(`${path}.header.json`, 'utf8')) as Record<string, unknown>;
  return { path, file, detected, dumped };
}

describe('real LoRA artifacts', () => {
  it('PEFT adapter for gpt2 (r=8, alpha 32, c_attn)', async () => {
    const { path, file, detected, dumped } = load('peft_gpt2/adapter_model.safetensors', 'peft_gpt2/adapter_config.json');
    expect(asRawJson(file)).toEqual(dumped);
    expect(detected).toMatchObject({ format: 'peft', algo: 'lora', rank: 8, alpha: 32, tensorCount: 24, unrecognizedTensorCount: 0, baseModelHint: 'gpt2', textEncoder: false, metadata: { format: 'pt' } });
    expect(detected.targetModules).toHaveLength(12);
    expect(detected.targetModules.every((m) => /^base_model\.model\.transformer\.h\.\d+\.attn\.c_attn$/.test(m))).toBe(true);
    expect(checkBaseFamily(detected, 'llama')).toMatch(/GPT-2/);
    expect(checkBaseFamily(detected, 'sdxl')).not.toBeNull();
    // The same header, read from the start of a file stream without the weights.
    const streamed = await readSafetensorsHeaderFromStream(createReadStream(path, { highWaterMark: 1024 }), { fileSize: statSync(path).size });
    expect(asRawJson(streamed)).toEqual(dumped);
  });

  it('LyCORIS LoKr with kohya naming and ss_* metadata (dim 4)', () => {
    const { file, detected, dumped } = load('lycoris_lokr_kohya_naming/smart_falcon_4_lokr.safetensors');
    expect(asRawJson(file)).toEqual(dumped);
    expect(detected).toMatchObject({ format: 'kohya-lycoris', algo: 'lokr', rank: 4, alpha: 4, tensorCount: 1750, unrecognizedTensorCount: 0, textEncoder: true });
    expect(detected.targetModules).toHaveLength(350);
    expect(detected.metadata.ss_network_dim).toBe('4');
    expect(detected.metadata.ss_network_module).toBe('lycoris.kohya');
    expect(detected.baseModelHint).toBe('animefull-final-pruned.safetensors');
    // An SD 1.x model: neither SDXL nor Flux nor a text model.
    expect(checkBaseFamily(detected, 'sdxl')).toMatch(/1\.x layout/);
    expect(checkBaseFamily(detected, 'flux')).not.toBeNull();
    expect(checkBaseFamily(detected, 'llama')).toMatch(/image LoRA/);
  });

  it('diffusers legacy attention-processor LoRA (rank 4)', () => {
    const { file, detected, dumped } = load('diffusers_legacy_attnproc/pytorch_lora_weights.safetensors');
    expect(asRawJson(file)).toEqual(dumped);
    expect(detected).toMatchObject({ format: 'diffusers-legacy', algo: 'lora', rank: 4, alpha: null, tensorCount: 256, unrecognizedTensorCount: 0, baseModelHint: null, textEncoder: false });
    expect(detected.targetModules).toHaveLength(128);
    expect(detected.targetModules).toContain('unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_k');
    expect(checkBaseFamily(detected, 'sdxl')).toMatch(/1\.x layout/);
    expect(checkBaseFamily(detected, 'tiny')).not.toBeNull();
  });
});
