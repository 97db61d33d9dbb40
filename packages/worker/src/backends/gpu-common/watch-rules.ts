// Output-folder rules shared by the image trainers: a checkpoint or sample file is recognised
// by its name (each tool's own pattern), and its step (and prompt index) read from it.
import { join } from 'node:path';
import { contentTypeOf } from './content-type.ts';
import type { WatchRule } from './output-watcher.ts';

/** `pattern` captures the step as group 1. */
export function checkpointRule(dir: string, pattern: RegExp): WatchRule {
  return {
    dir,
    match: (file) => {
      const m = pattern.exec(file);
      if (!m) return null;
      const path = join(dir, file);
      return { file: path, event: { type: 'checkpoint', step: Number(m[1]), path } };
    },
  };
}

/**
 * `pattern` captures the step as group 1 and the sample prompt's index as group 2; `render`
 * turns the configured prompt into the one the tool really used (trigger word handling differs).
 */
export function sampleRule(dir: string, pattern: RegExp, prompts: readonly string[], render: (prompt: string) => string): WatchRule {
  return {
    dir,
    match: (file) => {
      const m = pattern.exec(file);
      if (!m) return null;
      const path = join(dir, file);
      const prompt = prompts[Number(m[2])];
      return {
        file: path,
        event: {
          type: 'sample',
          step: Number(m[1]),
          path,
          contentType: contentTypeOf(file),
          ...(prompt !== undefined ? { prompt: render(prompt) } : {}),
        },
      };
    },
  };
}
