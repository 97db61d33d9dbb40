import { describe, expect, it } from 'vitest';
import {
  HeartbeatRequest,
  HeartbeatResponse,
  LeaseRequest,
  LeaseResponse,
  PushAccepted,
} from '../src/schemas.ts';
import { generateWebhookSecret } from '../src/signing.ts';
import { exampleSpec } from './examples.ts';

const capabilities = {
  modalities: ['image', 'text'],
  base_families: ['tiny', 'sdxl'],
  backends: ['cpu-reference'],
  gpu: { name: 'NVIDIA A100-SXM4-80GB', vram_mb: 81920, count: 1 },
};

describe('pull API', () => {
  it('validates lease requests', () => {
    expect(LeaseRequest.safeParse({ worker_id: 'gpu-box-1', capabilities }).success).toBe(true);
    expect(LeaseRequest.safeParse({ worker_id: 'cpu', capabilities: { ...capabilities, gpu: null }, max_jobs: 2 }).success).toBe(true);
    expect(LeaseRequest.safeParse({ worker_id: 'w', capabilities: { ...capabilities, modalities: ['audio'] } }).success).toBe(false);
    expect(LeaseRequest.safeParse({ worker_id: 'w', capabilities: { ...capabilities, backends: [] } }).success).toBe(false);
    expect(LeaseRequest.safeParse({ worker_id: 'w', capabilities: { ...capabilities, gpu: { ...capabilities.gpu, count: 0 } } }).success).toBe(false);
    expect(LeaseRequest.safeParse({ worker_id: 'w', capabilities, max_jobs: 0 }).success).toBe(false);
    expect(LeaseRequest.safeParse({ capabilities }).success).toBe(false);
  });

  it('validates lease responses, including the whsec_ secret', () => {
    const lease = { spec: exampleSpec(), signing_secret: generateWebhookSecret(), lease_expires_at: '2025-01-01T00:05:00Z' };
    expect(LeaseResponse.safeParse(lease).success).toBe(true);
    expect(LeaseResponse.safeParse({ ...lease, signing_secret: 'hunter2' }).success).toBe(false);
    expect(LeaseResponse.safeParse({ ...lease, spec: { ...lease.spec, attempt: -1 } }).success).toBe(false);
    expect(LeaseResponse.safeParse({ ...lease, lease_expires_at: 300 }).success).toBe(false);
  });

  it('validates heartbeats', () => {
    const beat = { worker_id: 'w-1', job_id: 'job_1', attempt: 2, step: 10 };
    expect(HeartbeatRequest.safeParse(beat).success).toBe(true);
    expect(HeartbeatRequest.safeParse({ ...beat, step: undefined }).success).toBe(true);
    expect(HeartbeatRequest.safeParse({ ...beat, attempt: 0 }).success).toBe(false);
    expect(HeartbeatResponse.safeParse({ cancel: true, lease_expires_at: null }).success).toBe(true);
    expect(HeartbeatResponse.safeParse({ cancel: false, lease_expires_at: '2025-01-01T00:10:00Z' }).success).toBe(true);
    expect(HeartbeatResponse.safeParse({ cancel: 'no', lease_expires_at: null }).success).toBe(false);
    expect(HeartbeatResponse.safeParse({ cancel: false }).success).toBe(false);
  });
});

describe('push API', () => {
  it('validates the 202 body', () => {
    expect(PushAccepted.parse({ external_job_id: 'ext-1' })).toEqual({ external_job_id: 'ext-1' });
    expect(PushAccepted.safeParse({ external_job_id: '' }).success).toBe(false);
    expect(PushAccepted.safeParse({}).success).toBe(false);
  });
});
