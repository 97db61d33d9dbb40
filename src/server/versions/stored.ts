// Before a version file is handed out, storage must still hold what verification recorded.
// A signed link cannot re-hash on S3, so the size is checked here for every download; the
// bytes themselves are checked while streaming (the zip here, and the local driver's route
// for links signed with the recorded sha256 — storage/checked-stream.ts).
import { IntegrityError } from '@/server/errors';
import { getStorage } from '@/server/storage';
import type { StoredFile } from './files.ts';

/** IntegrityError (500, logged by the route wrapper) when the object is gone or its size differs from the record. */
export async function assertStoredAsRecorded(versionId: string, f: StoredFile): Promise<void> {
  const head = await getStorage().driver.head(f.key);
  if (!head) throw new IntegrityError(`File ${f.name} of version ${versionId} is missing from storage; it was not served.`);
  if (f.bytes !== null && head.bytes !== f.bytes) {
    throw new IntegrityError(`File ${f.name} of version ${versionId} does not match its recorded size (${head.bytes} bytes in storage, ${f.bytes} recorded); it was not served.`, {
      file: f.name,
      sha256: f.sha256,
    });
  }
}

/** Options for signing a download link of `f`: the local driver then verifies the sha256 while serving. */
export const checkedGet = (f: StoredFile) => (f.sha256 ? { sha256: f.sha256 } : {});
