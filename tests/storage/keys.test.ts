import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '@/server/errors';
import { newId } from '@/server/ids';
import {
  assertKeyInWorkspace,
  characterPackKey,
  datasetArchiveKey,
  datasetNormalizedKey,
  datasetPrefix,
  datasetThumbnailKey,
  datasetUploadKey,
  isValidKey,
  jobCheckpointKey,
  jobLogKey,
  jobSampleKey,
  modelPrefix,
  parseDatasetUploadKey,
  sanitizeFilename,
  textDatasetFileKey,
  textTrainingJsonlKey,
  versionArtifactKey,
} from '@/server/storage/keys';

const ws = 'ws_aaaaaaaaaaaaaaaaaaaa';
const ds = 'ds_bbbbbbbbbbbbbbbbbbbb';

describe('storage keys', () => {
  it('builds every key under ws/<workspace>/', () => {
    const lm = 'lm_m';
    const keys = [
      datasetUploadKey({ workspaceId: ws, datasetId: ds, uploadId: 'upl_1', filename: 'IMG 0001.JPG' }),
      datasetNormalizedKey({ workspaceId: ws, datasetId: ds, itemId: 'dsi_1', ext: '.JPG' }),
      datasetThumbnailKey({ workspaceId: ws, datasetId: ds, itemId: 'dsi_1' }),
      datasetArchiveKey({ workspaceId: ws, datasetId: ds }),
      textDatasetFileKey({ workspaceId: ws, datasetId: ds }),
      textTrainingJsonlKey({ workspaceId: ws, datasetId: ds }),
      versionArtifactKey({ workspaceId: ws, modelId: lm, versionId: 'ver_1', file: 'adapter_model.safetensors' }),
      characterPackKey({ workspaceId: ws, modelId: lm, versionId: 'ver_1', platform: 'sora-2-pro' }),
      jobSampleKey({ workspaceId: ws, jobId: 'job_1', attempt: 2, file: 'step-100.png' }),
      jobCheckpointKey({ workspaceId: ws, jobId: 'job_1', attempt: 2, file: 'step-100.safetensors' }),
      jobLogKey({ workspaceId: ws, jobId: 'job_1', attempt: 2 }),
    ];
    expect(keys).toEqual([
      `ws/${ws}/datasets/${ds}/uploads/upl_1-IMG_0001.JPG`,
      `ws/${ws}/datasets/${ds}/normalized/dsi_1.jpg`,
      `ws/${ws}/datasets/${ds}/thumbs/dsi_1.webp`,
      `ws/${ws}/datasets/${ds}/archive/${ds}.zip`,
      `ws/${ws}/datasets/${ds}/text/conversations.jsonl`,
      `ws/${ws}/datasets/${ds}/text/train.jsonl`,
      `ws/${ws}/models/lm_m/versions/ver_1/adapter_model.safetensors`,
      `ws/${ws}/models/lm_m/packs/ver_1/sora-2-pro.zip`,
      `ws/${ws}/jobs/job_1/2/samples/step-100.png`,
      `ws/${ws}/jobs/job_1/2/checkpoints/step-100.safetensors`,
      `ws/${ws}/jobs/job_1/2/logs/worker.log`,
    ]);
    expect(keys.every(isValidKey)).toBe(true);
    // purging a model's prefix takes its packs along (they embed dataset photos)
    expect(keys[7]!.startsWith(modelPrefix(ws, lm))).toBe(true);
    expect(keys.slice(0, 6).every((k) => k.startsWith(datasetPrefix(ws, ds)))).toBe(true);
  });

  it('refuses ids that could change the path', () => {
    for (const bad of ['../x', 'a/b', '', 'a.b', 'x'.repeat(65)]) {
      expect(() => datasetUploadKey({ workspaceId: bad, datasetId: ds, uploadId: 'upl_1', filename: 'a.jpg' }), bad).toThrow(ValidationError);
      expect(() => datasetUploadKey({ workspaceId: ws, datasetId: ds, uploadId: bad, filename: 'a.jpg' }), bad).toThrow(ValidationError);
    }
    expect(() => jobLogKey({ workspaceId: ws, jobId: 'job_1', attempt: -1 })).toThrow(ValidationError);
    expect(() => datasetNormalizedKey({ workspaceId: ws, datasetId: ds, itemId: 'dsi_1', ext: 'jp/g' })).toThrow(ValidationError);
  });

  it('sanitises file names: no traversal, no control characters, ≤ 100 chars, extension kept', () => {
    expect(sanitizeFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFilename('C:\\Users\\me\\photo.jpg')).toBe('photo.jpg');
    expect(sanitizeFilename('..')).toBe('file');
    expect(sanitizeFilename('')).toBe('file');
    expect(sanitizeFilename('.htaccess')).toBe('htaccess');
    expect(sanitizeFilename('a\u0000b\nc\u202e.jpg')).toBe('abc.jpg');
    expect(sanitizeFilename('Café crème (1).PNG')).toBe('Cafe_creme_1_.PNG');
    expect(sanitizeFilename('日本語.jpg')).toBe('file.jpg');
    expect(sanitizeFilename('...jpg')).toBe('jpg');
    expect(sanitizeFilename('photo.')).toBe('photo');
    expect(sanitizeFilename('x.parts')).toBe('x.part_');
    const long = sanitizeFilename(`${'a'.repeat(300)}.safetensors`);
    expect(long.length).toBeLessThanOrEqual(100);
    expect(long.endsWith('.safetensors')).toBe(true);
    for (const name of ['../../etc/passwd', '..', '.htaccess', 'a\u0000b', 'x.parts', 'a'.repeat(300), '  ', '-rf', '…']) {
      expect(isValidKey(`ws/x/${sanitizeFilename(name)}`), name).toBe(true);
    }
  });

  it('parses dataset upload keys back, and nothing else', () => {
    const key = datasetUploadKey({ workspaceId: ws, datasetId: ds, uploadId: 'upl_abc', filename: 'my face-1.jpg' });
    expect(parseDatasetUploadKey(key)).toEqual({ workspaceId: ws, datasetId: ds, uploadId: 'upl_abc', safeName: 'my_face-1.jpg' });
    expect(parseDatasetUploadKey(datasetThumbnailKey({ workspaceId: ws, datasetId: ds, itemId: 'dsi_1' }))).toBeNull();
    expect(parseDatasetUploadKey(`ws/${ws}/datasets/${ds}/uploads/../x`)).toBeNull();
    expect(parseDatasetUploadKey(`ws/${ws}/datasets/${ds}/uploads/a/b-c.jpg`)).toBeNull();
  });

  it('a key from another workspace is "not found"', () => {
    const key = datasetUploadKey({ workspaceId: ws, datasetId: ds, uploadId: 'upl_1', filename: 'a.jpg' });
    expect(() => assertKeyInWorkspace(key, ws)).not.toThrow();
    const other = newId('workspace');
    expect(() => assertKeyInWorkspace(key, other)).toThrow(NotFoundError);
    expect(() => assertKeyInWorkspace(`ws/${ws}x/a`, ws)).toThrow(NotFoundError); // prefix of another id
    expect(() => assertKeyInWorkspace(`ws/${ws}/../${other}/a`, ws)).toThrow(NotFoundError);
  });
});
