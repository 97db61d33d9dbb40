import { Loader2 } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { isActiveStatus, STATUS_LABEL, STATUS_VARIANT, type JobStatus } from './status.ts';

export function JobStatusBadge({ status }: { status: JobStatus }) {
  return (
    <Badge variant={STATUS_VARIANT[status]} className="gap-1" data-testid="job-status" data-status={status}>
      {isActiveStatus(status) && status !== 'queued' ? <Loader2 className="size-3 animate-spin" aria-hidden /> : null}
      {STATUS_LABEL[status]}
    </Badge>
  );
}
