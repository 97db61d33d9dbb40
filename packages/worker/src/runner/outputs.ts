// Final uploads: the artifact to outputs.artifact and each extra file to its named slot.
// Every slot is checked before the first byte goes out, so a job never ends half-published.
import type { JobSpec, ReportedObject, UploadSlot } from '@lora-studio/protocol';
import type { BackendResult } from '../backends/types.ts';
import { JobFailure } from './failure.ts';

export type Upload = (path: string, slot: UploadSlot, what: string) => Promise<ReportedObject>;

export async function uploadOutputs(
  spec: JobSpec,
  result: BackendResult,
  upload: Upload,
): Promise<{ artifact: ReportedObject; files: (ReportedObject & { name: string })[] }> {
  const plan = result.extraFiles.map((file) => {
    const slot = Object.hasOwn(spec.outputs.extra_files, file.name) ? spec.outputs.extra_files[file.name] : undefined;
    if (!slot) {
      const offered = Object.keys(spec.outputs.extra_files).join(', ') || 'none';
      throw new JobFailure(
        'missing_output_slot',
        `the backend produced ${file.name}, but the job spec has no outputs.extra_files["${file.name}"] upload slot ` +
          `(slots offered: ${offered}); the control plane must provide one for this kind of job`,
      );
    }
    return { file, slot };
  });
  if (new Set(plan.map((p) => p.file.name)).size !== plan.length) {
    throw new JobFailure('backend_error', 'the backend returned the same extra file name twice');
  }
  if (plan.length > 100) throw new JobFailure('backend_error', `the backend returned ${plan.length} extra files; at most 100 fit a job.succeeded event`);

  const artifact = await upload(result.artifactPath, spec.outputs.artifact, 'artifact');
  const files: (ReportedObject & { name: string })[] = [];
  for (const { file, slot } of plan) {
    files.push({ name: file.name, ...(await upload(file.path, slot, file.name)) });
  }
  return { artifact, files };
}
