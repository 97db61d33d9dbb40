// Turns a tool's exit into the error the runner reports. A CUDA out-of-memory anywhere in the
// last lines wins over the generic message: it is the one failure users can act on.
import { BackendFailed } from '../types.ts';
import type { ToolExit } from '../subprocess.ts';

const OOM = /CUDA out of memory|OutOfMemoryError|CUDA error: out of memory|cudaErrorMemoryAllocation/i;

export function isOutOfMemory(lines: string[]): boolean {
  return lines.some((l) => OOM.test(l));
}

export function failureFor(tool: string, exit: ToolExit): BackendFailed {
  if (isOutOfMemory(exit.lastLines)) {
    return new BackendFailed(
      'out_of_memory',
      `${tool} ran out of GPU memory (CUDA out of memory). Lower batch_size, resolution or rank, ` +
        'or run the job on a GPU with more memory.',
      exit.lastLines,
    );
  }
  const how = exit.code !== null ? `exited with code ${exit.code}` : `was killed by ${exit.signal ?? 'a signal'}`;
  return new BackendFailed('backend_error', `${tool} ${how}`, exit.lastLines);
}

/** The tool could not be started at all (missing interpreter, permissions…). */
export function spawnFailure(tool: string, err: unknown): BackendFailed {
  const reason = err instanceof Error ? err.message : String(err);
  return new BackendFailed('backend_unavailable', `could not start ${tool}: ${reason}`);
}
