// A worker may only report objects at keys WE issued for its job attempt. Anything else
// (another workspace's object, an old attempt's artifact) is refused before it is recorded,
// so the success path never reads a key a worker chose.
import type { WorkerEvent } from '@lora-studio/protocol';
import type { JobWithVersion } from '@/server/jobs/internal';
import { outputKeysFor } from '@/server/jobs/spec';

export function unexpectedKey(jv: JobWithVersion, modality: 'image' | 'text', e: WorkerEvent): string | null {
  const keys = outputKeysFor(jv, modality, e.attempt);
  switch (e.type) {
    case 'job.checkpoint':
      return keys.checkpoints.includes(e.data.key) ? null : e.data.key;
    case 'job.sample':
      return keys.samples.includes(e.data.key) ? null : e.data.key;
    case 'job.succeeded': {
      if (e.data.artifact.key !== keys.artifact) return e.data.artifact.key;
      const bad = e.data.files.find((f) => keys.extra_files[f.name] !== f.key);
      return bad ? bad.key : null;
    }
    default:
      return null;
  }
}
