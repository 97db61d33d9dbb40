import { randomBytes } from 'node:crypto';

// Self-describing ids (STYLE.md §12): a prefix per entity and 20 random base32 chars
// (100 bits), lower-case so they are safe in URLs, storage keys and file names.
export const ID_PREFIXES = {
  workspace: 'ws',
  user: 'usr',
  model: 'lm',
  dataset: 'ds',
  datasetItem: 'dsi',
  version: 'ver',
  job: 'job',
  event: 'evt',
  consent: 'cns',
  audit: 'aud',
  apiKey: 'key',
  workerToken: 'wkt',
  webhookEndpoint: 'whe',
  webhookDelivery: 'whd',
  receipt: 'rcp',
  cost: 'cost',
  notification: 'ntf',
  request: 'req',
  upload: 'upl',
  message: 'msg',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function newId(kind: IdKind): string {
  const bytes = randomBytes(20);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return `${ID_PREFIXES[kind]}_${out}`;
}

export function hasPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(`${ID_PREFIXES[kind]}_`);
}
