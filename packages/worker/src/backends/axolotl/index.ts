// axolotl backend (Llama, Qwen, Mistral): `axolotl train config.yml`, progress and metrics from
// the Trainer's log dicts, the PEFT adapter and its tokenizer files from the output folder.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobSpec } from '@lora-studio/protocol';
import {
  BackendFailed,
  type BackendContext,
  type BackendOutputFile,
  type BackendResult,
  type TrainerBackend,
} from '../types.ts';
import { resolveExecutable, type GpuToolConfig } from '../gpu-common/config.ts';
import { contentTypeOf } from '../gpu-common/content-type.ts';
import type { WatchRule } from '../gpu-common/output-watcher.ts';
import { runGpuJob } from '../gpu-common/run-job.ts';
import { axolotlLayout, buildAxolotlConfig, type JobPaths } from './config.ts';
import { AxolotlParser } from './parser.ts';

export { buildAxolotlConfig, axolotlLayout } from './config.ts';
export { AxolotlParser, parseLogDict } from './parser.ts';

const FAMILIES = new Set(['llama', 'qwen', 'mistral']);
/** Files published next to the adapter weights, when the tool wrote them. */
export const COMPANION_FILES = [
  'adapter_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'tokenizer.model',
  'vocab.json',
  'merges.txt',
  'added_tokens.json',
  'chat_template.jinja',
];

export function axolotlWatchRules(paths: JobPaths): WatchRule[] {
  const layout = axolotlLayout(paths);
  return [
    {
      dir: layout.outputDir,
      match: (name) => {
        const m = /^checkpoint-(\d+)$/.exec(name);
        if (!m) return null;
        const path = join(layout.outputDir, name, 'adapter_model.safetensors');
        return { file: path, event: { type: 'checkpoint', step: Number(m[1]), path } };
      },
    },
  ];
}

export function createAxolotlBackend(config: GpuToolConfig): TrainerBackend {
  return {
    id: 'axolotl',
    cannotRun(spec: JobSpec): string | null {
      if (spec.modality !== 'text') return `axolotl trains text LoRAs; this job is ${spec.modality}`;
      if (!FAMILIES.has(spec.base_model.family)) {
        return `axolotl backend supports llama, qwen and mistral base models, not ${spec.base_model.family}`;
      }
      if (!config.axolotlCommand) return 'axolotl is not configured on this worker (axolotlCommand)';
      if (!resolveExecutable(config.axolotlCommand, config.env)) return `axolotl command not found: ${config.axolotlCommand}`;
      return null;
    },
    async run(ctx: BackendContext): Promise<BackendResult> {
      const paths = { workDir: ctx.workDir, datasetDir: ctx.datasetDir };
      const layout = axolotlLayout(paths);
      const p = ctx.spec.params;
      const parser = new AxolotlParser({
        ...(p.steps !== undefined ? { maxSteps: p.steps } : {}),
        ...(p.steps === undefined ? { epochs: p.epochs ?? 1 } : {}),
      });
      const exit = await runGpuJob({
        tool: 'axolotl',
        ctx,
        built: buildAxolotlConfig(ctx.spec, paths, config),
        parser,
        watch: axolotlWatchRules(paths),
        config,
      });
      const config_json = join(layout.outputDir, 'adapter_config.json');
      if (!existsSync(layout.artifact) || !existsSync(config_json)) {
        throw new BackendFailed(
          'backend_error',
          `axolotl finished without writing adapter_model.safetensors and adapter_config.json in ${layout.outputDir}`,
          exit.lastLines,
        );
      }
      const extraFiles: BackendOutputFile[] = COMPANION_FILES.filter((f) => existsSync(join(layout.outputDir, f))).map(
        (name) => ({ name, path: join(layout.outputDir, name), contentType: contentTypeOf(name) }),
      );
      return {
        artifactPath: layout.artifact,
        extraFiles,
        summary: {
          backend: 'axolotl',
          base_model: ctx.spec.base_model.id,
          steps: parser.step,
          final_loss: parser.loss ?? null,
          eval_loss: parser.evalLoss ?? null,
          train_loss: parser.trainLoss ?? null,
          rank: p.rank ?? 16,
        },
      };
    },
  };
}
