import { checkHealth } from '@/server/health/check';
import { json } from '@/server/http/errors-response';

export const dynamic = 'force-dynamic';

// GET /api/health — database and storage status (200 when both are ok, else 503)
export async function GET() {
  const report = await checkHealth();
  return json(report.status === 'ok' ? 200 : 503, report);
}
