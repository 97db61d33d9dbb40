// Outbound HTTP for providers: a timeout on every call, no redirects (a provider that
// redirects us somewhere else is misconfigured, and following it would be a server-side
// fetch of a URL nobody vetted), and network errors turned into a value, not a throw. What a
// provider answers is stored (logs, errors, ids), so its text is made storable here: NUL and
// unpaired surrogates → U+FFFD, in the raw text and in parsed JSON (`\u0000` escapes).
import { storableJson, toStorableText } from '@lora-studio/protocol';

export type HttpOutcome = { ok: true; status: number; text: string; headers: Headers } | { ok: false; error: string };

export async function httpCall(url: string, init: { method: string; headers: Record<string, string>; body?: string; timeoutMs?: number }): Promise<HttpOutcome> {
  try {
    const res = await fetch(url, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
    });
    return { ok: true, status: res.status, text: toStorableText(await res.text()), headers: res.headers };
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    return { ok: false, error: `${(err as Error).message}${code ? ` (${code})` : ''}` };
  }
}

export function parseJson(text: string): unknown {
  try {
    return storableJson(JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/** Transient answers worth retrying: 408, 425, 429 and every 5xx. */
export const isTransientStatus = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;
