// sd-scripts SDXL LoRA run: a dataset TOML (docs/config_README-en.md: [general],
// [[datasets]], [[datasets.subsets]]) plus `accelerate launch … sdxl_train_network.py` with the
// arguments of docs/sdxl_train_network.md and docs/train_network.md.
import { join } from 'node:path';
import type { JobSpec } from '@lora-studio/protocol';
import type { GpuToolConfig } from '../gpu-common/config.ts';
import { modelSource, optimizerFor, runName, schedulerFor, withTrigger } from '../gpu-common/params.ts';
import type { BuiltCommand } from '../gpu-common/run-job.ts';
import { toToml } from '../gpu-common/toml.ts';
import { formatNumber } from '../gpu-common/yaml.ts';

export interface JobPaths {
  workDir: string;
  datasetDir: string;
}

export function kohyaLayout(spec: JobSpec, paths: JobPaths) {
  const name = runName(spec);
  const outputDir = join(paths.workDir, 'kohya', 'output');
  return {
    name,
    datasetFile: join('kohya', 'dataset.toml'),
    promptsFile: join('kohya', 'sample_prompts.txt'),
    outputDir,
    samplesDir: join(outputDir, 'sample'),
    artifact: join(outputDir, `${name}.safetensors`),
  };
}

export function accelerateFor(config: GpuToolConfig): string {
  return config.accelerate ?? join(config.kohyaDir ?? '.', 'venv', 'bin', 'accelerate');
}

// sd-scripts reads "--n/--w/--h/--d/--l/--s" options out of each prompt line, so a prompt
// must not contain " --" itself, nor a line break.
function promptLine(prompt: string, size: number, seed: number): string {
  const text = prompt.replace(/\s+/g, ' ').replace(/(^|\s)--/g, '$1-').trim();
  return `${text} --w ${size} --h ${size} --d ${seed} --l 6 --s 28`;
}

export function buildKohyaConfig(spec: JobSpec, paths: JobPaths, config: GpuToolConfig): BuiltCommand {
  const p = spec.params;
  const layout = kohyaLayout(spec, paths);
  const warnings: string[] = [];
  const trigger = spec.trigger_word;
  const resolution = p.resolution ?? 1024;
  const rank = p.rank ?? 16;
  const captionDropout = p.caption_dropout ?? 0;
  const model = modelSource(spec, config);
  if (!model.pinnedLocally) {
    warnings.push(`sd-scripts cannot pin a Hub revision; ${model.source} loads at its latest revision, not ${spec.base_model.revision}`);
  }
  if (p.target_modules?.length) warnings.push('sd-scripts networks.lora picks its own modules; target_modules is ignored');

  const dataset = toToml(
    {
      general: { caption_extension: '.txt', shuffle_caption: false },
      datasets: [
        {
          resolution,
          batch_size: p.batch_size ?? 1,
          enable_bucket: true,
          bucket_no_upscale: true,
          min_bucket_reso: 256,
          max_bucket_reso: Math.max(2048, resolution),
          bucket_reso_steps: 64,
          subsets: [
            {
              image_dir: paths.datasetDir,
              num_repeats: 1,
              caption_dropout_rate: captionDropout,
              // The trigger word leads every caption; an image without a caption trains on it alone.
              ...(trigger ? { caption_prefix: `${trigger}, `, class_tokens: trigger } : {}),
            },
          ],
        },
      ],
    },
    `# sd-scripts dataset config for job ${spec.job_id} (written by lora-studio-worker)`,
  );

  const prompts = p.sample_prompts ?? [];
  const sampleEvery = p.sample_every ?? 0;
  const sampling = sampleEvery > 0 && prompts.length > 0;
  if (sampleEvery > 0 && prompts.length === 0) warnings.push('sample_every is set but there are no sample_prompts; sampling is off');
  const seed = p.seed ?? 42;
  const files = [{ name: layout.datasetFile, content: dataset }];
  if (sampling) {
    const lines = prompts.map((pr, i) => promptLine(withTrigger(pr, trigger), resolution, seed + i));
    files.push({ name: layout.promptsFile, content: `${lines.join('\n')}\n` });
  }

  const arg = (k: string, v: string | number) => `--${k}=${typeof v === 'number' ? formatNumber(v) : v}`;
  const kohyaDir = config.kohyaDir ?? '.';
  const argv = [
    accelerateFor(config),
    'launch',
    '--num_cpu_threads_per_process',
    '1',
    join(kohyaDir, 'sdxl_train_network.py'),
    arg('pretrained_model_name_or_path', model.source),
    arg('dataset_config', join(paths.workDir, layout.datasetFile)),
    arg('output_dir', layout.outputDir),
    arg('output_name', layout.name),
    arg('save_model_as', 'safetensors'),
    arg('network_module', 'networks.lora'),
    arg('network_dim', rank),
    arg('network_alpha', p.alpha ?? rank),
    ...(p.dropout !== undefined ? [arg('network_dropout', p.dropout)] : []),
    '--network_train_unet_only',
    arg('learning_rate', p.learning_rate ?? 1e-4),
    arg('optimizer_type', optimizerFor('kohya', p.optimizer, 'AdamW8bit')),
    ...(p.weight_decay !== undefined ? ['--optimizer_args', `weight_decay=${formatNumber(p.weight_decay)}`] : []),
    arg('lr_scheduler', schedulerFor('kohya', p.scheduler) ?? 'constant'),
    ...(p.warmup_steps ? [arg('lr_warmup_steps', p.warmup_steps)] : []),
    ...(p.steps || !p.epochs ? [arg('max_train_steps', p.steps ?? 2000)] : [arg('max_train_epochs', p.epochs ?? 1)]),
    arg('gradient_accumulation_steps', p.gradient_accumulation ?? 1),
    ...(p.max_grad_norm !== undefined ? [arg('max_grad_norm', p.max_grad_norm)] : []),
    arg('mixed_precision', 'bf16'),
    arg('save_precision', 'fp16'),
    '--gradient_checkpointing',
    '--sdpa',
    '--cache_latents',
    // Cached text-encoder outputs make captions fixed, which would switch caption dropout off.
    ...(captionDropout > 0 ? [] : ['--cache_text_encoder_outputs']),
    arg('max_data_loader_n_workers', 2),
    arg('seed', seed),
    ...(p.save_every ? [arg('save_every_n_steps', p.save_every)] : []),
    ...(sampling
      ? [
          arg('sample_every_n_steps', sampleEvery),
          arg('sample_prompts', join(paths.workDir, layout.promptsFile)),
          arg('sample_sampler', 'euler_a'),
        ]
      : []),
  ];
  return { files, argv, cwd: kohyaDir, env: { PYTHONUNBUFFERED: '1' }, warnings };
}
