// The shared process runner and output watcher, on real child processes and files.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKohyaBackend } from '../src/backends/gpu.ts';
import { OutputWatcher } from '../src/backends/gpu-common/output-watcher.ts';
import { cleanLine, runTool, spawnPlan, type ToolLine } from '../src/backends/subprocess.ts';
import { BackendCanceled, BackendFailed, type BackendEvent } from '../src/backends/types.ts';
import { makeSpec } from './fixtures/gpu-fixtures.ts';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'gpu-subprocess-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function node(script: string): string[] {
  return [process.execPath, '-e', script];
}

describe('runTool', () => {
  it('tells overwritten (\\r) lines from finished ones, and hands out a waiting bar early', async () => {
    const lines: ToolLine[] = [];
    const exit = await runTool({
      argv: node(
        "process.stderr.write('\\ra\\rb\\rc\\n'); process.stdout.write('\\u001b[32mgreen\\u001b[0m\\n'); " +
          "process.stderr.write('\\rbar 1/2]'); setTimeout(() => process.stderr.write('\\rbar 2/2]\\n'), 100);",
      ),
      cwd: tmp,
      signal: new AbortController().signal,
      onLine: (l) => lines.push(l),
    });
    expect(exit).toEqual({ code: 0, signal: null, lastLines: ['c', 'green', 'bar 2/2]'] });
    const stderr = lines.filter((l) => l.stream === 'stderr').map((l) => [l.text, l.kind]);
    expect(stderr).toEqual([
      ['a', 'transient'],
      ['b', 'transient'],
      ['c', 'line'],
      ['bar 1/2]', 'partial'],
      ['bar 1/2]', 'transient'],
      ['bar 2/2]', 'line'],
    ]);
    expect(lines.find((l) => l.stream === 'stdout')).toEqual({ text: 'green', stream: 'stdout', kind: 'line' });
  });

  it('keeps only the last lines for failure reports', async () => {
    const exit = await runTool({
      argv: node('for (let i = 0; i < 100; i++) console.log("line " + i); process.exit(4)'),
      cwd: tmp,
      signal: new AbortController().signal,
      onLine: () => {},
      tailSize: 3,
    });
    expect(exit).toEqual({ code: 4, signal: null, lastLines: ['line 97', 'line 98', 'line 99'] });
  });

  it('does not start when the job is already canceled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(runTool({ argv: node(''), cwd: tmp, signal: ac.signal, onLine: () => {} })).rejects.toBeInstanceOf(BackendCanceled);
  });

  it('strips terminal escapes', () => {
    expect(cleanLine('\u001b[2K\u001b[1Aloss 0.5   ')).toBe('loss 0.5');
  });
});

describe('spawnPlan', () => {
  it('merges the backend variables into a full environment', () => {
    expect(spawnPlan({ argv: ['/bin/tool', 'x'], env: { PATH: '/bin', A: '1' }, extraEnv: { A: '2', B: '3' } })).toEqual({
      command: '/bin/tool',
      args: ['x'],
      env: { PATH: '/bin', A: '2', B: '3' },
    });
  });

  it('adds them with env(1) when the tool inherits the worker environment', () => {
    expect(spawnPlan({ argv: ['/bin/tool', 'x'], extraEnv: { PYTHONUNBUFFERED: '1' } })).toEqual({
      command: '/usr/bin/env',
      args: ['PYTHONUNBUFFERED=1', '/bin/tool', 'x'],
      env: undefined,
    });
    expect(spawnPlan({ argv: ['/bin/tool'] })).toEqual({ command: '/bin/tool', args: [], env: undefined });
  });
});

describe('a tool that cannot start', () => {
  it('fails as backend_unavailable', async () => {
    const dir = join(tmp, 'sd-scripts');
    mkdirSync(dir);
    const backend = createKohyaBackend({ kohyaDir: dir, accelerate: join(tmp, 'missing-accelerate'), env: { PATH: '/usr/bin:/bin' } });
    const spec = makeSpec({ base_model: { id: 'sdxl-base', family: 'sdxl' } });
    const err = await backend
      .run({ spec, workDir: join(tmp, 'work'), datasetDir: join(tmp, 'work', 'dataset'), signal: new AbortController().signal, emit: () => {} })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendFailed);
    expect(err).toMatchObject({ code: 'backend_unavailable' });
    expect((err as Error).message).toMatch(/could not start kohya sd-scripts: spawn .*missing-accelerate ENOENT/);
  });
});

describe('OutputWatcher', () => {
  it('reports a file once, after its size stopped changing', () => {
    const events: BackendEvent[] = [];
    const file = join(tmp, 'run_000000100.safetensors');
    const watcher = new OutputWatcher(
      [
        {
          dir: tmp,
          match: (name) => (/_(\d+)\.safetensors$/.test(name) ? { file: join(tmp, name), event: { type: 'checkpoint', step: 100, path: join(tmp, name) } } : null),
        },
      ],
      (e) => events.push(e),
    );
    writeFileSync(file, 'ab');
    watcher.scan();
    appendFileSync(file, 'cd');
    watcher.scan();
    expect(events).toEqual([]);
    watcher.scan();
    watcher.scan();
    expect(events).toEqual([{ type: 'checkpoint', step: 100, path: file }]);
  });

  it('reports everything left at the end without waiting', () => {
    const events: BackendEvent[] = [];
    const watcher = new OutputWatcher(
      [{ dir: tmp, match: (name) => ({ file: join(tmp, name), event: { type: 'checkpoint', step: 1, path: join(tmp, name) } }) }],
      (e) => events.push(e),
    );
    writeFileSync(join(tmp, 'x'), 'data');
    watcher.scan(true);
    expect(events).toHaveLength(1);
  });
});
