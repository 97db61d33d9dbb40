// ServiceContext for server components and server actions: the same services the API
// uses, with the caller resolved from the request cookies.
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '@/server/db';
import type { ServiceContext } from '@/server/http/context';
import { logger } from '@/server/http/logger';
import { clientIp } from '@/server/http/request-info';
import { newId } from '@/server/ids';
import { resolveCaller } from './resolve.ts';

export async function pageContext(nextPath = '/dashboard'): Promise<ServiceContext & { workspaceId: string; user: { id: string; email: string; name: string } }> {
  const h = await headers();
  const db = await getDb();
  const request = new Request('http://internal/page', { headers: h });
  const caller = await resolveCaller(db, request).catch(() => null);
  if (!caller || caller.actor.type !== 'user') redirect(`/login?next=${encodeURIComponent(nextPath)}`);
  const requestId = newId('request');
  return {
    requestId,
    db,
    inTransaction: false,
    workspaceId: caller.workspaceId,
    actor: caller.actor,
    ip: clientIp(h),
    userAgent: h.get('user-agent'),
    log: logger().child({ requestId, page: nextPath }),
    user: { id: caller.actor.userId, email: caller.actor.email, name: caller.actor.name },
  };
}

/** True when the request carries a valid session (for the landing page redirect). */
export async function hasSession(): Promise<boolean> {
  const h = await headers();
  const db = await getDb();
  const caller = await resolveCaller(db, new Request('http://internal/page', { headers: h })).catch(() => null);
  return caller !== null;
}
