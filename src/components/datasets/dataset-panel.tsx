'use client';
import { Images, Loader2, ScanSearch } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PhotoGrid } from './photo-grid.tsx';
import { QualityReportView } from './quality-report.tsx';
import { DatasetStatusBadge } from './status-badges.tsx';
import { reportOf, type DatasetView } from './types.ts';
import { Uploader, type Guidance } from './uploader.tsx';

export interface DatasetPanelProps {
  modelId: string;
  dataset: DatasetView | null;
  guidance: Guidance;
  baseModel: { id: string; name: string };
  baseNames: ReadonlyMap<string, string>;
  validating: boolean;
  error: string | null;
  removing: ReadonlySet<string>;
  onCommitted: (view: DatasetView) => void;
  onValidate: () => void;
  onRemove: (itemId: string) => void;
  onStale: () => void;
  /** Shown under the report: the way on to training. */
  next?: React.ReactNode;
}

function describe(dataset: DatasetView, reportBase: string | null, p: DatasetPanelProps): string {
  if (p.validating) return `Checking ${dataset.items?.length ?? 0} photos: format, resolution, sharpness, exposure, duplicates, faces and pose. This can take a minute.`;
  if (!reportBase) return 'Not validated yet. Validation checks every photo before a GPU minute is spent.';
  const name = p.baseNames.get(reportBase) ?? reportBase;
  if (reportBase !== p.baseModel.id) return `Validated for ${name}. You picked ${p.baseModel.name}: validate again to check resolution for it.`;
  return `Validated for ${name}.`;
}

export function DatasetPanel(p: DatasetPanelProps) {
  const { dataset } = p;
  const items = dataset?.items ?? [];
  const report = reportOf(dataset);
  return (
    <div className="flex flex-col gap-6">
      <Uploader modelId={p.modelId} datasetId={dataset?.id ?? null} hasPhotos={items.length > 0} guidance={p.guidance} disabled={p.validating} onCommitted={p.onCommitted} />
      <Card>
        <CardHeader className="flex-row flex-wrap items-start justify-between gap-4 space-y-0">
          <div className="flex min-w-0 flex-1 flex-col gap-1.5">
            <CardTitle className="flex items-center gap-2">
              Photos <span className="text-sm font-normal tabular-nums text-muted-foreground">{items.length}</span>
              {dataset && items.length > 0 ? <DatasetStatusBadge status={dataset.status} /> : null}
            </CardTitle>
            <CardDescription data-testid="validation-state">
              {dataset && items.length > 0 ? describe(dataset, report?.base_model.id ?? null, p) : 'Photos you upload appear here.'}
            </CardDescription>
          </div>
          <Button
            type="button"
            variant={report && report.base_model.id === p.baseModel.id ? 'outline' : 'default'}
            onClick={p.onValidate}
            disabled={p.validating || items.length === 0}
            data-testid="validate-dataset"
          >
            {p.validating ? <Loader2 className="animate-spin" aria-hidden /> : <ScanSearch aria-hidden />}
            {p.validating ? 'Validating…' : report ? 'Validate again' : 'Validate dataset'}
          </Button>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          {p.error ? (
            <Alert variant="destructive" data-testid="dataset-error">
              {p.error}
            </Alert>
          ) : null}
          {items.length === 0 ? (
            <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed py-10 text-center text-sm text-muted-foreground">
              <Images className="size-6" aria-hidden />
              No photos in this dataset yet.
            </div>
          ) : (
            <PhotoGrid items={items} report={report} removing={p.removing} disabled={p.validating} onRemove={p.onRemove} onStale={p.onStale} />
          )}
        </CardContent>
      </Card>
      {report ? (
        <Card>
          <CardHeader>
            <CardTitle>Quality report</CardTitle>
            <CardDescription>
              {report.counts.total} photos checked for {p.baseNames.get(report.base_model.id) ?? report.base_model.id} (at least {report.base_model.min_resolution} px,{' '}
              {report.base_model.recommended_resolution} px recommended){report.faces_checked ? ', with face analysis' : ''}.
            </CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-5">
            <QualityReportView report={report} items={items} onStale={p.onStale} />
            {p.next}
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
