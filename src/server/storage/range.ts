// `Range: bytes=…` for one range (RFC 9110 §14). Several ranges or a malformed header are
// ignored (the whole object is served), which the RFC allows; a well-formed range that
// misses the object is "unsatisfiable" (416).
export type RangeRequest = { kind: 'none' } | { kind: 'range'; start: number; end: number } | { kind: 'unsatisfiable' };

const SINGLE = /^bytes=(\d*)-(\d*)$/;

export function parseRangeHeader(header: string | null, size: number): RangeRequest {
  const m = header ? SINGLE.exec(header.trim()) : null;
  if (!m) return { kind: 'none' };
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return { kind: 'none' };
  if (a === '') {
    const suffix = Number(b); // last n bytes
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Number(b);
  if (b !== '' && end < start) return { kind: 'none' }; // syntactically invalid: ignore
  if (!Number.isSafeInteger(start) || start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', start, end: Math.min(end, size - 1) };
}
