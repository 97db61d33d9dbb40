import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildSignedHeaders,
  decodeWebhookSecret,
  deriveJobSigningSecret,
  generateWebhookSecret,
  jobAttemptHeaders,
  readJobAttemptHeaders,
  verifyWebhook,
  WebhookVerificationError,
} from '../src/signing.ts';

const body = '{"type":"job.progress","job_id":"job_a","attempt":2,"seq":5}';
const T = 1_700_000_000;

function reasonOf(run: () => unknown): string {
  try {
    run();
    return 'no error';
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
}

describe('per-attempt job secrets', () => {
  const master = generateWebhookSecret();

  it('is HMAC-SHA256(master key, "lora-studio/v1/job/<id>/<attempt>") as a whsec_ secret', () => {
    const expected = createHmac('sha256', decodeWebhookSecret(master))
      .update('lora-studio/v1/job/job_42/3')
      .digest('base64');
    expect(deriveJobSigningSecret(master, 'job_42', 3)).toBe(`whsec_${expected}`);
  });

  it('differs per job, per attempt and per master secret, and is stable', () => {
    const keys = [
      deriveJobSigningSecret(master, 'job_a', 1),
      deriveJobSigningSecret(master, 'job_a', 2),
      deriveJobSigningSecret(master, 'job_b', 1),
      deriveJobSigningSecret(generateWebhookSecret(), 'job_a', 1),
    ];
    expect(new Set(keys).size).toBe(4);
    expect(deriveJobSigningSecret(master, 'job_a', 1)).toBe(keys[0]);
    expect(() => deriveJobSigningSecret(master, 'job_a', 0)).toThrow(TypeError);
    expect(() => deriveJobSigningSecret(master, '', 1)).toThrow(TypeError);
  });

  it('lets a receiver pick the key from the job headers; another attempt\'s key fails', () => {
    const workerSecret = deriveJobSigningSecret(master, 'job_a', 2);
    const headers = { ...buildSignedHeaders({ body, secret: workerSecret, now: T }), ...jobAttemptHeaders('job_a', 2) };
    const job = readJobAttemptHeaders(headers);
    expect(job).toEqual({ jobId: 'job_a', attempt: 2 });
    const receiverSecret = deriveJobSigningSecret(master, job!.jobId, job!.attempt);
    expect(verifyWebhook({ headers, body, secret: receiverSecret, now: T }).id).toMatch(/^msg_/);
    const otherAttempt = deriveJobSigningSecret(master, 'job_a', 1);
    expect(reasonOf(() => verifyWebhook({ headers, body, secret: otherAttempt, now: T }))).toBe(
      'no_matching_signature',
    );
  });

  it('reads no job from missing or malformed job headers', () => {
    expect(readJobAttemptHeaders({})).toBeNull();
    expect(readJobAttemptHeaders({ 'lora-job-id': 'job_a', 'lora-job-attempt': '0' })).toBeNull();
    expect(readJobAttemptHeaders({ 'lora-job-id': 'job_a', 'lora-job-attempt': '1.5' })).toBeNull();
    expect(readJobAttemptHeaders(new Headers({ 'Lora-Job-Id': 'job_a', 'Lora-Job-Attempt': '7' }))).toEqual({
      jobId: 'job_a',
      attempt: 7,
    });
  });
});
