import { CircleCheck } from 'lucide-react';
import { ThumbGroup } from './thumb-group.tsx';
import type { DatasetItem, QualityReport } from './types.ts';

/** Exact copies and near-duplicate clusters, each group shown side by side. */
export function Duplicates({ report, items, onStale }: { report: QualityReport; items: ReadonlyMap<string, DatasetItem>; onStale: () => void }) {
  const exact = report.exact_duplicates;
  const near = report.near_duplicate_clusters.filter((c) => c.item_ids.length > 1);
  return (
    <div data-testid="duplicates">
      <h4 className="mb-2 text-sm font-medium">Duplicates</h4>
      {exact.length === 0 && near.length === 0 ? (
        <p className="flex items-center gap-1.5 text-sm text-muted-foreground">
          <CircleCheck className="size-4 text-success" aria-hidden /> No exact copies or near-duplicates.
        </p>
      ) : (
        <div className="flex flex-col gap-3">
          {exact.map((g) => (
            <div key={g.sha256} className="rounded-lg border p-3" data-testid="exact-duplicate-group">
              <p className="mb-2 text-xs text-muted-foreground">
                <span className="font-medium text-foreground">Exact copies</span> · the same file {g.item_ids.length} times; only the first is used
              </p>
              <ThumbGroup ids={g.item_ids} items={items} onStale={onStale} />
            </div>
          ))}
          {near.map((c) => (
            <div key={c.id} className="rounded-lg border p-3" data-testid="near-duplicate-group">
              <p className="mb-2 text-xs text-muted-foreground">
                <span className="font-medium text-foreground">Near-duplicates</span> · {c.item_ids.length} almost identical photos count as one; keep the best
              </p>
              <ThumbGroup ids={c.item_ids} items={items} onStale={onStale} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
