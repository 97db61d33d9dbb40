// Browser-side calls to our JSON API. Errors keep the house shape
// `{ error: { code, message, details } }` so callers can show the server's message and
// attach per-file details to the right file.

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}

export async function apiJson<T>(path: string, init?: RequestInit & { json?: unknown }): Promise<T> {
  const { json, ...rest } = init ?? {};
  let res: Response;
  try {
    res = await fetch(path, {
      ...rest,
      headers: { accept: 'application/json', ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...rest.headers },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
  } catch {
    throw new ApiError('The server could not be reached. Check your connection and try again.', 0, 'network_error', undefined);
  }
  const body = (await res.json().catch(() => null)) as (T & { error?: { code?: string; message?: string; details?: unknown } }) | null;
  if (!res.ok) {
    const e = body?.error;
    throw new ApiError(e?.message ?? `Request failed (${res.status}).`, res.status, e?.code ?? 'error', e?.details);
  }
  return body as T;
}

/** One file named in an error's details: init names it by index/name, commit by key/filename. */
export interface FileProblem {
  index: number | null;
  name: string | null;
  key: string | null;
  message: string;
}

export function fileProblemsOf(details: unknown): FileProblem[] {
  const list = details && typeof details === 'object' && 'files' in details ? (details as { files: unknown }).files : null;
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw: unknown) => {
    if (!raw || typeof raw !== 'object') return [];
    const f = raw as Record<string, unknown>;
    if (typeof f.message !== 'string') return [];
    const m = typeof f.path === 'string' ? /^files\.(\d+)/.exec(f.path) : null;
    const name = typeof f.name === 'string' ? f.name : typeof f.filename === 'string' ? f.filename : null;
    return [{ index: m ? Number(m[1]) : null, name, key: typeof f.key === 'string' ? f.key : null, message: f.message }];
  });
}
