// Raw photo uploads are transit only. They carry whatever the camera wrote (EXIF, GPS, serial
// numbers), and once commit has checked them and made the clean copy nothing reads them again:
// validation and training both use the copies. So a raw upload lives from init to commit, and
// its signed URL is short-lived and closed at commit (local: refused; S3 cannot revoke a
// presigned PUT, so the scheduler's sweep deletes anything that lands later).
import type { Logger } from '@/server/http/logger';
import type { StorageDriver } from '@/server/storage';

/** How long an image upload link is valid. The browser signs a batch at init and uploads it at once. */
export const IMAGE_UPLOAD_TTL_SECONDS = 15 * 60;

/** After its link expired, an uploaded but uncommitted photo may still be committed for this long; then the sweep deletes it. */
export const RAW_UPLOAD_GRACE_MS = 60 * 60 * 1000;

/**
 * No more uploads to these keys, and their objects deleted; returns how many were. A failure
 * is logged and left to the sweep (the dataset's uploads_sweep_at is still set).
 */
export async function retireRawUploads(driver: StorageDriver, keys: string[], log: Logger): Promise<number> {
  let done = 0;
  for (const key of keys) {
    try {
      await driver.closeUploads(key);
      await driver.delete(key);
      done++;
    } catch (err) {
      log.warn({ err, key }, 'raw upload not deleted yet; the scheduler sweep retries');
    }
  }
  return done;
}
