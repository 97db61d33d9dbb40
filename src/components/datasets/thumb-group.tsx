import { cn } from '@/lib/utils';
import { Thumb } from './thumb.tsx';
import type { DatasetItem } from './types.ts';

/** Photos of one group side by side (duplicates, outliers), with their names. */
export function ThumbGroup({ ids, items, ringed, onStale }: { ids: readonly string[]; items: ReadonlyMap<string, DatasetItem>; ringed?: ReadonlySet<string>; onStale?: () => void }) {
  return (
    <ul className="flex flex-wrap gap-3">
      {ids.map((id) => {
        const item = items.get(id);
        const name = item?.filename ?? id;
        return (
          <li key={id} className="w-24" data-item-id={id}>
            <div className={cn('size-24 overflow-hidden rounded-md border', ringed?.has(id) && 'ring-2 ring-destructive ring-offset-2 ring-offset-background')}>
              <Thumb src={item?.thumbnail_url ?? null} alt={name} onError={onStale} />
            </div>
            <p className="mt-1 truncate text-[11px] text-muted-foreground" title={name}>
              {name}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
