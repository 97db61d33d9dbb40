// axolotl LoRA config, with the keys of its examples (examples/llama-3/lora-1b.yml) and docs
// (docs/dataset-formats/conversation.qmd: `type: chat_template` over OpenAI `messages`;
// docs/dataset_loading.qmd: a local JSON file with `ds_type: json`).
import { join } from 'node:path';
import type { JobSpec } from '@lora-studio/protocol';
import type { GpuToolConfig } from '../gpu-common/config.ts';
import { modelSource, optimizerFor, schedulerFor } from '../gpu-common/params.ts';
import type { BuiltCommand } from '../gpu-common/run-job.ts';
import { toYaml } from '../gpu-common/yaml.ts';

export interface JobPaths {
  workDir: string;
  datasetDir: string;
}

export function axolotlLayout(paths: JobPaths) {
  const outputDir = join(paths.workDir, 'axolotl', 'output');
  return {
    configFile: join('axolotl', 'config.yml'),
    preparedDir: join(paths.workDir, 'axolotl', 'prepared'),
    outputDir,
    artifact: join(outputDir, 'adapter_model.safetensors'),
  };
}

// The attention and MLP projections share these names in Llama, Qwen and Mistral.
export const DEFAULT_TARGET_MODULES = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];
// Below this many conversations a validation split costs more training data than it tells.
const MIN_FOR_EVAL = 40;

export function buildAxolotlConfig(spec: JobSpec, paths: JobPaths, config: GpuToolConfig): BuiltCommand {
  const p = spec.params;
  const layout = axolotlLayout(paths);
  const warnings: string[] = [];
  const model = modelSource(spec, config);
  const rank = p.rank ?? 16;
  const evalSplit = spec.dataset.count >= MIN_FOR_EVAL ? 0.05 : 0;
  if (p.sample_every || p.sample_prompts?.length) warnings.push('axolotl does not generate samples during training; sample settings are ignored');

  const doc = {
    base_model: model.source,
    // A Hub id is pinned to the job's revision; an operator's local path is already a fixed snapshot.
    revision_of_model: model.pinnedLocally ? undefined : spec.base_model.revision,
    adapter: 'lora',
    lora_r: rank,
    lora_alpha: p.alpha ?? rank * 2,
    lora_dropout: p.dropout ?? 0.05,
    lora_target_modules: p.target_modules?.length ? p.target_modules : DEFAULT_TARGET_MODULES,
    chat_template: 'tokenizer_default',
    datasets: [
      {
        path: join(paths.datasetDir, 'data.jsonl'),
        ds_type: 'json',
        type: 'chat_template',
        field_messages: 'messages',
        message_property_mappings: { role: 'role', content: 'content' },
      },
    ],
    dataset_prepared_path: layout.preparedDir,
    val_set_size: evalSplit,
    output_dir: layout.outputDir,
    sequence_len: p.max_seq_len ?? 2048,
    sample_packing: false,
    micro_batch_size: p.batch_size ?? 2,
    gradient_accumulation_steps: p.gradient_accumulation ?? 1,
    num_epochs: p.epochs ?? 1,
    max_steps: p.steps,
    optimizer: optimizerFor('axolotl', p.optimizer, 'adamw_8bit'),
    lr_scheduler: schedulerFor('axolotl', p.scheduler) ?? 'cosine',
    learning_rate: p.learning_rate ?? 2e-4,
    warmup_steps: p.warmup_steps,
    weight_decay: p.weight_decay ?? 0,
    max_grad_norm: p.max_grad_norm,
    train_on_inputs: false,
    bf16: 'auto',
    tf32: false,
    gradient_checkpointing: true,
    logging_steps: 1,
    save_safetensors: true,
    ...(p.save_every ? { save_steps: p.save_every } : { save_strategy: 'no' }),
    ...(evalSplit > 0 ? (p.save_every ? { eval_steps: p.save_every } : { evals_per_epoch: 2 }) : {}),
    seed: p.seed ?? 42,
  };
  const command = config.axolotlCommand ?? 'axolotl';
  return {
    files: [{ name: layout.configFile, content: toYaml(doc, `# axolotl config for job ${spec.job_id} (written by lora-studio-worker)`) }],
    argv: [command, 'train', join(paths.workDir, layout.configFile)],
    cwd: join(paths.workDir, 'axolotl'),
    env: { PYTHONUNBUFFERED: '1' },
    warnings,
  };
}
