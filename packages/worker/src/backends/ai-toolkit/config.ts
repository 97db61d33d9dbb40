// ai-toolkit job config, with the field names of its own example configs
// (config/examples/train_lora_flux_24gb.yaml, …_flux_schnell_24gb.yaml; the SDXL model keys
// follow its `is_xl` model flag and the UI's SDXL defaults: ddpm scheduler, no quantization).
import { join } from 'node:path';
import type { JobSpec } from '@lora-studio/protocol';
import type { GpuToolConfig } from '../gpu-common/config.ts';
import { modelSource, optimizerFor, runName, schedulerFor, stepsFor } from '../gpu-common/params.ts';
import type { BuiltCommand } from '../gpu-common/run-job.ts';
import { toYaml, type YamlValue } from '../gpu-common/yaml.ts';

export interface JobPaths {
  workDir: string;
  datasetDir: string;
}

/** Where ai-toolkit writes this run: `<training_folder>/<name>/`. */
export function aiToolkitLayout(spec: JobSpec, paths: JobPaths) {
  const name = runName(spec);
  const trainingFolder = join(paths.workDir, 'ai-toolkit', 'output');
  const runDir = join(trainingFolder, name);
  return {
    name,
    configFile: join('ai-toolkit', 'config.yaml'),
    trainingFolder,
    runDir,
    samplesDir: join(runDir, 'samples'),
    artifact: join(runDir, `${name}.safetensors`),
  };
}

export function aiToolkitPython(config: GpuToolConfig): string {
  return config.python ?? join(config.aiToolkitDir ?? '.', 'venv', 'bin', 'python');
}

const SCHNELL_ADAPTER = 'ostris/FLUX.1-schnell-training-adapter';

function isSchnell(spec: JobSpec): boolean {
  return /schnell/i.test(`${spec.base_model.id} ${spec.base_model.hf_repo ?? ''}`);
}

export function buildAiToolkitConfig(spec: JobSpec, paths: JobPaths, config: GpuToolConfig): BuiltCommand {
  const p = spec.params;
  const layout = aiToolkitLayout(spec, paths);
  const flux = spec.base_model.family === 'flux';
  const schnell = flux && isSchnell(spec);
  const warnings: string[] = [];
  const { steps, fromEpochs } = stepsFor(spec, 2000);
  if (fromEpochs) warnings.push(`ai-toolkit counts steps; ${p.epochs} epochs run as ${steps} steps`);
  const model = modelSource(spec, config);
  if (!model.pinnedLocally) {
    warnings.push(`ai-toolkit cannot pin a Hub revision; ${model.source} loads at its latest revision, not ${spec.base_model.revision}`);
  }

  const rank = p.rank ?? 16;
  const saveEvery = p.save_every ?? 250;
  const sampleEvery = p.sample_every ?? 0;
  const prompts = p.sample_prompts ?? [];
  const sampling = sampleEvery > 0 && prompts.length > 0;
  if (sampleEvery > 0 && prompts.length === 0) warnings.push('sample_every is set but there are no sample_prompts; sampling is off');

  let scheduler = schedulerFor('ai-toolkit', p.scheduler);
  let schedulerParams: { [k: string]: YamlValue } | undefined;
  if (p.warmup_steps) {
    if (!scheduler || scheduler === 'constant' || scheduler === 'constant_with_warmup') {
      scheduler = 'constant_with_warmup';
      schedulerParams = { num_warmup_steps: p.warmup_steps };
    } else {
      warnings.push(`ai-toolkit applies warmup_steps only with the constant scheduler; ignored with ${scheduler}`);
    }
  }
  const resolution = p.resolution ?? (flux ? undefined : 1024);

  const process: { [k: string]: YamlValue | undefined } = {
    type: 'sd_trainer',
    training_folder: layout.trainingFolder,
    device: 'cuda:0',
    trigger_word: spec.trigger_word ?? undefined,
    network: {
      type: 'lora',
      linear: rank,
      linear_alpha: p.alpha ?? rank,
      dropout: p.dropout,
      network_kwargs: p.target_modules?.length ? { only_if_contains: p.target_modules } : undefined,
    },
    save: {
      dtype: 'float16',
      save_every: saveEvery,
      // Keep every intermediate save: the runner uploads each one after it is reported.
      max_step_saves_to_keep: saveEvery > 0 ? Math.max(1, Math.min(1000, Math.floor(steps / saveEvery))) : 1,
      push_to_hub: false,
    },
    datasets: [
      {
        folder_path: paths.datasetDir,
        caption_ext: 'txt',
        caption_dropout_rate: p.caption_dropout ?? 0.05,
        shuffle_tokens: false,
        cache_latents_to_disk: true,
        resolution: resolution ? [resolution] : [512, 768, 1024],
      },
    ],
    train: {
      batch_size: p.batch_size ?? 1,
      steps,
      gradient_accumulation_steps: p.gradient_accumulation ?? 1,
      train_unet: true,
      train_text_encoder: false,
      gradient_checkpointing: true,
      noise_scheduler: flux ? 'flowmatch' : 'ddpm',
      optimizer: optimizerFor('ai-toolkit', p.optimizer, 'adamw8bit'),
      lr: p.learning_rate ?? 1e-4,
      lr_scheduler: scheduler,
      lr_scheduler_params: schedulerParams,
      optimizer_params: p.weight_decay !== undefined ? { weight_decay: p.weight_decay } : undefined,
      max_grad_norm: p.max_grad_norm,
      // A baseline render before step 1 costs minutes on Flux and tells the user nothing new.
      skip_first_sample: true,
      disable_sampling: !sampling,
      dtype: 'bf16',
    },
    model: flux
      ? {
          name_or_path: model.source,
          is_flux: true,
          quantize: true,
          assistant_lora_path: schnell ? SCHNELL_ADAPTER : undefined,
        }
      : { name_or_path: model.source, is_xl: true, quantize: false },
    sample: {
      sampler: flux ? 'flowmatch' : 'ddpm',
      sample_every: sampling ? sampleEvery : 0,
      width: resolution ?? 1024,
      height: resolution ?? 1024,
      prompts,
      neg: '',
      seed: p.seed ?? 42,
      walk_seed: true,
      guidance_scale: schnell ? 1 : flux ? 4 : 6,
      sample_steps: schnell ? 4 : flux ? 20 : 25,
    },
  };

  const doc = {
    job: 'extension',
    config: { name: layout.name, process: [process] },
    meta: { name: spec.model_name, version: '1.0' },
  };
  const aiToolkitDir = config.aiToolkitDir ?? '.';
  return {
    files: [{ name: layout.configFile, content: toYaml(doc, `# ai-toolkit config for job ${spec.job_id} (written by lora-studio-worker)`) }],
    argv: [aiToolkitPython(config), join(aiToolkitDir, 'run.py'), join(paths.workDir, layout.configFile)],
    cwd: aiToolkitDir,
    env: { PYTHONUNBUFFERED: '1', ...(p.seed !== undefined ? { SEED: String(p.seed) } : {}) },
    warnings,
  };
}
