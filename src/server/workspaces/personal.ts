import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { member, organization, workspaceSettings } from '@/server/db/schema/index.ts';
import { newId } from '@/server/ids';

function slugFor(name: string, userId: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);
  return `${base || 'workspace'}-${userId.slice(-6).toLowerCase()}`;
}

/**
 * Every user gets a personal workspace on sign-up (an organization with them as owner).
 * Idempotent: returns the existing one if present.
 */
export async function ensurePersonalWorkspace(db: DbOrTx, user: { id: string; name: string }): Promise<string> {
  const existing = await db
    .select({ workspaceId: workspaceSettings.workspaceId })
    .from(workspaceSettings)
    .where(eq(workspaceSettings.personal, user.id))
    .limit(1);
  if (existing[0]) return existing[0].workspaceId;
  const id = newId('workspace');
  await db.insert(organization).values({ id, name: `${user.name || 'My'}'s workspace`, slug: slugFor(user.name, user.id) });
  await db.insert(member).values({ id: newId('user').replace(/^usr_/, 'mem_'), organizationId: id, userId: user.id, role: 'owner' });
  await db.insert(workspaceSettings).values({ workspaceId: id, personal: user.id, planId: 'free' });
  return id;
}

export async function findPersonalWorkspace(db: DbOrTx, userId: string): Promise<string | null> {
  const rows = await db
    .select({ workspaceId: workspaceSettings.workspaceId })
    .from(workspaceSettings)
    .where(eq(workspaceSettings.personal, userId))
    .limit(1);
  return rows[0]?.workspaceId ?? null;
}
