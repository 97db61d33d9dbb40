// ai-toolkit backend (Flux dev/schnell, SDXL): `python run.py <config.yaml>` in the tool's
// checkout, progress from its training bar, checkpoints and samples from its output folder.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobSpec } from '@lora-studio/protocol';
import { BackendFailed, type BackendContext, type BackendResult, type TrainerBackend } from '../types.ts';
import { isFile, resolveExecutable, type GpuToolConfig } from '../gpu-common/config.ts';
import { runGpuJob } from '../gpu-common/run-job.ts';
import type { WatchRule } from '../gpu-common/output-watcher.ts';
import { checkpointRule, sampleRule } from '../gpu-common/watch-rules.ts';
import { aiToolkitLayout, aiToolkitPython, buildAiToolkitConfig, type JobPaths } from './config.ts';
import { AiToolkitParser } from './parser.ts';

export { buildAiToolkitConfig, aiToolkitLayout } from './config.ts';
export { AiToolkitParser, parsePostfix } from './parser.ts';

const FAMILIES = new Set(['flux', 'sdxl']);

export function aiToolkitWatchRules(spec: JobSpec, paths: JobPaths): WatchRule[] {
  const layout = aiToolkitLayout(spec, paths);
  const prompts = spec.params.sample_prompts ?? [];
  const ckpt = new RegExp(`^${layout.name}_(\\d+)\\.safetensors$`);
  return [
    checkpointRule(layout.runDir, ckpt),
    // "<unix ms>__<step, 9 digits>_<prompt index>.jpg"
    sampleRule(layout.samplesDir, /^\d+__(\d+)_(\d+)\.(jpe?g|png|webp)$/i, prompts, (p) =>
      spec.trigger_word ? p.replaceAll('[trigger]', spec.trigger_word) : p,
    ),
  ];
}

export function createAiToolkitBackend(config: GpuToolConfig): TrainerBackend {
  return {
    id: 'ai-toolkit',
    cannotRun(spec: JobSpec): string | null {
      if (spec.modality !== 'image') return `ai-toolkit trains image LoRAs; this job is ${spec.modality}`;
      if (!FAMILIES.has(spec.base_model.family)) {
        return `ai-toolkit backend supports flux and sdxl base models, not ${spec.base_model.family}`;
      }
      if (!config.aiToolkitDir) return 'ai-toolkit is not configured on this worker (aiToolkitDir)';
      if (!isFile(join(config.aiToolkitDir, 'run.py'))) return `no ai-toolkit checkout at ${config.aiToolkitDir} (run.py missing)`;
      const python = aiToolkitPython(config);
      if (!resolveExecutable(python, config.env)) return `python for ai-toolkit not found: ${python}`;
      return null;
    },
    async run(ctx: BackendContext): Promise<BackendResult> {
      const paths = { workDir: ctx.workDir, datasetDir: ctx.datasetDir };
      const layout = aiToolkitLayout(ctx.spec, paths);
      const parser = new AiToolkitParser(layout.name, ctx.spec.params.batch_size ?? 1);
      const exit = await runGpuJob({
        tool: 'ai-toolkit',
        ctx,
        built: buildAiToolkitConfig(ctx.spec, paths, config),
        parser,
        watch: aiToolkitWatchRules(ctx.spec, paths),
        config,
      });
      if (!existsSync(layout.artifact)) {
        throw new BackendFailed('backend_error', `ai-toolkit finished without writing ${layout.artifact}`, exit.lastLines);
      }
      const last = parser.last;
      return {
        artifactPath: layout.artifact,
        extraFiles: [],
        summary: {
          backend: 'ai-toolkit',
          base_model: ctx.spec.base_model.id,
          steps: last?.totalSteps ?? null,
          final_loss: last?.loss ?? null,
          rank: ctx.spec.params.rank ?? 16,
        },
      };
    },
  };
}
