'use client';
import { ChevronDown, ChevronRight, Download, Trash2, Zap } from 'lucide-react';
import { useState } from 'react';
import { CopyButton } from '@/components/loras/copy-button';
import { formatDate } from '@/components/loras/format';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { VersionView } from './api.ts';
import { formatBytes, metricSummary, paramSummary, shortHash } from './format.ts';
import { ConvergenceBadge, TextVersionDetails } from './text-details.tsx';

const STATUS_VARIANT = { ready: 'success', failed: 'destructive', pending: 'secondary', training: 'warning' } as const;

export function VersionRow({
  v,
  activeWeight,
  downloading,
  columns,
  defaultOpen = false,
  onActivate,
  onDownload,
  onDelete,
}: {
  v: VersionView;
  activeWeight: number | null;
  downloading: boolean;
  /** Column count of the table, for the text details row that spans it. */
  columns: number;
  defaultOpen?: boolean;
  onActivate: () => void;
  onDownload: () => void;
  onDelete: () => void;
}) {
  const ready = v.status === 'ready';
  const busy = v.status === 'pending' || v.status === 'training';
  // Text versions have files, quality, serving snippets and lineage below their row.
  const hasDetails = v.modality === 'text' && (ready || v.status === 'failed');
  const [open, setOpen] = useState(defaultOpen);
  const detailsId = `version-details-${v.id}`;
  return (
    <>
      <tr data-testid="version-row" data-version={v.number} data-status={v.status} data-active={v.active} className="border-b align-top last:border-0">
        <td className="px-3 py-3">
          <div className="flex flex-wrap items-center gap-1.5">
            <span className="font-semibold">v{v.number}</span>
            <Badge variant={STATUS_VARIANT[v.status]}>{v.status}</Badge>
            {v.active ? (
              <Badge variant="default" data-testid="active-badge">
                Active · {activeWeight?.toFixed(2)}
              </Badge>
            ) : null}
          </div>
          {v.failure_reason ? <p className="mt-1 max-w-56 text-xs text-destructive">{v.failure_reason}</p> : null}
        </td>
        <td className="px-3 py-3">{v.base_model.name}</td>
        <td className="px-3 py-3 text-xs text-muted-foreground" title={JSON.stringify(v.params)}>
          {paramSummary(v.params)}
        </td>
        <td className="px-3 py-3 font-mono text-xs" title={v.dataset_hash}>
          {shortHash(v.dataset_hash)}
        </td>
        <td className="px-3 py-3 font-mono text-xs">
          {v.checksum ? (
            <span className="inline-flex items-center gap-1" title={v.checksum}>
              {shortHash(v.checksum)} <CopyButton text={v.checksum} label={`Copy the sha256 of v${v.number}`} />
            </span>
          ) : (
            '—'
          )}
        </td>
        <td className="px-3 py-3 tabular-nums">{formatBytes(v.artifact_bytes)}</td>
        <td className="px-3 py-3">{v.artifact_format ?? '—'}</td>
        <td className="px-3 py-3 tabular-nums">
          {metricSummary(v.metrics)}
          {v.quality ? (
            <div className="mt-1">
              <ConvergenceBadge convergence={v.quality.convergence} testId="row-convergence-label" />
            </div>
          ) : null}
        </td>
        <td className="px-3 py-3 whitespace-nowrap">{formatDate(v.created_at)}</td>
        <td className="px-3 py-3">
          <div className="flex justify-end gap-1">
            {hasDetails ? (
              <Button type="button" size="sm" variant="ghost" onClick={() => setOpen((o) => !o)} aria-expanded={open} aria-controls={detailsId} data-testid="version-details-toggle">
                {open ? <ChevronDown aria-hidden /> : <ChevronRight aria-hidden />} Details
              </Button>
            ) : null}
            <Button type="button" size="sm" variant={v.active ? 'outline' : 'default'} disabled={!ready} onClick={onActivate} aria-label={`Activate v${v.number}`} title={ready ? undefined : 'Only a ready version can be activated'}>
              <Zap aria-hidden /> {v.active ? 'Weight' : 'Activate'}
            </Button>
            <Button type="button" size="sm" variant="outline" disabled={!ready || downloading} onClick={onDownload} aria-label={`Download v${v.number}`}>
              <Download aria-hidden />
            </Button>
            <Button type="button" size="sm" variant="ghost" disabled={busy} onClick={onDelete} aria-label={`Delete v${v.number}`} title={busy ? 'Cancel the training job first' : undefined}>
              <Trash2 aria-hidden />
            </Button>
          </div>
        </td>
      </tr>
      {hasDetails && open ? (
        <tr id={detailsId} data-testid="version-details" data-version={v.number} className="border-b last:border-0">
          <td colSpan={columns} className="p-0">
            <TextVersionDetails v={v} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
