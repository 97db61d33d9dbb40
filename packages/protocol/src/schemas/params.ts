import { z } from 'zod';
import { OptimizerId, SchedulerId } from './trainer-options.ts';

const num = (min: number, max: number, what: string) => z.number().min(min).max(max).optional().describe(what);
const int = (min: number, max: number, what: string) => z.int().min(min).max(max).optional().describe(what);
// Exclusive lower bound of 0: a zero learning rate, alpha or clip norm is always a mistake.
const positive = (max: number, what: string) => z.number().positive().max(max).optional().describe(what);

/**
 * Hyper-parameters of a training run. Every field is optional (the backend fills its own
 * defaults) and range-checked. A strict allow-list: an unknown key is refused, and optimizer
 * and scheduler are ids from fixed lists (trainer-options.ts) that each backend maps to its
 * own spelling — params are tenant input on their way to a trainer's command line. The app
 * checks them at job creation; the worker checks them again before it builds a command.
 */
export const TrainingParams = z
  .strictObject({
    steps: int(1, 100_000, 'Total optimizer steps'),
    epochs: int(1, 1000, 'Passes over the dataset'),
    learning_rate: positive(1, 'Peak learning rate'),
    batch_size: int(1, 1024, 'Samples per optimizer step (before accumulation)'),
    resolution: int(64, 4096, 'Training resolution in pixels (image)'),
    rank: int(1, 512, 'LoRA rank r'),
    alpha: positive(2048, 'LoRA alpha (scale = alpha / rank)'),
    dropout: num(0, 0.9, 'LoRA dropout probability'),
    warmup_steps: int(0, 100_000, 'Learning-rate warm-up steps'),
    weight_decay: num(0, 1, 'AdamW weight decay'),
    gradient_accumulation: int(1, 1024, 'Micro-batches accumulated per optimizer step'),
    max_grad_norm: positive(1000, 'Gradient clipping norm'),
    max_seq_len: int(16, 131_072, 'Maximum tokens per sample (text)'),
    seed: z.int().min(0).optional().describe('Random seed'),
    save_every: z.int().min(0).optional().describe('Checkpoint every N steps; 0 = only at the end'),
    sample_every: z.int().min(0).optional().describe('Sample every N steps; 0 = never'),
    optimizer: OptimizerId.optional().describe('Optimizer, e.g. adamw8bit (image) or adamw_torch (text)'),
    scheduler: SchedulerId.optional().describe('LR scheduler, e.g. cosine'),
    target_modules: z
      .array(z.string().min(1).max(128))
      .max(256)
      .optional()
      .describe('Module names the LoRA attaches to'),
    sample_prompts: z
      .array(z.string().min(1).max(2000))
      .max(8)
      .optional()
      .describe('Prompts rendered at each sampling point'),
    caption_dropout: num(0, 1, 'Probability of dropping a caption (image)'),
  })
  .describe('Training hyper-parameters');
export type TrainingParams = z.infer<typeof TrainingParams>;
