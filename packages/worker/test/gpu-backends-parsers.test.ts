// Output parsers against real output of each tool, as users pasted it into GitHub threads
// (fixtures/recorded/, sources in PROVENANCE.md).
import { describe, expect, it } from 'vitest';
import { AiToolkitParser, parsePostfix } from '../src/backends/ai-toolkit/index.ts';
import { AxolotlParser, parseLogDict } from '../src/backends/axolotl/index.ts';
import { isOutOfMemory } from '../src/backends/gpu-common/failure.ts';
import type { LineParser } from '../src/backends/gpu-common/run-job.ts';
import { parseTqdm } from '../src/backends/gpu-common/tqdm.ts';
import { KohyaParser } from '../src/backends/kohya/index.ts';
import type { BackendEvent } from '../src/backends/types.ts';
import { recorded } from './fixtures/gpu-fixtures.ts';

function feedAll(parser: LineParser, ...logs: string[]): BackendEvent[] {
  return logs.flatMap(recorded).flatMap((l) => parser.feed(l));
}
const progress = (events: BackendEvent[]) => events.filter((e) => e.type === 'progress');
const metrics = (events: BackendEvent[]) => events.filter((e) => e.type === 'metrics');

describe('tqdm lines', () => {
  it('reads a bar a logger wrote straight after, without a newline (sd-scripts #1464)', () => {
    const line = recorded('kohya-header.log').find((l) => l.startsWith('steps:'));
    expect(parseTqdm(line ?? '')).toEqual({ desc: 'steps', n: 0, total: 1600, postfix: '' });
  });

  it('turns s/it into it/s', () => {
    const bar = parseTqdm(recorded('ai-toolkit-progress.log')[1] ?? '');
    expect(bar?.desc).toBe('lokr-test-2');
    expect(bar?.itPerSec).toBeCloseTo(1 / 2.16, 6);
    expect(bar?.postfix).toBe('lr: 2.0e-04 loss: 5.226e-01');
    expect(parsePostfix(bar?.postfix ?? '')).toEqual({ lr: 0.0002, losses: { loss: 0.5226 } });
  });
});

describe('ai-toolkit parser', () => {
  it('reports step, total, loss and lr from the training bar (ai-toolkit #595)', () => {
    const events = feedAll(new AiToolkitParser('lokr-test-2'), 'ai-toolkit-progress.log');
    expect(progress(events).map((e) => [e.step, e.totalSteps])).toEqual([
      [299, 3000],
      [599, 3000],
      [899, 3000],
      [1199, 3000],
      [1499, 3000],
    ]);
    expect(metrics(events).map((e) => e.loss)).toEqual([0.5226, 0.6736, 0.6463, 0.7353, 0.2635]);
    expect(metrics(events).every((e) => e.learningRate === 0.0002)).toBe(true);
    expect(metrics(events)[3]?.throughput).toBeCloseTo(1 / 28.13, 6);
  });

  it('does not mistake loading, quantizing or bucketing bars for training (ai-toolkit #387)', () => {
    expect(feedAll(new AiToolkitParser('yn'), 'ai-toolkit-startup.log')).toEqual([]);
  });

  it('ignores the bar of another run name', () => {
    expect(feedAll(new AiToolkitParser('job_other'), 'ai-toolkit-progress.log')).toEqual([]);
  });
});

describe('kohya sd-scripts parser', () => {
  it('reads avr_loss and the rate from the "steps" bar (sd-scripts #1237)', () => {
    const events = feedAll(new KohyaParser(), 'kohya-progress.log');
    expect(progress(events).map((e) => [e.step, e.totalSteps])).toEqual([
      [575, 115000],
      [858, 57200],
    ]);
    expect(metrics(events).map((e) => [e.loss, e.throughput])).toEqual([
      [1, 1.1],
      [0.862, 3.22],
    ]);
  });

  it('takes totals from the run header and epochs from "epoch n/m" (sd-scripts #1464)', () => {
    const parser = new KohyaParser();
    const events = feedAll(parser, 'kohya-header.log');
    expect(progress(events)).toEqual([
      { type: 'progress', step: 0, totalSteps: 1600, totalEpochs: 16, stage: 'training' },
      { type: 'progress', step: 0, totalSteps: 1600, epoch: 1, totalEpochs: 16, stage: 'training' },
    ]);
    expect(metrics(events)).toEqual([]);
  });

  it('follows epochs through a run (Lora-Training-in-Comfy #107)', () => {
    const parser = new KohyaParser(2);
    const events = feedAll(parser, 'kohya-epochs.log');
    const bars = progress(events).filter((_, i, all) => i === all.findIndex((e) => e.step === _.step && e.epoch === _.epoch));
    expect(bars[0]).toEqual({ type: 'progress', step: 176, totalSteps: 800, epoch: 11, totalEpochs: 50, stage: 'training' });
    expect(progress(events).at(-1)).toEqual({ type: 'progress', step: 256, totalSteps: 800, epoch: 17, totalEpochs: 50, stage: 'training' });
    expect(metrics(events).map((e) => e.loss)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(metrics(events)[0]?.throughput).toBeCloseTo(3.79 * 2, 6);
  });
});

describe('axolotl parser', () => {
  it('locks onto the training bar when the first loss is logged, not the eval bar (axolotl #592)', () => {
    const events = feedAll(new AxolotlParser({ epochs: 3 }), 'axolotl-train.log', 'axolotl-eval.log');
    expect(progress(events).map((e) => [e.step, e.totalSteps, e.epoch])).toEqual([
      [283, 873, 0.97],
      [284, 873, undefined],
      [302, 873, undefined],
    ]);
    expect(metrics(events)).toEqual([
      { type: 'metrics', step: 283, loss: 0.8635, learningRate: 0.0001369640787949015 },
      { type: 'metrics', step: 284, valLoss: 1.089670181274414 },
    ]);
  });

  it('uses max_steps to recognise the bar from the start', () => {
    const events = feedAll(new AxolotlParser({ maxSteps: 873 }), 'axolotl-train.log');
    // The logged dict adds the fractional epoch to the step it belongs to.
    expect(progress(events).map((e) => [e.step, e.epoch])).toEqual([
      [281, undefined],
      [282, undefined],
      [283, undefined],
      [283, 0.97],
      [284, undefined],
    ]);
  });

  it('reads loss, grad_norm and learning_rate dicts (modal-labs/llm-finetuning #82)', () => {
    const events = feedAll(new AxolotlParser(), 'axolotl-metrics.log');
    expect(metrics(events)).toHaveLength(13);
    expect(metrics(events)[0]).toEqual({
      type: 'metrics',
      step: 0,
      loss: 0.0499,
      gradNorm: 1.1254302714475641,
      learningRate: 3.591337215792852e-5,
    });
    // No bar was seen, so there is no step total to report progress against.
    expect(progress(events)).toEqual([]);
  });

  it('accepts quoted values, the way newer Trainers may print them', () => {
    expect(parseLogDict("{'loss': '2.053', 'epoch': '0.5', 'note': 'x'}")).toEqual({ loss: 2.053, epoch: 0.5 });
    expect(parseLogDict('not a dict')).toBeNull();
  });
});

describe('CUDA out-of-memory detection', () => {
  it.each(['ai-toolkit-oom.log', 'kohya-oom.log', 'axolotl-oom.log'])('finds it in %s', (log) => {
    expect(isOutOfMemory(recorded(log))).toBe(true);
  });

  it.each(['ai-toolkit-progress.log', 'kohya-epochs.log', 'axolotl-train.log'])('finds none in %s', (log) => {
    expect(isOutOfMemory(recorded(log))).toBe(false);
  });
});
