// Files the server reads at run time (migrations, the face worker script) are found from the
// working directory — the repo root under `npm start` and in tests. Paths are joined with
// plain string operations on purpose: the bundler treats `path.join(process.cwd(), …)` and
// `new URL(…, import.meta.url)` as references to whole folders and tries to bundle them.
import { sep } from 'node:path';

export function projectRoot(): string {
  return process.cwd();
}

export function fromProjectRoot(...parts: string[]): string {
  return [projectRoot(), ...parts].join(sep);
}
