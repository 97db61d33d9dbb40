// Verified objects are immutable: before anything is checked, the reported artifact and its
// companion files are copied (server-side) from the upload slots to sealed keys
// (`…/verified/<seal>/…`, storage/key-rules.ts) that no driver ever signs an upload for.
// Verification then reads ONLY those copies, and the version records only their keys, so a
// second PUT on a still-valid slot URL (S3 presigned PUTs cannot be revoked) changes nothing
// that is verified or served. `seal` is one verification run's id: two verifiers racing on
// the same report never write the same object. Once the outcome is applied the slots are
// closed (local driver: later PUTs get 409) and emptied; a run whose result was not applied
// removes its copies.
import { randomBytes } from 'node:crypto';
import type { JobSucceededData } from '@lora-studio/protocol';
import type { ServiceContext } from '@/server/http/context';
import { JOB_CONFIG } from '@/server/jobs/config';
import { getStorage } from '@/server/storage';
import { sealedJobLogKey, sealedVersionFileKey } from '@/server/storage/keys';
import type { JobWithVersion } from '../internal.ts';
import type { OutputKeys } from '../spec.ts';
import type { Rejected } from './verify.ts';

export interface SealedOutputs {
  ok: true;
  /** The report with every key replaced by its sealed copy: what verification reads and the version records. */
  report: JobSucceededData;
  /** The sealed copy of this attempt's log, when the worker uploaded one. */
  logsKey: string | null;
}

const newSeal = (attempt: number) => `a${attempt}_${randomBytes(8).toString('hex')}`;
/** `…/a2-lora.safetensors` → `lora.safetensors` (the seal already names the attempt). */
const slotFileName = (key: string) => key.split('/').pop()!.replace(/^a\d+-/, '');

async function sealOne(what: string, from: string, to: string, copies: string[]): Promise<Rejected | null> {
  const { driver } = getStorage();
  const head = await driver.head(from);
  if (!head) return { ok: false, code: 'artifact_missing', message: `${what} ${from} was reported but is not in storage.` };
  // Output URLs on S3 carry no signed size (workers cannot know it), so the cap is enforced here, before copying.
  if (head.bytes > JOB_CONFIG.artifactMaxBytes) return { ok: false, code: 'artifact_too_large', message: `${what} is ${head.bytes} bytes, over the ${JOB_CONFIG.artifactMaxBytes}-byte limit.` };
  copies.push(to);
  await driver.copy(from, to);
  return null;
}

/**
 * Copies the reported outputs to sealed keys, listing each key in `copies` BEFORE writing it
 * (so the caller can remove them whatever happens). Storage errors propagate (the scheduler retries).
 */
export async function sealOutputs(jv: JobWithVersion, attempt: number, report: JobSucceededData, logsSlot: string | null, copies: string[]): Promise<SealedOutputs | Rejected> {
  const { job, version } = jv;
  const seal = newSeal(attempt);
  const at = (file: string) => sealedVersionFileKey({ workspaceId: job.workspaceId, modelId: version.loraModelId, versionId: version.id, seal, file });
  const artifactKey = at(slotFileName(report.artifact.key));
  const bad = await sealOne('The artifact', report.artifact.key, artifactKey, copies);
  if (bad) return bad;
  const files: JobSucceededData['files'] = [];
  for (const f of report.files) {
    const key = at(f.name);
    const bad2 = await sealOne(`Companion file ${f.name}`, f.key, key, copies);
    if (bad2) return bad2;
    files.push({ ...f, key });
  }
  // The log is a convenience copy (the job.log events are the record): no log is no failure.
  let logsKey: string | null = null;
  if (logsSlot && (await getStorage().driver.head(logsSlot))) {
    logsKey = sealedJobLogKey({ workspaceId: job.workspaceId, jobId: job.id, attempt, seal });
    copies.push(logsKey);
    await getStorage().driver.copy(logsSlot, logsKey);
  }
  return { ok: true, report: { ...report, artifact: { ...report.artifact, key: artifactKey }, files }, logsKey };
}

/** After the outcome was applied: no slot of this attempt takes uploads any more; the sealed objects' sources go. */
export async function closeSlots(ctx: ServiceContext, keys: OutputKeys, sealedFrom: string[]): Promise<void> {
  const { driver } = getStorage();
  const all = [keys.artifact, ...Object.values(keys.extra_files), ...keys.samples, ...keys.checkpoints, keys.logs];
  try {
    for (const k of all) await driver.closeUploads(k);
    for (const k of sealedFrom) await driver.delete(k);
  } catch (err) {
    // Integrity does not depend on this (the version reads sealed copies only); the purge of the version removes what is left.
    ctx.log.warn({ err }, 'could not close or empty the upload slots of a verified job');
  }
}

/** A run whose result was not applied (rejected, or another verifier settled first) leaves nothing behind. */
export async function discardCopies(ctx: ServiceContext, copies: string[]): Promise<void> {
  for (const k of copies) {
    await getStorage()
      .driver.delete(k)
      .catch((err: unknown) => ctx.log.warn({ err, key: k }, 'could not remove an unused sealed copy'));
  }
}
