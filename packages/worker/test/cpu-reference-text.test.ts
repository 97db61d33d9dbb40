// cpu-reference, text modality: a PEFT LoRA on the tiny byte-level decoder, trained on a
// chat JSONL with a held-out validation split.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBaseFamily, decodeSafetensors, detectLoraFormat } from '@lora-studio/protocol';
import { applyLora, cpuReferenceBackend, loadLora, loadTinyBase, runBase, trainTextJob, type TextJob } from '../src/backends/cpu-reference/index.ts';
import { BackendCanceled } from '../src/backends/types.ts';
import { makeChatSet, makeSpec, ofType, recordingContext, tempDir, removeTempDirs, type RecordedRun } from './cpu-reference-helpers.ts';

const PARAMS = { steps: 30, rank: 4, alpha: 8, batch_size: 4, seed: 3, max_seq_len: 32, save_every: 15, sample_every: 30, sample_prompts: ['Where is my order?'] };
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('cpu-reference: text LoRA', () => {
  let chats: string;
  let run: RecordedRun;
  let job: TextJob;

  afterAll(removeTempDirs);

  beforeAll(async () => {
    chats = makeChatSet(60);
    run = recordingContext(makeSpec({ modality: 'text', params: PARAMS, family: 'llama' }), chats);
    job = await trainTextJob(run.ctx);
  });

  it('trains with next-byte cross-entropy: training and validation loss fall', () => {
    const metrics = ofType(run.events, 'metrics');
    expect(metrics).toHaveLength(30);
    const losses = metrics.map((m) => m.loss!);
    expect(mean(losses.slice(0, 3))).toBeGreaterThan(mean(losses.slice(-3)));
    const val = metrics.filter((m) => m.valLoss !== undefined);
    expect(val.map((m) => m.step)).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    const s = job.result.summary;
    expect(s).toMatchObject({ steps: 30, rank: 4, alpha: 8, seq_len: 32, conversations: 60, base_model: 'lora-studio-tiny-text-v1' });
    expect(s.final_val_loss).toBe(val.at(-1)!.valLoss);
    expect(s.initial_val_loss as number).toBeGreaterThan(s.final_val_loss as number);
    expect(s.perplexity as number).toBeCloseTo(Math.exp(s.final_val_loss as number), 2);
    expect(ofType(run.events, 'log').flatMap((e) => e.lines).some((l) => l.includes('data.jsonl:61: not a conversation'))).toBe(true);
  });

  it('writes PEFT tensors of rank r on q_proj/v_proj and a valid adapter_config.json', () => {
    expect(job.result.artifactPath).toBe(join(run.ctx.workDir, 'out', 'adapter_model.safetensors'));
    const file = decodeSafetensors(readFileSync(job.result.artifactPath));
    const names = Object.keys(file.tensors);
    expect(names).toHaveLength(8);
    expect(names.every((n) => /^base_model\.model\.model\.layers\.[01]\.self_attn\.(q_proj|v_proj)\.lora_[AB]\.weight$/.test(n))).toBe(true);
    expect(file.tensors['base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight']).toMatchObject({ dtype: 'F32', shape: [4, 64] });
    expect(file.tensors['base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight']).toMatchObject({ dtype: 'F32', shape: [64, 4] });
    expect(file.metadata.format).toBe('pt');

    expect(job.result.extraFiles).toEqual([{ path: join(run.ctx.workDir, 'out', 'adapter_config.json'), name: 'adapter_config.json', contentType: 'application/json' }]);
    const config = JSON.parse(readFileSync(job.result.extraFiles[0]!.path, 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      r: 4,
      lora_alpha: 8,
      lora_dropout: 0.05,
      target_modules: ['q_proj', 'v_proj'],
      base_model_name_or_path: 'lora-studio-tiny-text-v1',
      bias: 'none',
      fan_in_fan_out: false,
      inference_mode: true,
    });
    expect(config.lora_studio_note).toMatch(/not usable with/);

    const detected = detectLoraFormat(file, { adapterConfig: config });
    expect(detected).toMatchObject({ format: 'peft', rank: 4, alpha: 8, baseModelHint: 'lora-studio-tiny-text-v1' });
    expect(checkBaseFamily(detected, 'tiny')).toBeNull();
    expect(checkBaseFamily(detected, 'llama')).toMatch(/cpu-reference/);
  });

  it('loaded and merged into the base, reproduces the trained model', async () => {
    const lora = await loadLora(job.result.artifactPath);
    expect(lora.kind).toBe('text');
    expect([...lora.layers.values()].every((l) => l.rank === 4 && l.alpha === 8)).toBe(true);
    const bytes = new TextEncoder().encode('<|user|>\nHello, I have a question about my refund.\n');
    const trained = job.net.forward(bytes, 1, bytes.length);
    const base = loadTinyBase('text');
    const diff = (a: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - trained[i]!)), 0);
    expect(diff(runBase(applyLora(base, lora), bytes))).toBeLessThan(1e-3);
    expect(diff(runBase(base, bytes))).toBeGreaterThan(1e-2);
  });

  it('writes checkpoints in PEFT layout and a text sample', () => {
    const checkpoints = ofType(run.events, 'checkpoint');
    expect(checkpoints.map((c) => c.step)).toEqual([15]);
    expect(checkpoints[0]!.path).toMatch(/checkpoint-15[\\/]adapter_model\.safetensors$/);
    expect(Object.keys(decodeSafetensors(readFileSync(checkpoints[0]!.path)).tensors)).toHaveLength(8);
    expect(JSON.parse(readFileSync(join(dirname(checkpoints[0]!.path), 'adapter_config.json'), 'utf8')).r).toBe(4);
    const samples = ofType(run.events, 'sample');
    expect(samples).toMatchObject([{ step: 30, contentType: 'text/plain', prompt: 'Where is my order?' }]);
    expect(readFileSync(samples[0]!.path, 'utf8')).toMatch(/^### prompt\nWhere is my order\?\n### completion\n/);
  });

  it('reads the turns format and respects rank, alpha, steps and target_modules', async () => {
    const dir = tempDir('turns');
    const line = (i: number) =>
      JSON.stringify({ conversation_id: `c${i}`, turns: [{ speaker: 'user', text: `Question ${i}?` }, { speaker: 'assistant', text: `Answer number ${i}.` }] });
    writeFileSync(join(dir, 'data.jsonl'), Array.from({ length: 12 }, (_, i) => line(i)).join('\n'));
    const spec = makeSpec({ modality: 'text', params: { steps: 4, rank: 2, alpha: 3, dropout: 0, target_modules: ['o_proj', 'mlp.down_proj'] } });
    const small = recordingContext(spec, dir);
    const result = await cpuReferenceBackend.run(small.ctx);
    expect(ofType(small.events, 'progress')).toHaveLength(4);
    const file = decodeSafetensors(readFileSync(result.artifactPath));
    expect(Object.keys(file.tensors).filter((n) => n.endsWith('lora_A.weight')).sort()).toEqual([
      'base_model.model.model.layers.0.mlp.down_proj.lora_A.weight',
      'base_model.model.model.layers.0.self_attn.o_proj.lora_A.weight',
      'base_model.model.model.layers.1.mlp.down_proj.lora_A.weight',
      'base_model.model.model.layers.1.self_attn.o_proj.lora_A.weight',
    ]);
    expect(file.tensors['base_model.model.model.layers.0.mlp.down_proj.lora_A.weight']!.shape).toEqual([2, 128]);
    const config = JSON.parse(readFileSync(result.extraFiles[0]!.path, 'utf8'));
    expect(config).toMatchObject({ r: 2, lora_alpha: 3, lora_dropout: 0, target_modules: ['down_proj', 'o_proj'] });
    expect(result.summary.conversations).toBe(12);
  });

  it('stops within a couple of steps of an abort, with BackendCanceled', async () => {
    const canceled = recordingContext(makeSpec({ modality: 'text', params: { steps: 1000 } }), chats, (e, r) => {
      if (e.type === 'progress' && e.step === 1) r.abort.abort();
    });
    await expect(cpuReferenceBackend.run(canceled.ctx)).rejects.toBeInstanceOf(BackendCanceled);
    // Progress comes every 10 steps at 1000 steps; aborted at step 1, it never reaches the next one.
    expect(Math.max(...ofType(canceled.events, 'progress').map((p) => p.step))).toBeLessThan(10);
    expect(Math.max(...ofType(canceled.events, 'metrics').map((p) => p.step), 0)).toBeLessThan(10);
  });

  it('fails with dataset_invalid when the JSONL holds no conversation', async () => {
    const dir = tempDir('badjsonl');
    writeFileSync(join(dir, 'data.jsonl'), '{"foo": 1}\n[]\n');
    const failed = recordingContext(makeSpec({ modality: 'text', params: { steps: 2 } }), dir);
    await expect(cpuReferenceBackend.run(failed.ctx)).rejects.toMatchObject({ name: 'BackendFailed', code: 'dataset_invalid' });
  });
});
