import { eq } from 'drizzle-orm';
import { getDb, tables } from '@/server/db';
import type { PlanId } from '@/server/catalog/plans';

/**
 * Puts a signed-up user's personal workspace on `plan`. Suites that create more LoRAs,
 * datasets or bytes than Free allows use a plan with room, never looser product limits.
 */
export async function putOnPlan(user: { userId: string }, plan: PlanId): Promise<string> {
  const db = await getDb();
  const [row] = await db
    .update(tables.workspaceSettings)
    .set({ planId: plan })
    .where(eq(tables.workspaceSettings.personal, user.userId))
    .returning({ workspaceId: tables.workspaceSettings.workspaceId });
  if (!row) throw new Error(`user ${user.userId} has no personal workspace`);
  return row.workspaceId;
}
