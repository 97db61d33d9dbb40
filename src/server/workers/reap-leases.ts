// Expired leases (the worker died, lost its network, or was killed): the attempt is over.
// With attempts left the job is re-queued as attempt+1 for any worker; on the last attempt
// it fails with `lease_expired`; a job the user was canceling simply ends canceled.
// One job per transaction, taken with SKIP LOCKED, so replicas share the work safely.
import { and, asc, eq, inArray, lt, ne } from 'drizzle-orm';
import { loraJobs, loraVersions } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { cancelJobNow, failJob } from '@/server/jobs/outcomes';
import { requeueJob } from '@/server/jobs/transition';

async function reapOne(ctx: ServiceContext, now: Date): Promise<boolean> {
  return ctx.db.transaction(async (db) => {
    const [job] = await db
      .select()
      .from(loraJobs)
      .where(
        and(
          inArray(loraJobs.status, ['dispatched', 'running', 'cancel_requested']),
          eq(loraJobs.provider, 'worker_pool'),
          lt(loraJobs.leaseExpiresAt, now),
          ne(loraJobs.stage, 'verifying'), // the worker delivered; its silence now is expected
        ),
      )
      .orderBy(asc(loraJobs.leaseExpiresAt))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!job) return false;
    const detail = { lease_owner: job.leaseOwner, lease_expired_at: job.leaseExpiresAt?.toISOString() };
    if (job.status === 'cancel_requested') {
      await cancelJobNow(db, job, 'The worker stopped reporting while the job was being canceled.', { now });
    } else if (job.attempt < job.maxAttempts) {
      await requeueJob(db, job, 'lease_expired', { now, detail });
      await db.update(loraVersions).set({ status: 'pending', updatedAt: now }).where(eq(loraVersions.id, job.loraVersionId));
    } else {
      await failJob(
        db,
        job,
        { code: 'lease_expired', message: `The worker stopped sending heartbeats and the lease expired on attempt ${job.attempt} of ${job.maxAttempts}; giving up.` },
        { now },
      );
    }
    ctx.log.warn({ jobId: job.id, attempt: job.attempt, ...detail }, 'lease expired');
    return true;
  });
}

export async function reapExpiredLeases(ctx: ServiceContext, now: Date, max = 100): Promise<number> {
  let n = 0;
  while (n < max && (await reapOne(ctx, now))) n++;
  return n;
}
