// Fits worker output into the protocol's limits (events-data.ts) instead of letting an
// over-long line or message make an event invalid and undeliverable.
import { sanitizeLogLine } from '@lora-studio/protocol';

export const MAX_LOG_LINE_BYTES = 8 * 1024;
export const MAX_LINES_PER_EVENT = 500;
export const MAX_LAST_LINES = 200;
export const MAX_MESSAGE_CHARS = 4000;

const encoder = new TextEncoder();
const ELLIPSIS = '…';

/** The line cut to at most `maxBytes` of UTF-8 (never inside a character), marked with "…". */
export function truncateUtf8(line: string, maxBytes = MAX_LOG_LINE_BYTES): string {
  if (line.length * 3 <= maxBytes) return line;
  const bytes = encoder.encode(line);
  if (bytes.length <= maxBytes) return line;
  let end = maxBytes - 3; // room for the ellipsis (3 bytes)
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--; // back off continuation bytes
  return new TextDecoder().decode(bytes.subarray(0, end)) + ELLIPSIS;
}

export function truncateText(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}${ELLIPSIS}`;
}

/**
 * Splits multi-line strings and drops a trailing "\r" so each entry is one log line, in the
 * form the control plane stores: NUL and broken surrogates → U+FFFD, terminal escapes and
 * other control characters but tab removed (sanitised before the cut, so the cut holds).
 */
export function splitLines(lines: readonly string[]): string[] {
  return lines.flatMap((l) => l.split(/\r?\n/)).map((l) => truncateUtf8(sanitizeLogLine(l)));
}

export function lastLines(lines: readonly string[], n = MAX_LAST_LINES): string[] {
  return splitLines(lines).slice(-n);
}

type SummaryValue = number | string | boolean | null;

/** Keys ≤ 64 chars, strings ≤ 2000, numbers finite (a NaN loss becomes null). */
export function sanitizeSummary(summary: Record<string, unknown>): Record<string, SummaryValue> {
  const out: Record<string, SummaryValue> = {};
  for (const [key, value] of Object.entries(summary)) {
    const k = key.slice(0, 64);
    if (typeof value === 'number') out[k] = Number.isFinite(value) ? value : null;
    else if (typeof value === 'string') out[k] = truncateText(value, 2000);
    else if (typeof value === 'boolean' || value === null) out[k] = value;
  }
  return out;
}
