// kohya sd-scripts backend (SDXL): `accelerate launch sdxl_train_network.py …` in the tool's
// checkout, progress from its "steps" bar, checkpoints and samples from its output folder.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobSpec } from '@lora-studio/protocol';
import { BackendFailed, type BackendContext, type BackendResult, type TrainerBackend } from '../types.ts';
import { isFile, resolveExecutable, type GpuToolConfig } from '../gpu-common/config.ts';
import type { WatchRule } from '../gpu-common/output-watcher.ts';
import { checkpointRule, sampleRule } from '../gpu-common/watch-rules.ts';
import { withTrigger } from '../gpu-common/params.ts';
import { runGpuJob } from '../gpu-common/run-job.ts';
import { accelerateFor, buildKohyaConfig, kohyaLayout, type JobPaths } from './config.ts';
import { KohyaParser } from './parser.ts';

export { buildKohyaConfig, kohyaLayout } from './config.ts';
export { KohyaParser } from './parser.ts';

export function kohyaWatchRules(spec: JobSpec, paths: JobPaths): WatchRule[] {
  const layout = kohyaLayout(spec, paths);
  const prompts = spec.params.sample_prompts ?? [];
  // train_util: STEP_FILE_NAME "{}-step{:08d}", sample "{name}_{steps:06d}_{i:02d}_{ts}[_{seed}].png"
  const ckpt = new RegExp(`^${layout.name}-step(\\d+)\\.safetensors$`);
  const sample = new RegExp(`^${layout.name}_(\\d+)_(\\d+)_\\d+(?:_\\d+)?\\.(png|jpe?g|webp)$`);
  return [checkpointRule(layout.outputDir, ckpt), sampleRule(layout.samplesDir, sample, prompts, (p) => withTrigger(p, spec.trigger_word))];
}

export function createKohyaBackend(config: GpuToolConfig): TrainerBackend {
  return {
    id: 'kohya',
    cannotRun(spec: JobSpec): string | null {
      if (spec.modality !== 'image') return `kohya sd-scripts trains image LoRAs; this job is ${spec.modality}`;
      if (spec.base_model.family !== 'sdxl') return `kohya backend supports sdxl base models, not ${spec.base_model.family}`;
      if (!config.kohyaDir) return 'kohya sd-scripts is not configured on this worker (kohyaDir)';
      if (!isFile(join(config.kohyaDir, 'sdxl_train_network.py'))) {
        return `no sd-scripts checkout at ${config.kohyaDir} (sdxl_train_network.py missing)`;
      }
      const accelerate = accelerateFor(config);
      if (!resolveExecutable(accelerate, config.env)) return `accelerate for sd-scripts not found: ${accelerate}`;
      return null;
    },
    async run(ctx: BackendContext): Promise<BackendResult> {
      const paths = { workDir: ctx.workDir, datasetDir: ctx.datasetDir };
      const layout = kohyaLayout(ctx.spec, paths);
      const parser = new KohyaParser(ctx.spec.params.batch_size ?? 1);
      const exit = await runGpuJob({
        tool: 'kohya sd-scripts',
        ctx,
        built: buildKohyaConfig(ctx.spec, paths, config),
        parser,
        watch: kohyaWatchRules(ctx.spec, paths),
        config,
      });
      if (!existsSync(layout.artifact)) {
        throw new BackendFailed('backend_error', `kohya sd-scripts finished without writing ${layout.artifact}`, exit.lastLines);
      }
      return {
        artifactPath: layout.artifact,
        extraFiles: [],
        summary: {
          backend: 'kohya',
          base_model: ctx.spec.base_model.id,
          steps: parser.totalSteps ?? null,
          final_loss: parser.loss ?? null,
          rank: ctx.spec.params.rank ?? 16,
        },
      };
    },
  };
}
