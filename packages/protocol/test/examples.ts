// Valid protocol messages for the schema tests; each test breaks one thing at a time.
import type { JobSpec, WorkerEvent } from '../src/schemas.ts';

/** A message opened up for the tests to break on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = Record<string, any>;

const HEX = 'ab'.repeat(32);
const slot = (key: string, contentType = 'application/octet-stream') => ({
  key,
  url: `https://storage.example.com/bucket/${key}?X-Amz-Signature=abc`,
  method: 'PUT' as const,
  content_type: contentType,
  max_bytes: 512 * 1024 * 1024,
  expires_at: '2025-01-01T01:00:00.000Z',
});

export function exampleSpec(): JobSpec {
  return {
    protocol: 'lora-studio/v1',
    job_id: 'job_01hx',
    attempt: 1,
    modality: 'text',
    kind: 'chat',
    backend: 'cpu-reference',
    base_model: { id: 'tiny-gpt', family: 'tiny', revision: 'v1' },
    params: { steps: 200, learning_rate: 2e-4, rank: 8, alpha: 16, dropout: 0.05, target_modules: ['q_proj'] },
    trigger_word: null,
    model_name: 'Support bot',
    dataset: { url: 'https://storage.example.com/ds.jsonl?sig=1', sha256: HEX, bytes: 1234, format: 'jsonl', count: 40 },
    outputs: {
      artifact: slot('ws_1/jobs/job_01hx/1/adapter_model.safetensors'),
      extra_files: { 'adapter_config.json': slot('ws_1/jobs/job_01hx/1/adapter_config.json', 'application/json') },
      samples: [slot('ws_1/jobs/job_01hx/1/samples/0.txt', 'text/plain')],
      checkpoints: [],
      logs: slot('ws_1/jobs/job_01hx/1/log.txt', 'text/plain'),
    },
    callback: { events_url: 'https://app.example.com/api/lora/webhook' },
    lease: { expires_at: '2025-01-01T00:05:00Z', heartbeat_interval_seconds: 30 },
    deadline: '2025-01-01T06:00:00Z',
    created_at: '2025-01-01T00:00:00Z',
  };
}

const envelope = { job_id: 'job_01hx', attempt: 1, occurred_at: '2025-01-01T00:01:00.000Z' };

/** One valid event of every type, seq 0..8. */
export function exampleEvents(): WorkerEvent[] {
  const events: Omit<WorkerEvent, 'job_id' | 'attempt' | 'occurred_at' | 'seq'>[] = [
    { type: 'job.started', data: { worker_id: 'w-1', backend: 'cpu-reference', gpu: null } },
    { type: 'job.progress', data: { step: 10, total_steps: 200, epoch: 1, total_epochs: 3, stage: 'training', eta_seconds: 42 } },
    { type: 'job.metrics', data: { step: 10, loss: 2.31, learning_rate: 1e-4, grad_norm: 0.8, vram_mb: 0 } },
    { type: 'job.log', data: { stream: 'stdout', lines: ['step 10 loss 2.31', ''] } },
    { type: 'job.checkpoint', data: { step: 100, key: 'ws_1/jobs/job_01hx/1/ckpt-100.safetensors', sha256: HEX, bytes: 99 } },
    { type: 'job.sample', data: { step: 100, key: 'ws_1/jobs/job_01hx/1/samples/0.txt', content_type: 'text/plain', prompt: 'Hi' } },
    {
      type: 'job.succeeded',
      data: {
        artifact: { key: 'ws_1/jobs/job_01hx/1/adapter_model.safetensors', sha256: HEX, bytes: 4096 },
        files: [{ name: 'adapter_config.json', key: 'ws_1/jobs/job_01hx/1/adapter_config.json', sha256: HEX, bytes: 300 }],
        summary: { final_loss: 0.42, steps: 200, backend: 'cpu-reference', early_stop: false, note: null },
        gpu_seconds: 0,
      },
    },
    { type: 'job.failed', data: { code: 'worker_shutdown', message: 'SIGTERM', retryable: true, last_lines: [] } },
    { type: 'job.canceled', data: {} },
  ];
  return events.map((event, seq) => ({ ...envelope, seq, ...event }) as WorkerEvent);
}
