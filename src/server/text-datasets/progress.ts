import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { loraDatasets } from '@/server/db/schema/index.ts';
import type { Logger } from '@/server/http/logger';

const MIN_INTERVAL_MS = 1000;
// Keeps updated_at fresh even while progress stalls (a slow storage read), so the stale
// check (resume.ts, 2 minutes) never takes over a validation that is still alive.
const HEARTBEAT_MS = 30_000;

/**
 * Writes validation_progress (bytes read / total) and updated_at, at most once a second, one
 * write at a time, each its own statement (no transaction is held across the stream). A write
 * that matches no row means the dataset was deleted or is no longer validating: `onGone`.
 */
export class ProgressWriter {
  private last = 0;
  private fraction = 0;
  private chain: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: DbOrTx,
    private readonly datasetId: string,
    private readonly total: number,
    private readonly onGone: () => void,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => this.write(), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Called synchronously by the validator between chunks. */
  report(bytes: number): void {
    this.fraction = this.total > 0 ? Math.min(1, bytes / this.total) : 0;
    const now = Date.now();
    if (now - this.last < MIN_INTERVAL_MS) return;
    this.last = now;
    this.write();
  }

  private write(): void {
    const fraction = this.fraction;
    this.chain = this.chain
      .then(async () => {
        const rows = await this.db
          .update(loraDatasets)
          .set({ validationProgress: fraction, updatedAt: new Date() })
          .where(and(eq(loraDatasets.id, this.datasetId), eq(loraDatasets.status, 'validating'), isNull(loraDatasets.deletedAt)))
          .returning({ id: loraDatasets.id });
        if (rows.length === 0) this.onGone();
      })
      .catch((err: unknown) => this.log.warn({ err, datasetId: this.datasetId }, 'validation progress not saved'));
  }

  /** Stops the heartbeat and waits for the last write, so it cannot land after the outcome. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.chain;
  }
}
