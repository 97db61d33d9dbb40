// Validations running in THIS process, by dataset id: one at a time per dataset, abortable
// (dataset deleted), awaitable (tests, graceful shutdown). Kept on globalThis so every route
// bundle of the app shares one registry. Other processes are kept out by the database: a
// stale validation is only taken over after claiming the row (resume.ts).
import { runTextValidation } from './run-validation.ts';

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

const KEY = Symbol.for('lora-studio.text-validations');
type G = typeof globalThis & { [KEY]?: Map<string, Running> };

function running(): Map<string, Running> {
  const g = globalThis as G;
  return (g[KEY] ??= new Map());
}

/** Start validating in the background (never awaited by a request); false if already running here. */
export function startTextValidation(datasetId: string): boolean {
  const map = running();
  if (map.has(datasetId)) return false;
  const controller = new AbortController();
  // runTextValidation never rejects: every outcome is written to the dataset row.
  const done = runTextValidation(datasetId, controller.signal).finally(() => map.delete(datasetId));
  map.set(datasetId, { controller, done });
  return true;
}

export const isTextValidationRunning = (datasetId: string) => running().has(datasetId);

/** Resolves when this process is no longer validating the dataset (at once if it is not). */
export async function waitForTextValidation(datasetId: string): Promise<void> {
  await running().get(datasetId)?.done;
}

/** Stops a running validation (the dataset was deleted) and waits until it has cleaned up. */
export async function abortTextValidation(datasetId: string, reason = 'The dataset was deleted.'): Promise<void> {
  const r = running().get(datasetId);
  if (!r) return;
  r.controller.abort(new DOMException(reason, 'AbortError'));
  await r.done;
}
