// What the splitters hand to the record processor, one batch per input chunk: the texts of
// complete records with their line numbers, and the problems found before JSON parsing.

export type SplitErrorCode = 'invalid_utf8' | 'line_too_long' | 'invalid_json_array';

export interface SplitIssue {
  line: number;
  code: SplitErrorCode;
  message: string;
  /** true when the issue stands for a record that is lost (counts as a bad record). */
  record: boolean;
}

export interface RecordBatch {
  texts: string[];
  lines: number[];
  issues: SplitIssue[];
}

export const newBatch = (): RecordBatch => ({ texts: [], lines: [], issues: [] });

export function concatBytes(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MiB`;
