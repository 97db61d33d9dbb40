// Job specs as the stand-in control plane issues them: every slot a PUT URL on the stand-in,
// registered so uploads can be checked against their content type and size limit.
import { createHash } from 'node:crypto';
import type { JobSpec, UploadSlot } from '@lora-studio/protocol';

export const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

export interface SpecOptions {
  jobId: string;
  attempt?: number;
  dataset: { name: string; format: 'images-zip' | 'jsonl'; count?: number };
  steps?: number;
  checkpoints?: number;
  samples?: number;
  extraFiles?: string[];
  heartbeatSeconds?: number;
  deadline?: Date;
  backend?: JobSpec['backend'];
  modality?: JobSpec['modality'];
  family?: JobSpec['base_model']['family'];
  params?: JobSpec['params'];
  pull?: boolean;
}

export function buildSpec(o: SpecOptions, ctx: { baseUrl: string; datasetBytes: Buffer; register: (slot: UploadSlot) => void }): JobSpec {
  const attempt = o.attempt ?? 1;
  const prefix = `ws_test/jobs/${o.jobId}/${attempt}`;
  const slot = (key: string, contentType: string, maxBytes = 50 * 1024 * 1024): UploadSlot => {
    const s: UploadSlot = {
      key: `${prefix}/${key}`,
      url: `${ctx.baseUrl}/objects/${encodeURIComponent(`${prefix}/${key}`)}`,
      method: 'PUT',
      content_type: contentType,
      max_bytes: maxBytes,
      expires_at: new Date(Date.now() + 3600_000).toISOString(),
    };
    ctx.register(s);
    return s;
  };
  const now = new Date();
  const pull = o.pull ?? true;
  return {
    protocol: 'lora-studio/v1',
    job_id: o.jobId,
    attempt,
    modality: o.modality ?? (o.dataset.format === 'jsonl' ? 'text' : 'image'),
    kind: o.dataset.format === 'jsonl' ? 'chat' : 'style',
    ...(o.backend ? { backend: o.backend } : {}),
    base_model: { id: 'tiny-test', family: o.family ?? 'tiny', revision: 'v1' },
    params: { steps: o.steps ?? 5, rank: 4, alpha: 4, ...o.params },
    trigger_word: 'tst',
    model_name: 'Test LoRA',
    dataset: {
      url: `${ctx.baseUrl}/datasets/${o.dataset.name}`,
      sha256: sha256(ctx.datasetBytes),
      bytes: ctx.datasetBytes.length,
      format: o.dataset.format,
      count: o.dataset.count ?? 2,
    },
    outputs: {
      artifact: slot('artifact.safetensors', 'application/octet-stream'),
      extra_files: Object.fromEntries((o.extraFiles ?? []).map((n) => [n, slot(`files/${n}`, 'application/json')])),
      samples: Array.from({ length: o.samples ?? 0 }, (_, i) => slot(`samples/${i}.png`, 'image/png')),
      checkpoints: Array.from({ length: o.checkpoints ?? 0 }, (_, i) => slot(`checkpoints/${i}.safetensors`, 'application/octet-stream')),
      logs: slot('log.txt', 'text/plain'),
    },
    callback: {
      events_url: `${ctx.baseUrl}/api/lora/webhook`,
      ...(pull ? { heartbeat_url: `${ctx.baseUrl}/api/workers/heartbeat` } : {}),
    },
    lease: pull ? { expires_at: new Date(now.getTime() + 300_000).toISOString(), heartbeat_interval_seconds: o.heartbeatSeconds ?? 30 } : null,
    deadline: (o.deadline ?? new Date(now.getTime() + 3600_000)).toISOString(),
    created_at: now.toISOString(),
  };
}
