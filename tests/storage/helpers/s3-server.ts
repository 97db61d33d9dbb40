// A real S3-protocol server (s3rver, see s3rver-child.mjs) on loopback with a temp
// directory, and the S3 driver pointed at it. s3rver does not verify SigV4 signatures, so
// no test may rely on it to reject a bad or expired signature.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { S3StorageDriver } from '@/server/storage/s3';

export const BUCKET = 'lora-test';
const CHILD = fileURLToPath(new URL('./s3rver-child.mjs', import.meta.url));

export interface S3Harness {
  driver: S3StorageDriver;
  endpoint: string;
  stop(): Promise<void>;
}

export async function startS3Harness(): Promise<S3Harness> {
  const directory = await mkdtemp(path.join(tmpdir(), 'lora-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', CHILD, directory, BUCKET], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const firstLine = (async () => {
    for await (const line of createInterface({ input: child.stdout })) return line;
    throw new Error('s3rver exited before it listened');
  })();
  const started = await Promise.race([firstLine, exited.then(() => Promise.reject(new Error('s3rver exited before it listened')))]);
  const { port } = JSON.parse(started) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const driver = new S3StorageDriver({
    provider: 's3',
    bucket: BUCKET,
    region: 'us-east-1', // s3rver's continuation tokens only accept us-east-1
    endpoint,
    accessKeyId: 'S3RVER', // s3rver's built-in account
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  });
  return {
    driver,
    endpoint,
    stop: async () => {
      driver.client.destroy();
      child.stdin.end(); // the child closes its server and exits
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
