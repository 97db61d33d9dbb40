import { Badge } from '@/components/ui/badge';
import { cn } from '@/lib/utils';
import type { DatasetStatus, Verdict } from './types.ts';

export const STATUS_LABEL: Record<DatasetStatus, string> = {
  uploading: 'Uploading',
  validating: 'Needs validation',
  ready: 'Ready',
  rejected: 'Blocked',
  failed: 'Failed',
};

const STATUS_VARIANT = { uploading: 'secondary', validating: 'outline', ready: 'success', rejected: 'destructive', failed: 'destructive' } as const;

export function DatasetStatusBadge({ status }: { status: DatasetStatus }) {
  return <Badge variant={STATUS_VARIANT[status]}>{STATUS_LABEL[status]}</Badge>;
}

export const VERDICT_LABEL: Record<Verdict, string> = { pass: 'Pass', warn: 'Warnings', block: 'Blocked' };
const VERDICT_VARIANT = { pass: 'success', warn: 'warning', block: 'destructive' } as const;

export function VerdictBadge({ verdict }: { verdict: Verdict | null }) {
  if (!verdict) return <span className="text-xs text-muted-foreground">not validated</span>;
  return <Badge variant={VERDICT_VARIANT[verdict]}>{VERDICT_LABEL[verdict]}</Badge>;
}

const ITEM_VARIANT = { ok: 'success', warn: 'warning', rejected: 'destructive' } as const;
const ITEM_LABEL = { ok: 'OK', warn: 'Warning', rejected: 'Rejected' } as const;
// Solid colours for badges laid over a photo, where a tinted background would be unreadable.
const ITEM_SOLID = { ok: 'bg-success text-white', warn: 'bg-warning text-black', rejected: 'bg-destructive text-white' } as const;

export function ItemStatusBadge({ status, solid, className }: { status: 'ok' | 'warn' | 'rejected'; solid?: boolean; className?: string }) {
  return (
    <Badge variant={ITEM_VARIANT[status]} className={cn(solid && `${ITEM_SOLID[status]} shadow-sm`, className)} data-item-status={status}>
      {ITEM_LABEL[status]}
    </Badge>
  );
}
