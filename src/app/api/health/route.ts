import { checkHealth, HealthReport } from '@/server/health/check';
import { json } from '@/server/http/errors-response';
import { documentedRoute } from '@/server/http/route';

export const dynamic = 'force-dynamic';

// GET /api/health — database and storage status (200 when both are ok, else 503)
export const GET = documentedRoute(
  async () => {
    const report = await checkHealth();
    return json(report.status === 'ok' ? 200 : 503, report);
  },
  { auth: 'public', doc: { operationId: 'getHealth', summary: 'Database and storage status', tag: 'System', errors: [503] }, output: HealthReport },
);
