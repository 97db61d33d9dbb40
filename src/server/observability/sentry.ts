// Sentry only when SENTRY_DSN is set: loaded lazily, so without a DSN nothing is imported.
import { env } from '@/env';

let sentry: Promise<typeof import('@sentry/nextjs') | null> | null = null;

function load() {
  sentry ??= env().SENTRY_DSN
    ? import('@sentry/nextjs').then((s) => {
        s.init({ dsn: env().SENTRY_DSN, tracesSampleRate: 0 });
        return s;
      })
    : Promise.resolve(null);
  return sentry;
}

export async function initSentry(): Promise<void> {
  await load();
}

export function reportError(err: unknown, extra: Record<string, unknown> = {}): void {
  void load().then((s) => s?.captureException(err, { extra }));
}
