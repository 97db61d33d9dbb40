// Finds checkpoints and samples as a tool writes them, by scanning its output folders.
// Polling, not fs.watch: it behaves the same on every filesystem (network mounts included),
// and a file is only reported once its size stopped changing between two scans, so the
// runner never uploads a half-written file. After the tool exits, `scan(true)` reports
// whatever is left without waiting.
import { readdirSync, statSync } from 'node:fs';
import type { BackendEvent } from '../types.ts';

export interface OutputMatch {
  /** The file whose size must settle (for a checkpoint folder: the weights inside it). */
  file: string;
  event: BackendEvent;
}

export interface WatchRule {
  dir: string;
  match: (name: string) => OutputMatch | null;
}

function sizeOf(path: string): number | null {
  try {
    const s = statSync(path);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

export class OutputWatcher {
  private readonly reported = new Set<string>();
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly rules: WatchRule[],
    private readonly emit: (e: BackendEvent) => void,
  ) {}

  /** One pass over the folders; `final` skips the settle check (the tool has exited). */
  scan(final = false): void {
    const found: OutputMatch[] = [];
    for (const rule of this.rules) {
      for (const name of list(rule.dir)) {
        const m = rule.match(name);
        if (m && !this.reported.has(m.file)) found.push(m);
      }
    }
    found.sort((a, b) => stepOf(a.event) - stepOf(b.event));
    for (const m of found) {
      const size = sizeOf(m.file);
      if (size === null || size === 0) continue;
      if (final || this.seen.get(m.file) === size) {
        this.reported.add(m.file);
        this.emit(m.event);
      } else {
        this.seen.set(m.file, size);
      }
    }
  }
}

function stepOf(e: BackendEvent): number {
  return 'step' in e ? e.step : 0;
}
