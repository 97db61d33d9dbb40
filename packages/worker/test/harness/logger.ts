// A Logger that keeps what it was told, so a test can wait for "the worker noticed X".
import { EventEmitter } from 'node:events';
import type { Logger } from '../../src/io/logger.ts';

export function captureLogger(): Logger & { lines: string[]; waitFor(pattern: RegExp, count?: number): Promise<void> } {
  const lines: string[] = [];
  const bus = new EventEmitter();
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
    bus.emit('line');
  };
  return {
    lines,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    waitFor(pattern, count = 1) {
      const enough = () => lines.filter((l) => pattern.test(l)).length >= count;
      if (enough()) return Promise.resolve();
      return new Promise((resolve) => {
        const check = () => {
          if (!enough()) return;
          bus.off('line', check);
          resolve();
        };
        bus.on('line', check);
      });
    },
  };
}
