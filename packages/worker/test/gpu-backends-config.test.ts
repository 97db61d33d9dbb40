// Golden configs: buildConfig for fixed specs must produce exactly the committed files.
// Regenerate after an intended change with `npx vitest run packages/worker/test/gpu-backends-config -u`
// and review the diff like code.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAiToolkitConfig } from '../src/backends/ai-toolkit/index.ts';
import { buildAxolotlConfig } from '../src/backends/axolotl/index.ts';
import type { GpuToolConfig } from '../src/backends/gpu-common/config.ts';
import type { BuiltCommand } from '../src/backends/gpu-common/run-job.ts';
import { toToml } from '../src/backends/gpu-common/toml.ts';
import { formatNumber, toYaml } from '../src/backends/gpu-common/yaml.ts';
import { buildKohyaConfig } from '../src/backends/kohya/index.ts';
import { GOLDEN, makeSpec } from './fixtures/gpu-fixtures.ts';

const paths = { workDir: '/srv/jobs/job_golden01', datasetDir: '/srv/jobs/job_golden01/dataset' };
const tools: GpuToolConfig = {
  aiToolkitDir: '/opt/ai-toolkit',
  kohyaDir: '/opt/sd-scripts',
  axolotlCommand: '/opt/axolotl/.venv/bin/axolotl',
};

async function expectGolden(name: string, built: BuiltCommand) {
  for (const f of built.files) {
    await expect(f.content).toMatchFileSnapshot(join(GOLDEN, `${name}.${f.name.split('/').pop()}`));
  }
  const { files, ...command } = built;
  const listed = { files: files.map((f) => f.name), ...command };
  await expect(`${JSON.stringify(listed, null, 2)}\n`).toMatchFileSnapshot(join(GOLDEN, `${name}.command.json`));
}

const imageParams = {
  steps: 1500,
  learning_rate: 0.0004,
  batch_size: 1,
  rank: 32,
  alpha: 16,
  save_every: 250,
  sample_every: 500,
  sample_prompts: ['[trigger] portrait, studio light', 'a photo of [trigger] at the beach'],
  seed: 7,
  caption_dropout: 0.05,
};

describe('ai-toolkit config', () => {
  it('Flux dev: quantized flowmatch training with samples', async () => {
    await expectGolden('ai-toolkit-flux-dev', buildAiToolkitConfig(makeSpec({ params: imageParams }), paths, tools));
  });

  it('Flux schnell: the training adapter, 1.0 guidance and 4 sample steps', async () => {
    const spec = makeSpec({
      base_model: { id: 'flux-schnell', hf_repo: 'black-forest-labs/FLUX.1-schnell' },
      params: { steps: 800, warmup_steps: 50, weight_decay: 0.0001, sample_every: 200, sample_prompts: ['[trigger] in a forest'] },
    });
    const built = buildAiToolkitConfig(spec, paths, tools);
    await expectGolden('ai-toolkit-flux-schnell', built);
    expect(built.files[0]?.content).toContain('assistant_lora_path: "ostris/FLUX.1-schnell-training-adapter"');
  });

  it('SDXL from a pinned local path, epochs turned into steps', async () => {
    const spec = makeSpec({
      base_model: { id: 'sdxl-base', family: 'sdxl', hf_repo: 'stabilityai/stable-diffusion-xl-base-1.0' },
      params: { epochs: 10, batch_size: 2, resolution: 1024, optimizer: 'adamw', scheduler: 'cosine', warmup_steps: 100 },
      trigger_word: null,
    });
    const built = buildAiToolkitConfig(spec, paths, { ...tools, modelPaths: { 'sdxl-base': '/models/sdxl-base-1.0' } });
    await expectGolden('ai-toolkit-sdxl', built);
    // 12 images / batch 2 = 6 steps per epoch.
    expect(built.files[0]?.content).toContain('steps: 60');
    expect(built.warnings).toContain('ai-toolkit applies warmup_steps only with the constant scheduler; ignored with cosine');
  });
});

describe('kohya sd-scripts config', () => {
  it('SDXL LoRA: dataset TOML, prompts file and accelerate command line', async () => {
    const spec = makeSpec({
      base_model: { id: 'sdxl-base', family: 'sdxl', hf_repo: 'stabilityai/stable-diffusion-xl-base-1.0' },
      params: { ...imageParams, weight_decay: 0.01, warmup_steps: 100, scheduler: 'cosine', sample_prompts: ['[trigger] --n blurry\nportrait'] },
    });
    const built = buildKohyaConfig(spec, paths, tools);
    await expectGolden('kohya-sdxl', built);
    // A prompt cannot smuggle its own sd-scripts options in.
    expect(built.files[1]?.content).toBe('p3r5on -n blurry portrait --w 1024 --h 1024 --d 7 --l 6 --s 28\n');
  });

  it('keeps text-encoder outputs uncached when captions drop out, and trains by epochs when asked', () => {
    const spec = makeSpec({ base_model: { id: 'sdxl-base', family: 'sdxl' }, params: { epochs: 4, caption_dropout: 0.1 } });
    const { argv } = buildKohyaConfig(spec, paths, tools);
    expect(argv).toContain('--max_train_epochs=4');
    expect(argv).not.toContain('--cache_text_encoder_outputs');
    expect(argv.some((a) => a.startsWith('--max_train_steps'))).toBe(false);
  });
});

describe('axolotl config', () => {
  it('Llama chat LoRA over the OpenAI messages JSONL', async () => {
    const spec = makeSpec({
      modality: 'text',
      kind: 'chat',
      base_model: { id: 'llama-3.2-1b', family: 'llama', revision: 'main', hf_repo: 'meta-llama/Llama-3.2-1B-Instruct' },
      params: { epochs: 3, learning_rate: 0.0002, batch_size: 4, rank: 16, alpha: 32, dropout: 0.05, max_seq_len: 4096, warmup_steps: 10, save_every: 100, seed: 1 },
      dataset: { format: 'jsonl', count: 500 },
      trigger_word: null,
    });
    await expectGolden('axolotl-llama', buildAxolotlConfig(spec, paths, tools));
  });
});

describe('config writers', () => {
  it('writes floats PyYAML reads as floats and strings it cannot misread', () => {
    expect(formatNumber(0.0001)).toBe('0.0001');
    expect(formatNumber(2e-7)).toBe('2.0e-07');
    expect(formatNumber(1.5e-7)).toBe('1.5e-07');
    expect(toYaml({ a: 'yes', b: 'null', c: '1e-4', d: [] })).toBe('a: "yes"\nb: "null"\nc: "1e-4"\nd: []\n');
  });

  it('nests TOML arrays of tables under their parent', () => {
    const text = toToml({ general: { x: 1 }, datasets: [{ r: 2, subsets: [{ dir: 'C:\\a' }] }] });
    expect(text).toBe('[general]\nx = 1\n\n[[datasets]]\nr = 2\n\n[[datasets.subsets]]\ndir = "C:\\\\a"\n');
  });
});
