// Client text Postgres cannot store (U+0000, unpaired surrogates) is refused once, at the
// boundary, for every route: the JSON body, the query and the path, before any schema runs.
// Without this, each such string reached the database and answered 500.
import { findUnstorableText } from '@lora-studio/protocol';
import { ValidationError } from '@/server/errors';

// A path can be as long as the body is deep; the answer stays short.
const shortPath = (p: string) => (p.length > 200 ? `${p.slice(0, 200)}…` : p);

/** Throws a 422 naming every offending field (`files.0.name`), or returns when all text is storable. */
export function assertStorableInput(value: unknown, what: 'Request body' | 'Query' | 'Path'): void {
  const found = findUnstorableText(value);
  const first = found[0];
  if (!first) return;
  const more = found.length > 1 ? ` (and ${found.length - 1} more field${found.length > 2 ? 's' : ''})` : '';
  throw new ValidationError(
    `${what} is invalid at "${shortPath(first.path)}": ${first.message}${more}. Text fields accept any Unicode text except U+0000 and unpaired surrogates.`,
    found.map((f) => ({ path: shortPath(f.path), code: 'invalid_text', message: f.message })),
  );
}
