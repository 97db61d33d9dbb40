// Runs a GPU trainer as a child process and streams its output line by line.
//
// Invariants:
// * The tool gets its own process group (`detached`), so cancel reaches every process it
//   started (accelerate, torchrun and dataloader workers): SIGTERM to the group first, SIGKILL
//   after `killGraceMs` if anything is still alive.
// * Output is cut into lines on `\n`, `\r\n` and a bare `\r`. A line ended by a bare `\r` was
//   overwritten on a terminal (a tqdm refresh), so it is reported as `transient` and does not
//   stay in the tail kept for failure reports. Text still waiting for its line end is also
//   handed out as `partial` so a slow progress bar is seen as soon as it is drawn.
// * The promise settles only after the process is gone.
import { spawn } from 'node:child_process';
import { BackendCanceled } from './types.ts';

export type LineKind = 'line' | 'transient' | 'partial';

export interface ToolLine {
  text: string;
  stream: 'stdout' | 'stderr';
  kind: LineKind;
}

export interface RunToolOptions {
  argv: string[];
  cwd: string;
  /** Full environment of the tool; when absent it inherits the worker's environment. */
  env?: Record<string, string>;
  /** Variables added for this run (PYTHONUNBUFFERED, SEED…), applied on top of `env`. */
  extraEnv?: Record<string, string>;
  signal: AbortSignal;
  onLine: (line: ToolLine) => void;
  /** How many finished lines to keep for failure reports. */
  tailSize?: number;
  killGraceMs?: number;
}

export interface ToolExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  lastLines: string[];
}

// Lines longer than this are cut: a runaway tool must not grow the worker's memory.
const MAX_LINE = 8_000;
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** Removes terminal control sequences and trailing blanks. */
export function cleanLine(raw: string): string {
  return raw.replace(ANSI, '').replace(/\s+$/, '').slice(0, MAX_LINE);
}

/**
 * Where the backend's own variables go. With a full `env` they are merged in; without one the
 * child inherits the worker's environment and the POSIX `env` utility adds them, so this
 * package never has to read `process.env` itself.
 */
export function spawnPlan(opts: Pick<RunToolOptions, 'argv' | 'env' | 'extraEnv'>): {
  command: string;
  args: string[];
  env: Record<string, string> | undefined;
} {
  const [command, ...args] = opts.argv;
  if (!command) throw new Error('runTool: empty argv');
  const extra = Object.entries(opts.extraEnv ?? {});
  if (opts.env) return { command, args, env: { ...opts.env, ...Object.fromEntries(extra) } };
  if (extra.length === 0) return { command, args, env: undefined };
  return { command: '/usr/bin/env', args: [...extra.map(([k, v]) => `${k}=${v}`), command, ...args], env: undefined };
}

class LineSplitter {
  private pending = '';
  constructor(
    private readonly stream: 'stdout' | 'stderr',
    private readonly deliver: (line: ToolLine) => void,
  ) {}

  push(chunk: string): void {
    const text = this.pending + chunk;
    const re = /\r\n|\n|\r/g;
    let start = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      this.emit(text.slice(start, m.index), m[0] === '\r' ? 'transient' : 'line');
      start = m.index + m[0].length;
    }
    this.pending = text.slice(start);
    if (this.pending.length > MAX_LINE) {
      this.emit(this.pending, 'line');
      this.pending = '';
    } else if (this.pending.trim()) {
      this.emit(this.pending, 'partial');
    }
  }

  end(): void {
    if (this.pending) this.emit(this.pending, 'line');
    this.pending = '';
  }

  private emit(raw: string, kind: LineKind): void {
    const text = cleanLine(raw);
    if (text.trim()) this.deliver({ text, stream: this.stream, kind });
  }
}

export function runTool(opts: RunToolOptions): Promise<ToolExit> {
  if (opts.signal.aborted) return Promise.reject(new BackendCanceled());
  const tailSize = opts.tailSize ?? 60;
  const grace = opts.killGraceMs ?? 10_000;
  const tail: string[] = [];
  const plan = spawnPlan(opts);

  return new Promise<ToolExit>((resolve, reject) => {
    const child = spawn(plan.command, plan.args, {
      cwd: opts.cwd,
      // Next's types make NODE_ENV required on ProcessEnv; a tool's environment need not have it.
      env: plan.env as NodeJS.ProcessEnv | undefined,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'] as const,
    });
    let canceled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const onLine = (line: ToolLine) => {
      if (line.kind === 'line') {
        tail.push(line.text);
        if (tail.length > tailSize) tail.shift();
      }
      opts.onLine(line);
    };
    const out = new LineSplitter('stdout', onLine);
    const err = new LineSplitter('stderr', onLine);
    child.stdout.setEncoding('utf8').on('data', (c: string) => out.push(c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => err.push(c));

    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // The group is already gone.
      }
    };
    const onAbort = () => {
      canceled = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), grace);
    };
    opts.signal.addEventListener('abort', onAbort, { once: true });

    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      fn();
    };

    child.on('error', (e) => finish(() => reject(e)));
    // A grandchild that outlives the tool can hold the pipes open; stop waiting for them.
    child.on('exit', () => {
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 5_000).unref();
    });
    child.on('close', (code, signal) => {
      out.end();
      err.end();
      // Children that ignored the group SIGTERM must not outlive a canceled job.
      if (canceled) killGroup('SIGKILL');
      finish(() => (canceled ? reject(new BackendCanceled()) : resolve({ code, signal, lastLines: [...tail] })));
    });
  });
}
