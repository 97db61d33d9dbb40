// io/: the zip-slip-safe extractor, the verified dataset download and the slot upload, against
// real files and a real HTTP server (the control-plane stand-in).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadDataset } from '../src/io/download.ts';
import { silentLogger } from '../src/io/logger.ts';
import { DEFAULT_UNZIP_LIMITS, extractZip } from '../src/io/unzip.ts';
import { uploadFile } from '../src/io/upload.ts';
import { JobFailure } from '../src/runner/failure.ts';
import { ControlPlaneStandIn, sha256 } from './harness/control-plane.ts';
import { rawZip, type RawEntry } from './harness/zip.ts';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'worker-io-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

async function extract(entries: RawEntry[], limits = DEFAULT_UNZIP_LIMITS) {
  const zipPath = join(tmp, 'in.zip');
  writeFileSync(zipPath, rawZip(entries));
  const dest = join(tmp, 'out', 'dataset');
  return { dest, result: extractZip(zipPath, dest, limits) };
}

async function refusal(entries: RawEntry[], limits = DEFAULT_UNZIP_LIMITS): Promise<JobFailure> {
  const { result } = await extract(entries, limits);
  const err = await result.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(JobFailure);
  return err as JobFailure;
}

describe('extractZip', () => {
  it('unpacks images and captions, folders included', async () => {
    const { dest, result } = await extract([
      { name: 'a.png', data: 'png-a' },
      { name: 'a.txt', data: 'a caption' },
      { name: 'sub/', mode: 0o040755 },
      { name: 'sub/b.png', data: 'png-b' },
      { name: '__MACOSX/._a.png', data: 'resource fork' },
    ]);
    expect(await result).toEqual({ files: 3, bytes: 19 });
    expect(readFileSync(join(dest, 'a.txt'), 'utf8')).toBe('a caption');
    expect(readFileSync(join(dest, 'sub', 'b.png'), 'utf8')).toBe('png-b');
    expect(existsSync(join(dest, '__MACOSX'))).toBe(false);
  });

  it.each([
    ['a parent-directory path', '../evil.txt'],
    ['a nested parent-directory path', 'ok/../../evil.txt'],
    ['an absolute path', '/tmp/evil.txt'],
    ['a drive-letter path', 'C:/evil.txt'],
    ['a backslash path', '..\\evil.txt'],
  ])('refuses %s and writes nothing outside the dataset folder', async (_what, name) => {
    const err = await refusal([{ name: 'fine.png', data: 'x' }, { name, data: 'pwned' }]);
    expect(err.code).toBe('dataset_unsafe_archive');
    expect(err.message).toMatch(/dataset archive refused/);
    expect(existsSync(join(tmp, 'out', 'evil.txt'))).toBe(false);
    expect(existsSync(join(tmp, 'evil.txt'))).toBe(false);
  });

  it('refuses a symlink entry', async () => {
    const err = await refusal([{ name: 'link', data: '/etc/passwd', mode: 0o120777 }]);
    expect(err.code).toBe('dataset_unsafe_archive');
    expect(err.message).toMatch(/symbolic link/);
    expect(existsSync(join(tmp, 'out', 'dataset', 'link'))).toBe(false);
  });

  it('refuses too many entries before writing any', async () => {
    const err = await refusal(
      Array.from({ length: 5 }, (_, i) => ({ name: `${i}.png`, data: 'x' })),
      { ...DEFAULT_UNZIP_LIMITS, maxEntries: 4 },
    );
    expect(err.message).toMatch(/5 entries, more than the 4 allowed/);
    expect(existsSync(join(tmp, 'out', 'dataset', '0.png'))).toBe(false);
  });

  it('refuses archives that are too large once uncompressed', async () => {
    const err = await refusal(
      [{ name: 'a.bin', data: Buffer.alloc(600) }, { name: 'b.bin', data: Buffer.alloc(600) }],
      { ...DEFAULT_UNZIP_LIMITS, maxTotalBytes: 1000 },
    );
    expect(err.message).toMatch(/more than 1000 bytes once uncompressed/);
  });

  it('reports a file that is not a zip as an invalid archive', async () => {
    const zipPath = join(tmp, 'bad.zip');
    writeFileSync(zipPath, 'not a zip at all');
    const err = await extractZip(zipPath, join(tmp, 'out'), DEFAULT_UNZIP_LIMITS).catch((e: unknown) => e);
    expect((err as JobFailure).code).toBe('dataset_invalid_archive');
  });
});

describe('downloadDataset and uploadFile', () => {
  let cp: ControlPlaneStandIn;
  beforeAll(async () => {
    cp = await ControlPlaneStandIn.start();
  });
  afterAll(() => cp.stop());

  const signal = new AbortController().signal;
  const retry = { tries: 2, baseMs: 10, capMs: 20 };

  it('downloads to disk and accepts a matching sha256', async () => {
    const bytes = Buffer.from('{"messages":[]}\n'.repeat(1000));
    cp.addDataset('ok.jsonl', bytes);
    const dest = join(tmp, 'ok.jsonl');
    await downloadDataset({ dataset: { url: `${cp.url}/datasets/ok.jsonl`, bytes: bytes.length, sha256: sha256(bytes) }, dest, signal, log: silentLogger, retry });
    expect(readFileSync(dest).equals(bytes)).toBe(true);
  });

  it('refuses a download larger than the spec says, naming both sizes', async () => {
    const bytes = Buffer.from('0123456789');
    cp.addDataset('long.bin', bytes);
    const dest = join(tmp, 'long.bin');
    const err = await downloadDataset({ dataset: { url: `${cp.url}/datasets/long.bin`, bytes: 5, sha256: sha256(bytes) }, dest, signal, log: silentLogger, retry }).catch((e: unknown) => e);
    expect((err as JobFailure).code).toBe('dataset_checksum_mismatch');
    expect((err as JobFailure).message).toMatch(/expected 5 bytes/);
    expect(existsSync(dest)).toBe(false);
  });

  it('uploads with the slot content type and reports the sha256 of what was sent', async () => {
    const spec = cp.makeSpec({ jobId: 'job_io_up', dataset: { name: 'ok.jsonl', format: 'jsonl' } });
    const file = join(tmp, 'weights.bin');
    const bytes = Buffer.alloc(300_000, 7);
    writeFileSync(file, bytes);
    const reported = await uploadFile({ path: file, slot: spec.outputs.artifact, what: 'artifact', signal, log: silentLogger, retry });
    expect(reported).toEqual({ key: spec.outputs.artifact.key, sha256: sha256(bytes), bytes: bytes.length });
    expect(cp.objects.get(spec.outputs.artifact.key)?.bytes.equals(bytes)).toBe(true);
  });

  it('refuses a file larger than the slot max_bytes without sending it', async () => {
    const spec = cp.makeSpec({ jobId: 'job_io_big', dataset: { name: 'ok.jsonl', format: 'jsonl' } });
    const slot = { ...spec.outputs.artifact, max_bytes: 10 };
    const file = join(tmp, 'big.bin');
    writeFileSync(file, Buffer.alloc(11));
    const err = await uploadFile({ path: file, slot, what: 'artifact', signal, log: silentLogger, retry }).catch((e: unknown) => e);
    expect((err as JobFailure).code).toBe('output_too_large');
    expect(cp.objects.has(slot.key)).toBe(false);
    expect(readdirSync(tmp)).toContain('big.bin');
  });
});
