// Inputs for the cpu-reference tests: a job spec, a photo set cut from the committed
// public-domain portraits, a generated chat JSONL, and a context that records every event.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { JobSpec, TrainingParams } from '@lora-studio/protocol';
import type { BackendContext, BackendEvent } from '../src/backends/types.ts';

const PHOTOS = fileURLToPath(new URL('../../../tests/fixtures/public-domain/', import.meta.url));

const created: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cpuref-${prefix}-`));
  created.push(dir);
  return dir;
}

/** Removes every directory tempDir() made in this test file. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function makeSpec(o: { modality: 'image' | 'text'; params?: TrainingParams; family?: JobSpec['base_model']['family'] }): JobSpec {
  const slot = (key: string, type: string) => ({
    key,
    url: `https://storage.example.com/${key}`,
    method: 'PUT' as const,
    content_type: type,
    max_bytes: 1 << 26,
    expires_at: '2030-01-01T00:00:00.000Z',
  });
  return {
    protocol: 'lora-studio/v1',
    job_id: 'job_cpuref',
    attempt: 1,
    modality: o.modality,
    kind: o.modality === 'image' ? 'identity' : 'chat',
    base_model: { id: o.family && o.family !== 'tiny' ? `${o.family}-base` : 'tiny', family: o.family ?? 'tiny', revision: 'v1' },
    params: o.params ?? {},
    trigger_word: o.modality === 'image' ? 'ohwx' : null,
    model_name: o.modality === 'image' ? 'Test Face LoRA' : 'Support bot',
    dataset: {
      url: 'https://storage.example.com/ds',
      sha256: 'ab'.repeat(32),
      bytes: 1,
      format: o.modality === 'image' ? 'images-zip' : 'jsonl',
      count: 1,
    },
    outputs: {
      artifact: slot('artifact.safetensors', 'application/octet-stream'),
      extra_files: {},
      samples: [],
      checkpoints: [],
      logs: slot('log.txt', 'text/plain'),
    },
    callback: { events_url: 'https://cp.example.com/api/lora/webhook' },
    lease: null,
    deadline: '2030-01-01T00:00:00.000Z',
    created_at: '2025-01-01T00:00:00.000Z',
  };
}

/** `count` square crops of the two portraits (shifted, flipped, mixed formats), some with captions. */
export async function makePhotoSet(count: number): Promise<string> {
  const dir = tempDir('photos');
  mkdirSync(join(dir, 'img'));
  const sources = ['astronaut.png', 'grace_hopper.jpg'];
  for (let i = 0; i < count; i++) {
    const src = join(PHOTOS, sources[i % 2]!);
    const { width = 0, height = 0 } = await sharp(src).metadata();
    const side = Math.floor(Math.min(width, height) * (0.6 + (i % 4) * 0.1));
    const left = Math.floor(((width - side) * ((i * 37) % 100)) / 100);
    const top = Math.floor(((height - side) * ((i * 53) % 100)) / 100);
    let img = sharp(src).extract({ left, top, width: side, height: side }).resize(160, 160);
    if (i % 3 === 0) img = img.flop();
    const format = (['jpeg', 'png', 'webp'] as const)[i % 3]!;
    await img.toFormat(format).toFile(join(dir, 'img', `photo_${i}.${format === 'jpeg' ? 'jpg' : format}`));
    if (i % 2 === 0) writeFileSync(join(dir, 'img', `photo_${i}.txt`), 'ohwx, a photo of a person, portrait');
  }
  writeFileSync(join(dir, 'img', 'notes.md'), 'not an image');
  return dir;
}

/** A data.jsonl of templated support conversations (enough structure for the loss to fall). */
export function makeChatSet(conversations: number): string {
  const dir = tempDir('chat');
  const topics = ['password', 'invoice', 'shipping', 'refund', 'account', 'order'];
  const lines = Array.from({ length: conversations }, (_, i) => {
    const topic = topics[i % topics.length]!;
    return JSON.stringify({
      messages: [
        { role: 'system', content: 'You are a helpful support assistant.' },
        { role: 'user', content: `Hello, I have a question about my ${topic} (ticket ${1000 + i}).` },
        { role: 'assistant', content: `Of course! I can help with your ${topic}. Could you tell me a bit more about the problem?` },
      ],
    });
  });
  writeFileSync(join(dir, 'data.jsonl'), `${lines.join('\n')}\nnot json\n`);
  return dir;
}

export interface RecordedRun {
  ctx: BackendContext;
  events: BackendEvent[];
  abort: AbortController;
}

export function recordingContext(spec: JobSpec, datasetDir: string, onEvent?: (e: BackendEvent, run: RecordedRun) => void): RecordedRun {
  const abort = new AbortController();
  const events: BackendEvent[] = [];
  const run: RecordedRun = {
    abort,
    events,
    ctx: {
      spec,
      workDir: tempDir('work'),
      datasetDir,
      signal: abort.signal,
      emit: (e) => {
        events.push(e);
        onEvent?.(e, run);
      },
    },
  };
  return run;
}

export const ofType = <T extends BackendEvent['type']>(events: BackendEvent[], type: T) =>
  events.filter((e): e is Extract<BackendEvent, { type: T }> => e.type === type);
