'use client';
import { X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { formatBytes } from './file-rules.ts';
import { ProblemList } from './problem-list.tsx';
import { ItemStatusBadge } from './status-badges.tsx';
import { Thumb } from './thumb.tsx';
import type { DatasetItem, ReportItem } from './types.ts';

const POSE_TEXT = { frontal: 'facing the camera', left: 'turned left', right: 'turned right', up: 'looking up', down: 'looking down' } as const;

/** What validation found in one photo, opened from its badge in the grid. */
export function PhotoDetail({ item, found, outlier, onClose }: { item: DatasetItem; found: ReportItem | null; outlier: boolean; onClose: () => void }) {
  const face = found?.faces?.primary ?? null;
  const similarity = found?.faces?.identity_similarity ?? null;
  return (
    <section
      id="photo-detail"
      aria-label={`Findings for ${item.filename}`}
      data-testid="photo-detail"
      tabIndex={-1}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
      className="mt-4 flex gap-4 rounded-lg border bg-muted/30 p-4"
    >
      <div className={`size-28 shrink-0 overflow-hidden rounded-md border ${outlier ? 'ring-2 ring-destructive ring-offset-2' : ''}`}>
        <Thumb src={item.thumbnail_url} alt={item.filename} />
      </div>
      <div className="flex min-w-0 flex-1 flex-col gap-2">
        <div className="flex items-start justify-between gap-2">
          <div className="min-w-0">
            <p className="truncate font-medium" title={item.filename}>
              {item.filename}
            </p>
            <p className="text-xs text-muted-foreground">
              {item.width && item.height ? `${item.width} × ${item.height} px · ` : ''}
              {formatBytes(item.bytes)}
              {face ? ` · face ${POSE_TEXT[face.pose]}, ${face.size_px} px` : ''}
              {similarity !== null ? ` · identity match ${similarity.toFixed(2)}` : ''}
            </p>
          </div>
          <div className="flex items-center gap-2">
            <ItemStatusBadge status={found?.status ?? item.status} />
            <Button type="button" variant="ghost" size="icon" className="size-7" onClick={onClose} aria-label="Close photo details">
              <X aria-hidden />
            </Button>
          </div>
        </div>
        {found && found.problems.length > 0 ? (
          <ProblemList problems={found.problems} />
        ) : (
          <p className="text-sm text-muted-foreground">{found ? 'No problems found in this photo.' : 'This photo has not been validated yet.'}</p>
        )}
      </div>
    </section>
  );
}
