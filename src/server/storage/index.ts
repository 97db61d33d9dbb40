// Picks the storage driver from env: local files under DATA_DIR/storage (signed URLs served
// by /api/storage/local/<token>) or S3 / R2 / MinIO.
import path from 'node:path';
import { env } from '@/env';
import { createStorageDriver, LocalStorageDriver } from './create.ts';
import { handleLocalStorageRequest } from './local-route.ts';
import type { StorageDriver } from './types.ts';

export interface Storage {
  provider: 'local' | 's3' | 'r2';
  driver: StorageDriver;
}

const KEY = Symbol.for('lora-studio.storage');
type G = typeof globalThis & { [KEY]?: Storage & { env: object } };

/** The driver of the current env; a new env (tests override APP_URL) gets a new driver. */
export function getStorage(): Storage {
  const g = globalThis as G;
  const e = env();
  if (!g[KEY] || g[KEY].env !== e) {
    const driver =
      e.STORAGE_PROVIDER === 'local'
        ? createStorageDriver({ provider: 'local', rootDir: path.join(e.DATA_DIR, 'storage'), appUrl: e.APP_URL, signingKey: e.STORAGE_SIGNING_KEY })
        : createStorageDriver({
            provider: e.STORAGE_PROVIDER,
            bucket: e.STORAGE_BUCKET!,
            region: e.STORAGE_REGION,
            endpoint: e.STORAGE_ENDPOINT,
            accessKeyId: e.STORAGE_ACCESS_KEY!,
            secretAccessKey: e.STORAGE_SECRET_KEY!,
            forcePathStyle: e.STORAGE_FORCE_PATH_STYLE,
          });
    g[KEY] = { provider: e.STORAGE_PROVIDER, driver, env: e };
  }
  return g[KEY];
}

export type { StorageDriver } from './types.ts';

/** GET/HEAD/PUT /api/storage/local/<token> — only served when the local driver is in use. */
export async function serveLocalStorage(request: Request, token: string): Promise<Response> {
  const { driver } = getStorage();
  if (!(driver instanceof LocalStorageDriver)) {
    return new Response(JSON.stringify({ error: { code: 'not_found', message: 'Local storage is not in use.' } }), {
      status: 404,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  }
  return handleLocalStorageRequest(request, token, { driver, signingKey: env().STORAGE_SIGNING_KEY });
}
