// Runs s3rver (a real S3-protocol server) on 127.0.0.1 with a random port, for the storage
// tests. A child process because s3rver encrypts ListObjectsV2 continuation tokens with
// DES, which Node ≥ 17 only offers with --openssl-legacy-provider: enabling that for the
// S3 fake only keeps the test process itself on default crypto.
//
// argv: <directory> <bucket>. Prints {"port": n} once listening; exits when stdin closes
// (the test process ended, however it ended) or on SIGTERM.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import S3rver from 's3rver';

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });

// s3rver 3.7 has no AbortMultipartUpload (DELETE ?uploadId answers 405). S3, R2 and MinIO
// do; this adds it over s3rver's own staging with S3's answers: 204 when the upload
// existed (its parts are removed), 404 NoSuchUpload otherwise.
server.middleware.unshift(async (ctx, next) => {
  const uploadId = ctx.query.uploadId;
  const name = ctx.path.split('/')[1];
  if (ctx.method !== 'DELETE' || typeof uploadId !== 'string' || !/^[0-9a-f]+$/.test(uploadId) || !name) return next();
  const dir = path.join(server.store.getResourcePath(name, undefined, 'uploads'), uploadId);
  const existed = await rm(dir, { recursive: true }).then(() => true, () => false);
  ctx.status = existed ? 204 : 404;
  if (!existed) {
    ctx.type = 'application/xml';
    ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>';
  }
});

const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);

let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  await server.close().catch(() => undefined);
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
