// Header names used by the worker protocol. HTTP header names are case-insensitive; these are
// the lower-case forms we send.
export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';
/** Job and attempt of a worker event, readable BEFORE the body is parsed or trusted. */
export const JOB_ID_HEADER = 'lora-job-id';
export const JOB_ATTEMPT_HEADER = 'lora-job-attempt';

/** A fetch `Headers` object, or a plain record such as Node's `IncomingHttpHeaders`. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** Case-insensitive header lookup; repeated headers are joined with a space. */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function' && !isPlainRecord(headers)) {
    return (headers as Headers).get(name) ?? undefined;
  }
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() !== wanted) continue;
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join(' ');
  }
  return undefined;
}

function isPlainRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The `lora-job-id` / `lora-job-attempt` headers that travel with every signed job event. */
export function jobAttemptHeaders(jobId: string, attempt: number): Record<string, string> {
  return { [JOB_ID_HEADER]: jobId, [JOB_ATTEMPT_HEADER]: String(attempt) };
}

/**
 * Reads `lora-job-id` and `lora-job-attempt` so the receiver can derive the per-attempt key
 * before it touches the body. Returns null when either is missing or malformed. These values
 * are NOT authenticated by themselves: they only choose the key, and a wrong choice simply
 * fails verification; the caller must still check that the verified body names the same job
 * and attempt.
 */
export function readJobAttemptHeaders(headers: HeaderSource): { jobId: string; attempt: number } | null {
  const jobId = readHeader(headers, JOB_ID_HEADER)?.trim();
  const attemptText = readHeader(headers, JOB_ATTEMPT_HEADER)?.trim();
  if (!jobId || !attemptText || !/^[1-9][0-9]{0,8}$/.test(attemptText)) return null;
  return { jobId, attempt: Number(attemptText) };
}
