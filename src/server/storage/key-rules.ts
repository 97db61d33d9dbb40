// What a storage key may look like, checked by every driver on every call. The charset is
// deliberately narrow (ASCII letters, digits, `._-`, `/` between segments): keys then map
// onto file paths and URLs without escaping, and no segment can be `.`/`..`, hidden, or
// collide with the local driver's own bookkeeping (`.name.tmp`, `name.parts/`).
import { ForbiddenError, ValidationError } from '@/server/errors';

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const MAX_KEY_LENGTH = 1024;
const MAX_SEGMENT_LENGTH = 200;
/** Suffix reserved for the local driver's multipart staging directories. */
export const PARTS_SUFFIX = '.parts';

function segmentOk(segment: string): boolean {
  return SEGMENT.test(segment) && segment.length <= MAX_SEGMENT_LENGTH && !segment.endsWith(PARTS_SUFFIX);
}

export function isValidKey(key: string): boolean {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) return false;
  return key.split('/').every(segmentOk);
}

export function assertValidKey(key: string): void {
  if (!isValidKey(key)) throw new ValidationError('Invalid storage key.', { key: String(key).slice(0, 200) });
}

/**
 * Sealed keys hold what the control plane verified (a version's weights and companion files,
 * a finished job's log): they contain a segment named `verified`, are written only by the
 * server itself (copy, putStream), and no driver ever signs an upload (PUT, multipart) for
 * them — so a leaked or long-lived upload URL can never reach a verified object.
 */
export const SEALED_SEGMENT = 'verified';

export function isSealedKey(key: string): boolean {
  return isValidKey(key) && key.split('/').includes(SEALED_SEGMENT);
}

/** Every driver calls this before signing an upload. */
export function assertUploadableKey(key: string): void {
  assertValidKey(key);
  if (isSealedKey(key)) throw new ForbiddenError('Verified objects cannot be uploaded to.');
}

/** A prefix is a key, or a key's beginning: it may end with `/` or in mid-segment. */
export function assertValidPrefix(prefix: string): void {
  const body = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (!isValidKey(body)) throw new ValidationError('Invalid storage key prefix.', { prefix: String(prefix).slice(0, 200) });
}

const MAX_NAME = 100;

/**
 * A user-supplied file name made safe for a key segment: the base name only (no
 * directories), control and bidi characters dropped, everything outside `[A-Za-z0-9._-]`
 * folded to `_`, no leading dot, at most 100 characters with the extension kept. The
 * original name belongs in the database, not in the key.
 */
export function sanitizeFilename(name: string): string {
  const base = String(name).split(/[/\\]/).pop() ?? '';
  const folded = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents: "é" → "e" rather than "_"
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/\.{2,}/g, '.');
  // Like path.extname: a leading dot starts a name, not an extension (".htaccess").
  const dot = folded.lastIndexOf('.');
  const hasExt = dot > 0 && folded.length - dot <= 16 && /^\.[A-Za-z0-9]+$/.test(folded.slice(dot));
  const ext = hasExt ? folded.slice(dot) : '';
  let stem = (hasExt ? folded.slice(0, dot) : folded).replace(/^[._-]+/, '');
  stem = stem.slice(0, MAX_NAME - ext.length).replace(/[.]+$/, '');
  let s = `${stem || 'file'}${ext}`;
  if (s.endsWith(PARTS_SUFFIX)) s = `${s.slice(0, -1)}_`;
  return s;
}
