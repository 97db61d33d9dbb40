import { describe, expect, it } from 'vitest';
import { JobSpec, PROTOCOL_VERSION, TrainingParams, UploadSlot } from '../src/schemas.ts';
import { exampleSpec, type Loose } from './examples.ts';

// Applies `edit` to a fresh valid spec and reports the first issue's path, or 'ok'.
function specIssue(edit: (spec: Loose) => void): string {
  const spec = exampleSpec() as unknown as Loose;
  edit(spec);
  const result = JobSpec.safeParse(spec);
  return result.success ? 'ok' : result.error.issues[0]!.path.join('.');
}

describe('JobSpec', () => {
  it('accepts a complete spec and keeps its protocol version', () => {
    expect(JobSpec.parse(exampleSpec()).protocol).toBe(PROTOCOL_VERSION);
  });

  it('accepts the optional and nullable fields in their other form', () => {
    expect(specIssue((s) => delete s.backend)).toBe('ok');
    expect(specIssue((s) => (s.lease = null))).toBe('ok');
    expect(specIssue((s) => (s.trigger_word = 'ohwx'))).toBe('ok');
    expect(specIssue((s) => (s.base_model.hf_repo = 'org/model'))).toBe('ok');
    expect(specIssue((s) => (s.callback.heartbeat_url = 'https://app.example.com/api/workers/heartbeat'))).toBe('ok');
  });

  it('points at the field that is wrong', () => {
    expect(specIssue((s) => (s.protocol = 'lora-studio/v2'))).toBe('protocol');
    expect(specIssue((s) => (s.attempt = 0))).toBe('attempt');
    expect(specIssue((s) => (s.attempt = '1'))).toBe('attempt');
    expect(specIssue((s) => (s.modality = 'video'))).toBe('modality');
    expect(specIssue((s) => (s.backend = 'diffusers'))).toBe('backend');
    expect(specIssue((s) => (s.base_model.family = 'gpt'))).toBe('base_model.family');
    expect(specIssue((s) => (s.dataset.sha256 = 'AB'.repeat(32)))).toBe('dataset.sha256');
    expect(specIssue((s) => (s.dataset.sha256 = 'ab'.repeat(31)))).toBe('dataset.sha256');
    expect(specIssue((s) => (s.dataset.format = 'tar'))).toBe('dataset.format');
    expect(specIssue((s) => (s.dataset.url = 'file:///etc/passwd'))).toBe('dataset.url');
    expect(specIssue((s) => (s.outputs.artifact.method = 'POST'))).toBe('outputs.artifact.method');
    expect(specIssue((s) => (s.outputs.logs.max_bytes = 0))).toBe('outputs.logs.max_bytes');
    expect(specIssue((s) => (s.outputs.extra_files['../x'] = s.outputs.logs))).toBe('outputs.extra_files.../x');
    expect(specIssue((s) => (s.callback.events_url = 'not a url'))).toBe('callback.events_url');
    expect(specIssue((s) => (s.deadline = '2025-01-01'))).toBe('deadline');
    expect(specIssue((s) => (s.lease.heartbeat_interval_seconds = 0))).toBe('lease.heartbeat_interval_seconds');
    expect(specIssue((s) => (s.params.rank = 1024))).toBe('params.rank');
  });
});

describe('UploadSlot', () => {
  const slot = exampleSpec().outputs.artifact;
  it('requires an ISO expiry and an http(s) URL', () => {
    expect(UploadSlot.safeParse(slot).success).toBe(true);
    expect(UploadSlot.safeParse({ ...slot, expires_at: 'tomorrow' }).success).toBe(false);
    expect(UploadSlot.safeParse({ ...slot, url: 'ftp://x/y' }).success).toBe(false);
  });
});

describe('TrainingParams', () => {
  const ok = (params: unknown) => TrainingParams.safeParse(params).success;

  it('accepts an empty object and every bound; refuses unknown keys (no backend extras reach a trainer)', () => {
    expect(ok({})).toBe(true);
    expect(ok({ steps: 1, epochs: 1000, learning_rate: 1, batch_size: 1024, resolution: 64, rank: 512 })).toBe(true);
    expect(ok({ alpha: 2048, dropout: 0.9, warmup_steps: 0, weight_decay: 1, gradient_accumulation: 1024 })).toBe(true);
    expect(ok({ max_grad_norm: 1000, max_seq_len: 131_072, seed: 0, save_every: 0, sample_every: 0 })).toBe(true);
    expect(ok({ optimizer: 'adamw8bit', scheduler: 'cosine', caption_dropout: 1, sample_prompts: Array(8).fill('p') })).toBe(true);
    expect(ok({ rank: 8, network_module: 'networks.lora' })).toBe(false);
  });

  it.each([
    ['steps', 0], ['steps', 100_001], ['steps', 10.5], ['epochs', 1001], ['learning_rate', 0],
    ['learning_rate', 1.5], ['batch_size', 0], ['resolution', 32], ['resolution', 8192], ['rank', 0],
    ['alpha', 0], ['alpha', 4096], ['dropout', 0.95], ['dropout', -0.1], ['warmup_steps', -1],
    ['weight_decay', 2], ['gradient_accumulation', 0], ['max_grad_norm', 0], ['max_seq_len', 8],
    ['seed', -1], ['seed', 1.5], ['save_every', -1], ['sample_every', 0.5], ['caption_dropout', 1.1],
    ['learning_rate', Number.NaN], ['learning_rate', Number.POSITIVE_INFINITY], ['rank', '8'],
    ['optimizer', ''], ['target_modules', 'q_proj'], ['sample_prompts', Array(9).fill('p')],
  ])('rejects %s = %s', (field, value) => {
    expect(ok({ [field]: value })).toBe(false);
  });
});
