import { createHash } from 'node:crypto';
import { sniffFormat } from '@/server/datasets/images';
import type { StorageDriver } from '@/server/storage';
import type { PlannedUpload } from './internal.ts';

export interface FileProblem {
  key: string;
  filename: string | null;
  message: string;
}

export interface VerifiedFile {
  plan: PlannedUpload;
  bytes: Buffer;
  sha256: string;
  format: string;
}

/**
 * Re-read one uploaded object and check it against what init announced and what the client
 * claims: it exists, has the declared size, hashes to the client's sha256, and its magic
 * bytes say it is an image we accept. Nothing from the client is trusted.
 */
export async function verifyUpload(driver: StorageDriver, plan: PlannedUpload, clientSha: string): Promise<VerifiedFile | FileProblem> {
  const fail = (message: string): FileProblem => ({ key: plan.key, filename: plan.filename, message: `${plan.filename}: ${message}` });
  const head = await driver.head(plan.key);
  if (!head) return fail('was not uploaded (no object at its key). Upload it to the URL from init, then commit again.');
  if (head.bytes !== plan.bytes) return fail(`has ${head.bytes} bytes, but ${plan.bytes} were announced at init.`);
  const bytes = await driver.getBytes(plan.key, { maxBytes: plan.bytes });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== clientSha) return fail(`the stored bytes hash to ${sha256.slice(0, 12)}…, not the sha256 you sent (${clientSha.slice(0, 12)}…); the upload was altered or incomplete.`);
  const format = sniffFormat(bytes);
  if (format === 'heic') return fail('is a HEIC/HEIF photo. Convert it to JPEG and upload it again.');
  if (format === 'unknown') return fail('is not a JPEG, PNG, WebP or AVIF image (checked by its content, not its name).');
  return { plan, bytes, sha256, format };
}
