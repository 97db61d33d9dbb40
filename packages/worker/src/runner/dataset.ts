// Gets the job's dataset onto disk, verified and unpacked: images-zip → <jobDir>/dataset/**,
// jsonl → <jobDir>/dataset/data.jsonl. The archive itself is deleted once unpacked.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobSpec } from '@lora-studio/protocol';
import { downloadDataset } from '../io/download.ts';
import type { Logger } from '../io/logger.ts';
import type { RetryOptions } from '../io/retry.ts';
import { extractZip, type UnzipLimits } from '../io/unzip.ts';

export interface DatasetInput {
  spec: JobSpec;
  jobDir: string;
  scratchDir: string;
  signal: AbortSignal;
  log: Logger;
  limits: UnzipLimits;
  retry?: RetryOptions;
  note: (line: string) => void;
}

export async function prepareDataset(input: DatasetInput): Promise<string> {
  const { spec, signal } = input;
  const datasetDir = join(input.jobDir, 'dataset');
  await mkdir(datasetDir, { recursive: true });
  const transfer = { signal, log: input.log, ...(input.retry ? { retry: input.retry } : {}) };
  input.note(`downloading dataset (${spec.dataset.format}, ${spec.dataset.bytes} bytes, ${spec.dataset.count} items)`);
  if (spec.dataset.format === 'jsonl') {
    await downloadDataset({ dataset: spec.dataset, dest: join(datasetDir, 'data.jsonl'), ...transfer });
    input.note('dataset verified (sha256 matches)');
    return datasetDir;
  }
  const archive = join(input.scratchDir, 'dataset.zip');
  await downloadDataset({ dataset: spec.dataset, dest: archive, ...transfer });
  const { files, bytes } = await extractZip(archive, datasetDir, input.limits, signal);
  await rm(archive, { force: true });
  input.note(`dataset verified (sha256 matches) and unpacked: ${files} files, ${bytes} bytes`);
  return datasetDir;
}
