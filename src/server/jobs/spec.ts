// Builds the JobSpec a worker runs (protocol v1): dataset as a signed GET, every output as a
// signed PUT with its content type and byte cap, callbacks, deadline. Only the storage KEYS
// are kept on the job row (spec_json.outputs): signed URLs are credentials and stay out of
// the database; the keys are what the success path later accepts — nothing else.
import { PROTOCOL_VERSION, type BackendId, type BaseFamily, type JobSpec, type TrainingParams, type UploadSlot } from '@lora-studio/protocol';
import { eq } from 'drizzle-orm';
import { env } from '@/env';
import type { DbOrTx } from '@/server/db';
import { baseModels, loraModels } from '@/server/db/schema/index.ts';
import { getStorage } from '@/server/storage';
import { jobCheckpointKey, jobLogKey, jobSampleKey, versionArtifactKey } from '@/server/storage/keys';
import { JOB_CONFIG as C } from './config.ts';
import type { JobWithVersion } from './internal.ts';
import { loadPinnedSnapshot } from './snapshot.ts';

export interface OutputKeys {
  artifact: string;
  extra_files: Record<string, string>;
  samples: string[];
  checkpoints: string[];
  logs: string;
}

const TEXT_EXTRA_FILES = ['adapter_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

export function outputKeysFor(jv: JobWithVersion, modality: 'image' | 'text', attempt: number): OutputKeys {
  const v = { workspaceId: jv.job.workspaceId, modelId: jv.version.loraModelId, versionId: jv.version.id };
  // Per-attempt names: a stale attempt that is still uploading can never overwrite the
  // artifact a newer attempt had verified.
  const file = (name: string) => versionArtifactKey({ ...v, file: `a${attempt}-${name}` });
  const j = { workspaceId: jv.job.workspaceId, jobId: jv.job.id, attempt };
  const sampleExt = modality === 'image' ? 'png' : 'txt';
  return {
    artifact: file(modality === 'image' ? 'lora.safetensors' : 'adapter_model.safetensors'),
    extra_files: Object.fromEntries((modality === 'text' ? TEXT_EXTRA_FILES : []).map((n) => [n, file(n)])),
    samples: Array.from({ length: C.sampleSlots }, (_, i) => jobSampleKey({ ...j, file: `sample-${i}.${sampleExt}` })),
    checkpoints: Array.from({ length: C.checkpointSlots }, (_, i) => jobCheckpointKey({ ...j, file: `checkpoint-${i}.safetensors` })),
    logs: jobLogKey(j),
  };
}

async function slot(key: string, contentType: string, maxBytes: number, expiresInSeconds: number): Promise<UploadSlot> {
  // Workers cannot know output sizes in advance; the stored size is checked on verification.
  const put = await getStorage().driver.presignPut({ key, contentType, maxBytes, expiresInSeconds, exactSize: false });
  return { key, url: put.url, method: 'PUT', content_type: contentType, max_bytes: maxBytes, expires_at: put.expiresAt.toISOString() };
}

export interface BuiltSpec {
  spec: JobSpec;
  keys: OutputKeys;
  family: BaseFamily;
}

/** The spec for the job's CURRENT attempt. `lease` is null in push mode. */
export async function buildJobSpec(
  db: DbOrTx,
  jv: JobWithVersion,
  opts: { backend?: BackendId; lease: { expiresAt: Date } | null; now: Date },
): Promise<BuiltSpec> {
  const { job, version } = jv;
  const [model] = await db.select().from(loraModels).where(eq(loraModels.id, version.loraModelId));
  const [base] = await db.select().from(baseModels).where(eq(baseModels.id, version.trainableBaseModel));
  if (!model || !base) throw new Error(`job ${job.id}: model or base model is missing`);
  // The dataset input is the snapshot pinned when the run was consented to, never the dataset
  // as it is now; DatasetSnapshotError when it changed or is gone (jobs/snapshot.ts).
  const { snapshot, dataset } = await loadPinnedSnapshot(db, version);
  const deadline = job.deadlineAt ?? new Date(opts.now.getTime() + C.deadlineHours * 3600_000);
  // URLs live until the deadline (plus slack for a final upload), within storage's limits.
  const ttl = Math.min(7 * 24 * 3600, Math.max(3600, Math.ceil((deadline.getTime() - opts.now.getTime()) / 1000) + 3600));
  const keys = outputKeysFor(jv, dataset.modality, job.attempt);
  const sampleType = dataset.modality === 'image' ? 'image/png' : 'text/plain';
  // Signed with the pinned sha256: the local driver will not finish serving other bytes.
  const get = await getStorage().driver.presignGet({ key: snapshot.key, expiresInSeconds: ttl, sha256: snapshot.sha256 });
  const appUrl = env().APP_URL;
  const spec: JobSpec = {
    protocol: PROTOCOL_VERSION,
    job_id: job.id,
    attempt: job.attempt,
    modality: dataset.modality,
    kind: model.kind,
    ...(opts.backend ? { backend: opts.backend } : {}),
    base_model: { id: base.id, family: base.family as BaseFamily, revision: base.revision, ...(base.hfRepo ? { hf_repo: base.hfRepo } : {}) },
    params: version.paramsJson as TrainingParams,
    trigger_word: model.triggerWord,
    model_name: model.name,
    dataset: {
      url: get.url,
      sha256: snapshot.sha256,
      bytes: snapshot.bytes,
      format: dataset.modality === 'image' ? 'images-zip' : 'jsonl',
      count: snapshot.count,
    },
    outputs: {
      artifact: await slot(keys.artifact, 'application/octet-stream', C.artifactMaxBytes, ttl),
      extra_files: Object.fromEntries(
        await Promise.all(Object.entries(keys.extra_files).map(async ([n, k]) => [n, await slot(k, 'application/json', C.extraFileMaxBytes, ttl)] as const)),
      ),
      samples: await Promise.all(keys.samples.map((k) => slot(k, sampleType, C.sampleMaxBytes, ttl))),
      checkpoints: await Promise.all(keys.checkpoints.map((k) => slot(k, 'application/octet-stream', C.artifactMaxBytes, ttl))),
      logs: await slot(keys.logs, 'text/plain', C.logMaxBytes, ttl),
    },
    callback: { events_url: `${appUrl}/api/lora/webhook`, ...(opts.lease ? { heartbeat_url: `${appUrl}/api/workers/heartbeat` } : {}) },
    lease: opts.lease ? { expires_at: opts.lease.expiresAt.toISOString(), heartbeat_interval_seconds: C.heartbeatSeconds } : null,
    deadline: deadline.toISOString(),
    created_at: opts.now.toISOString(),
  };
  return { spec, keys, family: base.family as BaseFamily };
}
