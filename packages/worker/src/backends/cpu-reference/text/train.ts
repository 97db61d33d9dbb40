// A text LoRA run: next-byte prediction (cross-entropy) over rendered chats with adapters on
// the chosen projections of the tiny Llama-named decoder, validation loss every tenth of the run.
import { join } from 'node:path';
import type { BackendContext, BackendResult } from '../../types.ts';
import { BackendFailed } from '../../types.ts';
import { ensureDir } from '../files.ts';
import { LoraAdapter } from '../linear.ts';
import { lossEnds, trainLoop } from '../loop.ts';
import { crossEntropy } from '../losses.ts';
import { LoraOptimizer } from '../optimizer.ts';
import { resolveSettings, selectLayers, TEXT_DEFAULTS } from '../params.ts';
import { Prng } from '../prng.ts';
import { standInLine } from '../standin.ts';
import { loadTinyBase } from '../tiny-base/load.ts';
import { textLinears, TINY_NOTE, TINY_TEXT } from '../tiny-base/spec.ts';
import { adapterConfig, writePeftFiles } from './artifact.ts';
import { loadChatCorpus, sampleWindows, validationWindows, type ChatCorpus } from './data.ts';
import { TextNet } from './model.ts';
import { writeTextSample } from './sample.ts';

export const DEFAULT_SEQ_LEN = 64;
const VAL_WINDOWS = 8;

export interface TextJob {
  result: BackendResult;
  net: TextNet;
  corpus: ChatCorpus;
}

export async function trainTextJob(ctx: BackendContext): Promise<TextJob> {
  const { spec } = ctx;
  const note = (line: string) => ctx.emit({ type: 'log', lines: [line] });
  note(standInLine(spec));
  const corpus = await loadChatCorpus(ctx.datasetDir, ctx.signal, note);
  const T = Math.min(spec.params.max_seq_len ?? DEFAULT_SEQ_LEN, TINY_TEXT.maxSeq, corpus.train.length - 1);
  if (T < 2) throw new BackendFailed('dataset_invalid', `only ${corpus.train.length} bytes of training text`);
  const batchesPerEpoch = (bs: number) => Math.max(1, Math.ceil(corpus.train.length / (bs * T)));
  const s = resolveSettings(spec, TEXT_DEFAULTS, batchesPerEpoch, note);
  const net = new TextNet(loadTinyBase('text'));
  const all = textLinears().map((l) => l.name);
  const chosen = selectLayers(all, spec.params.target_modules, all.filter((n) => /\.(q_proj|v_proj)$/.test(n)), note);
  const rng = new Prng(s.seed);
  const adapters = net.linears
    .filter((l) => chosen.includes(l.name))
    .map((l) => (l.lora = new LoraAdapter(s.rank, s.alpha, l.inFeatures, l.outFeatures, s.dropout).init(rng)));
  const opt = new LoraOptimizer(adapters, { ...s.optimizer, totalSteps: s.steps });
  const val = validationWindows(corpus.val, T, VAL_WINDOWS);
  if (!val) note('validation text too short; no validation loss');
  note(
    `${corpus.conversations} conversations (${corpus.train.length} training bytes, ${corpus.val.length} validation bytes), ${s.steps} steps, ` +
      `batch ${s.batchSize}×${T} bytes, rank ${s.rank}, alpha ${s.alpha}, lr ${s.optimizer.learningRate} (${s.optimizer.kind}), layers: ${chosen.join(', ')}`,
  );
  const evalEvery = Math.max(1, Math.round(s.steps / 10));
  const validate = () => (val ? crossEntropy(net.forward(val.tokens, val.B, val.T), val.targets, TINY_TEXT.vocab).loss : undefined);
  const initialValLoss = validate() ?? null;
  const shortNames = [...new Set(chosen.map((n) => n.split('.').at(-1)!))].sort();
  const config = adapterConfig({ rank: s.rank, alpha: s.alpha, dropout: s.dropout, targetModules: shortNames });

  const loop = await trainLoop(ctx, {
    totalSteps: s.steps,
    unit: 'tokens',
    stepsPerEpoch: batchesPerEpoch(s.batchSize),
    runStep: (step) => {
      const { tokens, targets } = sampleWindows(corpus.train, s.batchSize, T, rng);
      opt.zeroGrad();
      const { loss, grad } = crossEntropy(net.forward(tokens, s.batchSize, T, true, rng), targets, TINY_TEXT.vocab);
      net.backward(grad);
      const stats = opt.step();
      const valLoss = step % evalEvery === 0 || step === s.steps ? validate() : undefined;
      return { loss, ...stats, items: s.batchSize * T, ...(valLoss !== undefined ? { valLoss } : {}) };
    },
    afterStep: async (step) => {
      if (s.saveEvery > 0 && step % s.saveEvery === 0 && step < s.steps) {
        const dir = await ensureDir(join(ctx.workDir, 'checkpoints', `checkpoint-${step}`));
        const { model } = await writePeftFiles(dir, net.linears, config);
        ctx.emit({ type: 'checkpoint', step, path: model });
      }
      if (s.sampleEvery > 0 && step % s.sampleEvery === 0) {
        const path = join(await ensureDir(join(ctx.workDir, 'samples')), `sample-step${String(step).padStart(6, '0')}.txt`);
        const prompt = await writeTextSample(net, spec.params.sample_prompts ?? [], T, s.seed, path);
        ctx.emit({ type: 'sample', step, path, prompt, contentType: 'text/plain' });
      }
    },
  });

  const outDir = await ensureDir(join(ctx.workDir, 'out'));
  const files = await writePeftFiles(outDir, net.linears, config);
  const { first, last } = lossEnds(loop.losses);
  const finalVal = loop.valLosses.at(-1)?.loss ?? null;
  note(`wrote ${files.model}: loss ${first.toFixed(4)} → ${last.toFixed(4)}${finalVal !== null ? `, validation ${finalVal.toFixed(4)}` : ''} in ${loop.seconds.toFixed(1)} s`);
  const result: BackendResult = {
    artifactPath: files.model,
    extraFiles: [{ path: files.config, name: 'adapter_config.json', contentType: 'application/json' }],
    summary: {
      first_loss: loop.losses[0] ?? null,
      final_loss: loop.losses.at(-1) ?? null,
      first_loss_mean_10pct: first,
      final_loss_mean_10pct: last,
      initial_val_loss: initialValLoss,
      final_val_loss: finalVal,
      perplexity: finalVal !== null ? Number(Math.exp(finalVal).toFixed(4)) : null,
      steps: s.steps,
      rank: s.rank,
      alpha: s.alpha,
      learning_rate: s.optimizer.learningRate,
      batch_size: s.batchSize,
      seq_len: T,
      conversations: corpus.conversations,
      seconds: Number(loop.seconds.toFixed(3)),
      base_model: TINY_TEXT.id,
      note: TINY_NOTE,
    },
  };
  return { result, net, corpus };
}
