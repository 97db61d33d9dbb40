// What the browser can tell before uploading. The server re-checks everything (init by
// name and type, commit by the real bytes); these checks only spare a round trip and give
// the same clear message up front.

export const ACCEPT = 'image/jpeg,image/png,image/webp,image/avif,.jpg,.jpeg,.png,.webp,.avif';
export const MAX_BYTES = 50 * 1024 * 1024; // = MAX_IMAGE_BYTES on the server
export const UPLOAD_CONCURRENCY = 3;

const BY_EXT: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif' };
const OK_TYPES = new Set(Object.values(BY_EXT));

const extOf = (name: string) => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';

/** The content type to announce: the browser's, or one from the extension when it has none. */
export function contentTypeOf(file: File): string {
  return file.type || BY_EXT[extOf(file.name)] || 'application/octet-stream';
}

export function isHeic(file: File): boolean {
  return /^(heic|heif)$/.test(extOf(file.name)) || file.type === 'image/heic' || file.type === 'image/heif';
}

/** null when the file may be uploaded, else why not (naming the file, like the server). */
export function refusalOf(file: File): string | null {
  if (isHeic(file)) {
    return `${file.name} is a HEIC/HEIF photo. Convert it to JPEG first (on an iPhone: Settings → Camera → Formats → Most Compatible, or export as JPEG).`;
  }
  if (!OK_TYPES.has(contentTypeOf(file))) return `${file.name} is not a JPEG, PNG, WebP or AVIF image.`;
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > MAX_BYTES) return `${file.name} is ${formatBytes(file.size)}; photos can be at most ${formatBytes(MAX_BYTES)}.`;
  return null;
}

/** Browsers cannot draw HEIC, so no preview is made for refused files. */
export const canPreview = (file: File) => refusalOf(file) === null;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export const sameFile = (a: File, b: File) => a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;
