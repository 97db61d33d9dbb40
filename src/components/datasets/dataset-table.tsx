import { ChevronRight, Image as ImageIcon, MessagesSquare } from 'lucide-react';
import Link from 'next/link';
import { formatDate } from '@/components/loras/format';
import { Progress } from '@/components/ui/progress';
import { formatBytes } from './file-rules.ts';
import { DatasetStatusBadge, VerdictBadge } from './status-badges.tsx';
import type { DatasetView } from './types.ts';

export function DatasetTable({ rows, modelNames }: { rows: DatasetView[]; modelNames: ReadonlyMap<string, string> }) {
  return (
    <div className="overflow-x-auto rounded-xl border bg-card">
      <table className="w-full text-sm" data-testid="dataset-table">
        <thead className="border-b bg-muted/40 text-left text-xs text-muted-foreground">
          <tr>
            <th className="px-4 py-2.5 font-medium">LoRA · dataset</th>
            <th className="px-4 py-2.5 font-medium">Type</th>
            <th className="px-4 py-2.5 font-medium">Status</th>
            <th className="px-4 py-2.5 font-medium">Verdict</th>
            <th className="px-4 py-2.5 text-right font-medium">Items</th>
            <th className="px-4 py-2.5 text-right font-medium">Size</th>
            <th className="px-4 py-2.5 font-medium">Updated</th>
            <th className="w-8" />
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => {
            const name = modelNames.get(d.model_id) ?? d.model_id;
            const count = d.modality === 'image' ? d.image_count : d.example_count;
            return (
              <tr key={d.id} className="border-b last:border-0 hover:bg-muted/30" data-testid="dataset-row" data-status={d.status}>
                <td className="px-4 py-3">
                  <Link href={`/loras/${d.model_id}`} className="font-medium hover:underline">
                    {name}
                  </Link>
                  <div className="text-xs text-muted-foreground">
                    {d.name ? `${d.name} · ` : ''}
                    <span className="font-mono text-[11px]">{d.id}</span>
                  </div>
                </td>
                <td className="px-4 py-3">
                  <span className="inline-flex items-center gap-1.5 text-muted-foreground">
                    {d.modality === 'image' ? <ImageIcon className="size-4" aria-hidden /> : <MessagesSquare className="size-4" aria-hidden />}
                    {d.modality === 'image' ? 'Images' : 'Text'}
                  </span>
                </td>
                <td className="px-4 py-3">
                  <DatasetStatusBadge status={d.status} />
                  {d.status === 'validating' && d.validation_progress !== null ? (
                    <div className="mt-1 flex items-center gap-2 text-xs text-muted-foreground" data-testid="dataset-validation-progress">
                      <Progress value={d.validation_progress * 100} className="h-1.5 w-20" aria-label="Validation progress" />
                      {Math.round(d.validation_progress * 100)} %
                    </div>
                  ) : null}
                </td>
                <td className="px-4 py-3">
                  <VerdictBadge verdict={d.verdict} />
                </td>
                <td className="px-4 py-3 text-right tabular-nums">{count ?? '–'}</td>
                <td className="px-4 py-3 text-right tabular-nums text-muted-foreground">{d.total_bytes ? formatBytes(d.total_bytes) : '–'}</td>
                <td className="px-4 py-3 text-muted-foreground">{formatDate(d.updated_at)}</td>
                <td className="pr-3">
                  <Link href={`/loras/${d.model_id}`} aria-label={`Open ${name}`} className="flex justify-end text-muted-foreground hover:text-foreground">
                    <ChevronRight className="size-4" aria-hidden />
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
