// Where the GPU tools live on this machine. The worker's options object passes this in; the
// backends never look at the environment themselves.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export interface GpuToolConfig {
  /** Checkout of ostris/ai-toolkit (the folder holding `run.py`). */
  aiToolkitDir?: string;
  /** Python that runs ai-toolkit; default `<aiToolkitDir>/venv/bin/python`. */
  python?: string;
  /** Checkout of kohya-ss/sd-scripts (the folder holding `sdxl_train_network.py`). */
  kohyaDir?: string;
  /** `accelerate` launcher for sd-scripts; default `<kohyaDir>/venv/bin/accelerate`. */
  accelerate?: string;
  /** The `axolotl` CLI, e.g. `/opt/axolotl/.venv/bin/axolotl`. */
  axolotlCommand?: string;
  /**
   * Full environment for the tools (the CLI passes its own, read once in its env module).
   * Absent: the tools inherit the worker's environment. Either way the backends add
   * PYTHONUNBUFFERED=1 (and SEED for ai-toolkit).
   */
  env?: Record<string, string>;
  /** Local paths (or pinned Hub ids) by catalog base-model id; wins over `hf_repo`. */
  modelPaths?: Record<string, string>;
  /** SIGTERM → SIGKILL grace period on cancel. Default 10 s. */
  killGraceMs?: number;
  /** How often output folders are scanned for checkpoints and samples. Default 2 s. */
  pollMs?: number;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves a configured command to an executable path: a path is checked as is, a bare
 * name is looked up on the PATH of `env` (only known when the worker passed `env`).
 */
export function resolveExecutable(command: string, env: Record<string, string> | undefined): string | null {
  if (command.includes('/')) return isExecutableFile(command) ? command : null;
  const path = env?.PATH;
  if (!path) return null;
  for (const dir of path.split(delimiter)) {
    if (dir && isAbsolute(dir) && isExecutableFile(join(dir, command))) return join(dir, command);
  }
  return null;
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
