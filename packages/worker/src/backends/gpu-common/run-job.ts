// The part every GPU backend shares: write the tool's config files, run it, turn its output
// into events, report checkpoints and samples as they land, and map its exit to an error.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runTool, type ToolExit } from '../subprocess.ts';
import { BackendCanceled, type BackendContext, type BackendEvent } from '../types.ts';
import type { GpuToolConfig } from './config.ts';
import { failureFor, spawnFailure } from './failure.ts';
import { LogBatcher } from './log-batcher.ts';
import { OutputWatcher, type WatchRule } from './output-watcher.ts';

/** Everything needed to start a tool, computed purely from the job spec. */
export interface BuiltCommand {
  /** Files to write before the run; `name` is relative to the job's work directory. */
  files: { name: string; content: string }[];
  argv: string[];
  cwd: string;
  /** Variables this backend adds to the tool's environment. */
  env: Record<string, string>;
  /** Params the tool cannot honour as given; shown in the job log. */
  warnings: string[];
}

export interface LineParser {
  feed(line: string): BackendEvent[];
}

export interface GpuJobOptions {
  tool: string;
  ctx: BackendContext;
  built: BuiltCommand;
  parser: LineParser;
  watch: WatchRule[];
  config: GpuToolConfig;
}

export function writeFiles(workDir: string, files: BuiltCommand['files']): void {
  for (const f of files) {
    const path = join(workDir, f.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
  }
}

// A partial line is only worth parsing once it is a whole progress bar or log dict; a bar cut
// in the middle of "299/3000" would otherwise read as step 299 of 30.
const WHOLE = /[\]}]$/;

export async function runGpuJob(o: GpuJobOptions): Promise<ToolExit> {
  const { ctx, built, config } = o;
  writeFiles(ctx.workDir, built.files);
  const logs = new LogBatcher(ctx.emit);
  for (const w of built.warnings) logs.note(`[${o.tool}] ${w}`);
  const watcher = new OutputWatcher(o.watch, ctx.emit);
  const timer = setInterval(() => watcher.scan(), config.pollMs ?? 2_000);

  let exit: ToolExit;
  try {
    exit = await runTool({
      argv: built.argv,
      cwd: built.cwd,
      ...(config.env ? { env: config.env } : {}),
      extraEnv: built.env,
      signal: ctx.signal,
      ...(config.killGraceMs !== undefined ? { killGraceMs: config.killGraceMs } : {}),
      onLine: (line) => {
        if (line.kind === 'line') logs.add(line.text, line.stream);
        if (line.kind === 'partial' && !WHOLE.test(line.text)) return;
        // A line the parser chokes on must not take the training run down with it.
        try {
          for (const e of o.parser.feed(line.text)) ctx.emit(e);
        } catch (err) {
          logs.note(`[${o.tool}] could not read an output line: ${err instanceof Error ? err.message : String(err)}`);
        }
      },
    });
  } catch (err) {
    if (err instanceof BackendCanceled) throw err;
    throw spawnFailure(o.tool, err);
  } finally {
    clearInterval(timer);
    logs.flush();
  }
  // Only a clean exit guarantees the files are complete; after a crash report settled ones.
  watcher.scan(exit.code === 0);
  if (exit.code !== 0) throw failureFor(o.tool, exit);
  return exit;
}
