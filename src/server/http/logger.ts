import pino, { type Logger } from 'pino';
import { env } from '@/env';

const KEY = Symbol.for('lora-studio.logger');
type G = typeof globalThis & { [KEY]?: Logger };

// JSON logs (pino). Secrets never reach a log line: the redact list covers the headers and
// fields that may carry them, and services log ids, not payloads.
export function logger(): Logger {
  const g = globalThis as G;
  g[KEY] ??= pino({
    level: env().LOG_LEVEL,
    base: { service: 'lora-studio' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'headers.authorization',
        'headers.cookie',
        '*.password',
        '*.secret',
        '*.token',
        '*.signing_secret',
      ],
      censor: '[redacted]',
    },
  });
  return g[KEY];
}

export type { Logger };
