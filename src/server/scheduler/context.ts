import { getDb } from '@/server/db';
import type { ServiceContext } from '@/server/http/context';
import { logger } from '@/server/http/logger';
import { newId } from '@/server/ids';

/** A context for background work: no workspace, a `system` actor, its own request id. */
export async function systemContext(reason: string): Promise<ServiceContext> {
  const requestId = newId('request');
  return {
    requestId,
    workspaceId: null,
    actor: { type: 'system', reason },
    db: await getDb(),
    inTransaction: false,
    ip: null,
    userAgent: null,
    log: logger().child({ requestId, task: reason }),
  };
}
