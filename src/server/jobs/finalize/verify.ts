// The success path's checks, in order: the reported artifact exists, re-hashes to the
// reported sha256 and size; every companion file too; the bytes are a safetensors file; it
// is a LoRA (kohya / LyCORIS / diffusers / PEFT); it fits the requested base family. The
// reference worker's tiny base stands in for any family ONLY on a cpu-reference job, and
// that is written into the artifact's metadata — a tiny LoRA never passes for a real one.
// A text LoRA's adapter_config.json must also agree with the request and its tensors (peft.ts).
import { checkBaseFamily, SafetensorsError, type BaseFamily, type JobSucceededData } from '@lora-studio/protocol';
import { JOB_CONFIG } from '@/server/jobs/config';
import { getStorage } from '@/server/storage';
import { hashStoredObject, inspectLoraFile } from './inspect.ts';
import { checkPeftConfig, type PeftRequest } from './peft.ts';

export type Verified = {
  ok: true;
  checksum: string;
  bytes: number;
  format: string;
  meta: Record<string, unknown>;
  files: { name: string; key: string; sha256: string; bytes: number }[];
};
export type Rejected = { ok: false; code: string; message: string };

const MAX_META_VALUE = 2000;

function fileMetadata(meta: Record<string, string>): Record<string, string> {
  // Some trainers store whole tag histograms in metadata; keep it bounded for the database.
  return Object.fromEntries(Object.entries(meta).slice(0, 100).map(([k, v]) => [k, v.length > MAX_META_VALUE ? `${v.slice(0, MAX_META_VALUE)}…` : v]));
}

async function checkObject(what: string, o: { key: string; sha256: string; bytes: number }): Promise<Rejected | null> {
  const head = await getStorage().driver.head(o.key);
  if (!head) return { ok: false, code: 'artifact_missing', message: `${what} ${o.key} was reported but is not in storage.` };
  // Output URLs on S3 carry no signed size (workers cannot know it), so the cap is enforced here.
  if (head.bytes > JOB_CONFIG.artifactMaxBytes) return { ok: false, code: 'artifact_too_large', message: `${what} is ${head.bytes} bytes, over the ${JOB_CONFIG.artifactMaxBytes}-byte limit.` };
  const real = await hashStoredObject(o.key);
  if (real.bytes !== o.bytes) return { ok: false, code: 'artifact_size_mismatch', message: `${what} is ${real.bytes} bytes in storage, the worker reported ${o.bytes}.` };
  if (real.sha256 !== o.sha256) return { ok: false, code: 'artifact_checksum_mismatch', message: `${what} hashes to ${real.sha256} in storage, the worker reported ${o.sha256}.` };
  return null;
}

async function adapterConfigOf(files: JobSucceededData['files']): Promise<Record<string, unknown> | undefined> {
  const f = files.find((x) => x.name === 'adapter_config.json');
  if (!f) return undefined;
  try {
    const parsed: unknown = JSON.parse((await getStorage().driver.getBytes(f.key, { maxBytes: 1024 * 1024 })).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function verifyArtifact(p: {
  report: JobSucceededData;
  family: BaseFamily;
  backend: string | null;
  modality: 'image' | 'text';
  request: Omit<PeftRequest, 'backend'>;
}): Promise<Verified | Rejected> {
  const { report } = p;
  const bad = (await checkObject('The artifact', report.artifact)) ?? (await firstBad(report.files));
  if (bad) return bad;
  const config = await adapterConfigOf(report.files);
  if (p.modality === 'text' && !config) return { ok: false, code: 'artifact_incomplete', message: 'A text LoRA must come with adapter_config.json (PEFT layout).' };
  let inspected;
  try {
    inspected = await inspectLoraFile(report.artifact.key, report.artifact.bytes, config);
  } catch (err) {
    if (err instanceof SafetensorsError) return { ok: false, code: 'artifact_not_safetensors', message: `The artifact is not a valid safetensors file: ${err.message}.` };
    throw err;
  }
  const d = inspected.detected;
  const standIn = p.backend === 'cpu-reference' && checkBaseFamily(d, 'tiny') === null;
  const mismatch = standIn ? null : checkBaseFamily(d, p.family);
  if (mismatch) return { ok: false, code: 'artifact_wrong_base', message: `The artifact does not fit the requested ${p.family} base: ${mismatch}.` };
  if (p.modality === 'text' && config) {
    const bad = checkPeftConfig(inspected.header, config, { ...p.request, backend: p.backend });
    if (bad) return { ok: false, code: 'artifact_config_mismatch', message: `The PEFT adapter is inconsistent: ${bad}.` };
  }
  const meta: Record<string, unknown> = {
    format: d.format,
    ...(d.algo ? { algo: d.algo } : {}),
    rank: d.rank,
    alpha: d.alpha,
    tensor_count: d.tensorCount,
    unrecognized_tensor_count: d.unrecognizedTensorCount,
    target_modules: d.targetModules.slice(0, 500),
    target_module_count: d.targetModules.length,
    text_encoder: d.textEncoder,
    base_model: d.baseModelHint,
    base_family: standIn ? 'tiny' : p.family,
    requested_family: p.family,
    file_metadata: fileMetadata(d.metadata),
    ...(standIn
      ? { stand_in: { family: 'tiny', backend: 'cpu-reference', note: `Trained on the cpu-reference tiny base as a stand-in for ${p.family}; it exercises the pipeline and is not usable with a real ${p.family} model.` } }
      : {}),
  };
  return { ok: true, checksum: report.artifact.sha256, bytes: report.artifact.bytes, format: d.format, meta, files: report.files.map((f) => ({ name: f.name, key: f.key, sha256: f.sha256, bytes: f.bytes })) };
}

async function firstBad(files: JobSucceededData['files']): Promise<Rejected | null> {
  for (const f of files) {
    const bad = await checkObject(`Companion file ${f.name}`, f);
    if (bad) return bad;
  }
  return null;
}
