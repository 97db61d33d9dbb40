import type { Rejection, RejectionCode } from './schemas.ts';

// Human wording for files that cannot be used. Each message names the file; each hint
// says what the person can do about it.

const q = (filename: string) => `"${filename}"`;

export function rejection(code: RejectionCode, filename: string, detail?: string): Rejection {
  const f = q(filename);
  switch (code) {
    case 'empty_file':
      return { code, message: `${f} is empty (0 bytes).`, hint: 'Upload the photo again; the transfer may have failed.' };
    case 'unsupported_format':
      return {
        code,
        message: `${f} is not a JPEG, PNG, WebP or AVIF image${detail ? ` (${detail})` : ''}.`,
        hint: 'Upload photos as JPEG, PNG, WebP or AVIF.',
      };
    case 'heic_not_supported':
      return {
        code,
        message: `${f} is a HEIC/HEIF photo (the iPhone camera format), which cannot be read here. Convert it to JPEG.`,
        hint: 'Convert to JPEG and upload again: export or share it as JPEG, or set iPhone Settings › Camera › Formats › Most Compatible.',
      };
    case 'format_mismatch':
      return {
        code,
        message: `${f} starts like one image format but decodes as another${detail ? ` (${detail})` : ''}.`,
        hint: 'Re-export the photo as JPEG and upload it again.',
      };
    case 'animated':
      return {
        code,
        message: `${f} is animated${detail ? ` (${detail})` : ''}; training needs still photos.`,
        hint: 'Export a single frame as JPEG or PNG, or upload the original still photo.',
      };
    case 'too_many_pixels':
      return {
        code,
        message: `${f} is too large to process${detail ? ` (${detail})` : ''}.`,
        hint: 'Resize it (4096 px on the longer side is plenty for training) and upload it again.',
      };
    case 'decode_failed':
      return {
        code,
        message: `${f} could not be decoded${detail ? `: ${detail}` : ''}. The file is damaged or incomplete.`,
        hint: 'Open it on your device to check it, re-export it as JPEG and upload it again.',
      };
    case 'decode_timeout':
      return {
        code,
        message: `${f} took too long to decode${detail ? ` (${detail})` : ''} and was skipped.`,
        hint: 'Re-export it as an ordinary JPEG of at most 4096 pixels on its longer side.',
      };
  }
}

// sharp/libvips errors can span several lines and repeat; keep the first meaningful line
// without the library prefixes, so the message reads as a sentence.
export function describeDecodeError(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  if (/corrupt header/i.test(raw)) return 'the file header is corrupt';
  const line = raw.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? 'unknown error';
  return line.replace(/^(VipsJpeg|vipspng|VipsForeignLoad\w*|source|heif|gifload|webp2vips):\s*/i, '').slice(0, 200);
}

export function isPixelLimitError(err: unknown): boolean {
  return err instanceof Error && /exceeds pixel limit/i.test(err.message);
}

export function isSharpTimeout(err: unknown): boolean {
  return err instanceof Error && /^timeout\b/i.test(err.message);
}
