import { eq } from 'drizzle-orm';
import { getAuth } from '@/server/auth/auth';
import type { Db } from '@/server/db';
import { user, workspaceSettings } from '@/server/db/schema/index.ts';
import { findPersonalWorkspace } from '@/server/workspaces/personal';

export const DEMO_EMAIL = 'demo@lora.studio.local';

/**
 * The demo account a fresh `npm start` prints. Created once; its workspace is on the Pro plan
 * so training works out of the box. Operators turn it off with DEMO_ACCOUNT=0.
 */
export async function ensureDemoAccount(db: Db, password: string): Promise<{ email: string; password: string; created: boolean }> {
  const existing = await db.select({ id: user.id }).from(user).where(eq(user.email, DEMO_EMAIL)).limit(1);
  let created = false;
  if (!existing[0]) {
    const auth = await getAuth();
    await auth.api.signUpEmail({ body: { email: DEMO_EMAIL, password, name: 'Demo User' } });
    created = true;
  }
  const [row] = await db.select({ id: user.id }).from(user).where(eq(user.email, DEMO_EMAIL));
  const ws = row ? await findPersonalWorkspace(db, row.id) : null;
  if (ws && created) await db.update(workspaceSettings).set({ planId: 'pro' }).where(eq(workspaceSettings.workspaceId, ws));
  return { email: DEMO_EMAIL, password, created };
}
