'use client';
import { Loader2, X } from 'lucide-react';
import { useState } from 'react';
import { cn } from '@/lib/utils';
import { PhotoDetail } from './photo-detail.tsx';
import { ItemStatusBadge } from './status-badges.tsx';
import { Thumb } from './thumb.tsx';
import type { DatasetItem, QualityReport, ReportItem } from './types.ts';

function Tile(props: {
  item: DatasetItem;
  found: ReportItem | null;
  outlier: boolean;
  selected: boolean;
  removing: boolean;
  disabled: boolean;
  onSelect: () => void;
  onRemove: () => void;
  onStale: () => void;
}) {
  const { item, found, outlier } = props;
  const status = found?.status ?? (item.status === 'rejected' ? 'rejected' : null);
  const issues = found?.problems.length ?? 0;
  const title = found?.problems.map((p) => `• ${p.message}\n  Fix: ${p.hint}`).join('\n') || undefined;
  return (
    <li data-testid="photo-tile" data-item-id={item.id} data-status={status ?? 'unchecked'} data-outlier={outlier ? 'true' : undefined} className="min-w-0">
      <div
        className={cn(
          'group relative aspect-square overflow-hidden rounded-lg border bg-muted',
          outlier && 'ring-2 ring-destructive ring-offset-2 ring-offset-background',
          props.selected && !outlier && 'ring-2 ring-primary ring-offset-2 ring-offset-background',
          props.removing && 'opacity-50',
        )}
      >
        <Thumb src={item.thumbnail_url} alt={item.filename} onError={props.onStale} className={cn(status === 'rejected' && 'grayscale')} />
        {status ? (
          <button
            type="button"
            onClick={props.onSelect}
            title={title}
            aria-expanded={props.selected}
            aria-controls="photo-detail"
            aria-label={`${item.filename}: ${status}${issues ? `, ${issues} finding${issues === 1 ? '' : 's'}` : ''}. Show details`}
            className="absolute bottom-1.5 left-1.5 rounded-md focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          >
            <ItemStatusBadge status={status} solid />
          </button>
        ) : null}
        <button
          type="button"
          onClick={props.onRemove}
          disabled={props.disabled || props.removing}
          aria-label={`Remove ${item.filename} from the dataset`}
          className="absolute right-1.5 top-1.5 rounded-full bg-background/90 p-1 text-foreground shadow-sm transition-opacity hover:bg-background focus-visible:opacity-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:cursor-not-allowed pointer-fine:opacity-0 pointer-fine:group-hover:opacity-100"
        >
          {props.removing ? <Loader2 className="size-3.5 animate-spin" aria-hidden /> : <X className="size-3.5" aria-hidden />}
        </button>
      </div>
      <p className="mt-1 truncate text-xs text-muted-foreground" title={item.filename}>
        {item.filename}
      </p>
    </li>
  );
}

export function PhotoGrid({
  items,
  report,
  removing,
  disabled,
  onRemove,
  onStale,
}: {
  items: DatasetItem[];
  report: QualityReport | null;
  removing: ReadonlySet<string>;
  disabled: boolean;
  onRemove: (id: string) => void;
  onStale: () => void;
}) {
  const [selected, setSelected] = useState<string | null>(null);
  const found = new Map(report?.items.map((i) => [i.id, i]) ?? []);
  const outliers = new Set(report?.identity?.outlier_ids ?? []);
  const current = items.find((i) => i.id === selected) ?? null;
  return (
    <div>
      <ul className="grid grid-cols-[repeat(auto-fill,minmax(7rem,1fr))] gap-3" aria-label="Photos in the dataset" data-testid="photo-grid">
        {items.map((item) => (
          <Tile
            key={item.id}
            item={item}
            found={found.get(item.id) ?? null}
            outlier={outliers.has(item.id)}
            selected={selected === item.id}
            removing={removing.has(item.id)}
            disabled={disabled}
            onSelect={() => setSelected((s) => (s === item.id ? null : item.id))}
            onRemove={() => onRemove(item.id)}
            onStale={onStale}
          />
        ))}
      </ul>
      {current ? (
        <PhotoDetail item={current} found={found.get(current.id) ?? null} outlier={outliers.has(current.id)} onClose={() => setSelected(null)} />
      ) : report ? (
        <p className="mt-3 text-xs text-muted-foreground">Click a photo&apos;s badge to see what was found in it and how to fix it.</p>
      ) : null}
    </div>
  );
}
