import type { LoraDataset } from '@/server/db/schema/index.ts';
import type { Logger } from '@/server/http/logger';
import { getStorage } from '@/server/storage';
import { textPlanOf } from './plan.ts';
import { abortTextValidation } from './registry.ts';

/**
 * A text dataset is being deleted: stop its validation in this process (it cleans up its own
 * output; one in another process notices on its next progress write) and abort an unfinished
 * multipart upload so its parts do not linger. Both are idempotent.
 */
export async function stopTextDatasetWork(d: LoraDataset, log: Logger): Promise<void> {
  await abortTextValidation(d.id);
  const file = textPlanOf(d)?.files[0];
  if (!file?.multipart) return;
  await getStorage()
    .driver.abortMultipart({ key: file.key, uploadId: file.multipart.upload_id })
    .catch((err: unknown) => log.warn({ err, datasetId: d.id }, 'multipart abort failed; the bucket lifecycle rule removes the parts'));
}
