// Issue #11 / #9: every enumerated optimizer and scheduler reaches each trainer as a fixed
// string from the backend's table — checked here in the config / command line the worker
// really generates — and anything else (a `module.Class`, a flag) never reaches it.
import { OPTIMIZER_IDS, SCHEDULER_IDS, type JobSpec } from '@lora-studio/protocol';
import { describe, expect, it } from 'vitest';
import { buildAiToolkitConfig } from '../../packages/worker/src/backends/ai-toolkit/index.ts';
import { buildAxolotlConfig } from '../../packages/worker/src/backends/axolotl/index.ts';
import type { BuiltCommand } from '../../packages/worker/src/backends/gpu-common/run-job.ts';
import { buildKohyaConfig } from '../../packages/worker/src/backends/kohya/index.ts';
import { makeSpec } from '../../packages/worker/test/fixtures/gpu-fixtures.ts';

const paths = { workDir: '/srv/jobs/job_table', datasetDir: '/srv/jobs/job_table/dataset' };
const tools = { aiToolkitDir: '/opt/ai-toolkit', kohyaDir: '/opt/sd-scripts', axolotlCommand: '/opt/axolotl/.venv/bin/axolotl' };

// What each tool's own code accepts (ai-toolkit toolkit/optimizer.py and scheduler.py; sd-scripts
// train_util.get_optimizer; transformers OptimizerNames / SchedulerType). null: not offered.
const OPTIMIZER: Record<string, Record<(typeof OPTIMIZER_IDS)[number], string | null>> = {
  'ai-toolkit': { adamw: 'adamw', adamw8bit: 'adamw8bit', adafactor: 'adafactor', prodigy: 'prodigy', lion: 'lion', lion8bit: 'lion8bit', sgd: null, adamw_torch: null, adamw_torch_fused: null, adamw_8bit: null, paged_adamw_8bit: null, lion_32bit: null },
  kohya: { adamw: 'AdamW', adamw8bit: 'AdamW8bit', adafactor: 'Adafactor', prodigy: 'Prodigy', lion: 'Lion', lion8bit: 'Lion8bit', sgd: 'SGDNesterov', adamw_torch: null, adamw_torch_fused: null, adamw_8bit: null, paged_adamw_8bit: null, lion_32bit: null },
  axolotl: { adamw: 'adamw_torch', adamw8bit: 'adamw_8bit', adafactor: 'adafactor', prodigy: null, lion: 'lion_32bit', lion8bit: 'lion_8bit', sgd: 'sgd', adamw_torch: 'adamw_torch', adamw_torch_fused: 'adamw_torch_fused', adamw_8bit: 'adamw_8bit', paged_adamw_8bit: 'paged_adamw_8bit', lion_32bit: 'lion_32bit' },
};
const SCHEDULER: Record<string, Record<(typeof SCHEDULER_IDS)[number], string | null>> = {
  'ai-toolkit': { cosine: 'cosine', linear: 'linear', constant: 'constant', constant_with_warmup: 'constant_with_warmup', cosine_with_restarts: 'cosine_with_restarts', polynomial: null },
  kohya: { cosine: 'cosine', linear: 'linear', constant: 'constant', constant_with_warmup: 'constant_with_warmup', cosine_with_restarts: 'cosine_with_restarts', polynomial: 'polynomial' },
  axolotl: { cosine: 'cosine', linear: 'linear', constant: 'constant', constant_with_warmup: 'constant_with_warmup', cosine_with_restarts: 'cosine_with_restarts', polynomial: 'polynomial' },
};

type Params = JobSpec['params'];
const BACKENDS: Record<string, { build: (p: Params) => BuiltCommand; optimizerIn: (b: BuiltCommand) => string | undefined; schedulerIn: (b: BuiltCommand) => string | undefined }> = {
  'ai-toolkit': {
    build: (params) => buildAiToolkitConfig(makeSpec({ params: { steps: 100, ...params } }), paths, tools),
    optimizerIn: (b) => /^\s+optimizer: "([^"]*)"$/m.exec(b.files[0]!.content)?.[1],
    schedulerIn: (b) => /^\s+lr_scheduler: "([^"]*)"$/m.exec(b.files[0]!.content)?.[1],
  },
  kohya: {
    build: (params) => buildKohyaConfig(makeSpec({ base_model: { id: 'sdxl-base-1.0', family: 'sdxl', hf_repo: 'stabilityai/stable-diffusion-xl-base-1.0' }, params: { steps: 100, ...params } }), paths, tools),
    optimizerIn: (b) => b.argv.find((a) => a.startsWith('--optimizer_type='))?.slice('--optimizer_type='.length),
    schedulerIn: (b) => b.argv.find((a) => a.startsWith('--lr_scheduler='))?.slice('--lr_scheduler='.length),
  },
  axolotl: {
    build: (params) =>
      buildAxolotlConfig(
        makeSpec({ modality: 'text', kind: 'chat', base_model: { id: 'llama-3.1-8b-instruct', family: 'llama', hf_repo: 'meta-llama/Llama-3.1-8B-Instruct' }, dataset: { format: 'jsonl', count: 50 }, params: { epochs: 1, ...params } }),
        paths,
        tools,
      ),
    optimizerIn: (b) => /^optimizer: "([^"]*)"$/m.exec(b.files[0]!.content)?.[1],
    schedulerIn: (b) => /^lr_scheduler: "([^"]*)"$/m.exec(b.files[0]!.content)?.[1],
  },
};

const everything = (b: BuiltCommand) => [...b.argv, ...b.files.map((f) => f.content)].join('\n');

describe.each(Object.keys(BACKENDS))('%s: optimizer and scheduler from the fixed table', (backend) => {
  const b = BACKENDS[backend]!;

  it.each([...OPTIMIZER_IDS])('optimizer %s', (id) => {
    const expected = OPTIMIZER[backend]![id];
    if (expected === null) {
      expect(() => b.build({ optimizer: id })).toThrow(expect.objectContaining({ code: 'invalid_params' }));
    } else {
      expect(b.optimizerIn(b.build({ optimizer: id }))).toBe(expected);
    }
  });

  it.each([...SCHEDULER_IDS])('scheduler %s', (id) => {
    const expected = SCHEDULER[backend]![id];
    if (expected === null) {
      expect(() => b.build({ scheduler: id })).toThrow(expect.objectContaining({ code: 'invalid_params' }));
    } else {
      expect(b.schedulerIn(b.build({ scheduler: id }))).toBe(expected);
    }
  });

  it('a free-form optimizer or scheduler (a spec that skipped validation) never reaches the tool', () => {
    for (const evil of ['bitsandbytes.optim.AdamW8bit', 'os.system', 'AdamW8bit --lr_scheduler_type=os.system']) {
      expect(() => b.build({ optimizer: evil } as unknown as Params), evil).toThrow(expect.objectContaining({ code: 'invalid_params' }));
      expect(() => b.build({ scheduler: evil } as unknown as Params), evil).toThrow(expect.objectContaining({ code: 'invalid_params' }));
    }
    // The unset defaults are fixed strings too.
    const plain = b.build({});
    expect(everything(plain)).not.toMatch(/os\.system|bitsandbytes\.optim/);
    expect(b.optimizerIn(plain)).toBe({ 'ai-toolkit': 'adamw8bit', kohya: 'AdamW8bit', axolotl: 'adamw_8bit' }[backend]);
  });
});
