import { CircleCheck } from 'lucide-react';
import { ThumbGroup } from './thumb-group.tsx';
import type { DatasetItem, QualityReport } from './types.ts';

/** Faces that do not match the rest of the set, ringed in red here and in the grid. */
export function IdentityOutliers({ report, items, onStale }: { report: QualityReport; items: ReadonlyMap<string, DatasetItem>; onStale: () => void }) {
  const identity = report.identity;
  if (!identity) return null;
  const ids = identity.outlier_ids;
  const similarity = new Map(report.items.map((i) => [i.id, i.faces?.identity_similarity ?? null]));
  return (
    <div data-testid="identity-outliers">
      <h4 className="mb-2 text-sm font-medium">Same person</h4>
      {ids.length === 0 ? (
        <p className="flex items-center gap-1.5 text-sm text-muted-foreground">
          <CircleCheck className="size-4 text-success" aria-hidden />
          {identity.compared > 1 ? `All ${identity.compared} faces match each other.` : 'Too few faces to compare.'}
        </p>
      ) : (
        <div className="rounded-lg border border-destructive/30 bg-destructive/5 p-3">
          <p className="mb-2 text-xs text-muted-foreground">
            <span className="font-medium text-destructive">{ids.length === 1 ? '1 photo may' : `${ids.length} photos may`} show someone else</span> · match below{' '}
            {identity.min_similarity.toFixed(2)} to the rest of the set
          </p>
          <ThumbGroup ids={ids} items={items} ringed={new Set(ids)} onStale={onStale} />
          <ul className="mt-2 text-xs text-muted-foreground">
            {ids.map((id) => (
              <li key={id}>
                {items.get(id)?.filename ?? id}: match {similarity.get(id)?.toFixed(2) ?? 'n/a'}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
