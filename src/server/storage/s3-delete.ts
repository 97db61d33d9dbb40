// Prefix deletion on S3: list a page (≤ 1,000 keys), delete it in one DeleteObjects call,
// repeat. Per-key failures are reported by S3 in the response body, not as an error, so
// they are checked explicitly: a purge that silently kept files would be a privacy bug.
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

export function s3ErrorName(e: unknown): string {
  return (e as { name?: string; Code?: string })?.name ?? (e as { Code?: string })?.Code ?? '';
}

export async function deleteAllUnder(client: S3Client, bucket: string, prefix: string): Promise<number> {
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: 1000 }));
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length > 0) {
      const out = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
      if (out.Errors && out.Errors.length > 0) {
        const first = out.Errors[0];
        throw new Error(`storage: ${out.Errors.length} object(s) under the prefix could not be deleted (first: ${first?.Code ?? 'error'})`);
      }
      deleted += keys.length;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return deleted;
}
