import { Duplicates } from './duplicates.tsx';
import { IdentityOutliers } from './identity-outliers.tsx';
import { PoseCoverage } from './pose-coverage.tsx';
import { ReportStats } from './report-stats.tsx';
import type { DatasetItem, QualityReport } from './types.ts';
import { VerdictBanner } from './verdict-banner.tsx';

/** The whole quality report: verdict and fixes first, then the evidence. */
export function QualityReportView({ report, items, onStale }: { report: QualityReport; items: DatasetItem[]; onStale: () => void }) {
  const byId = new Map(items.map((i) => [i.id, i]));
  return (
    <div className="flex flex-col gap-5" data-testid="quality-report">
      <VerdictBanner report={report} />
      <ReportStats counts={report.counts} />
      {report.pose_coverage ? <PoseCoverage coverage={report.pose_coverage} /> : null}
      <div className="grid gap-5 lg:grid-cols-2">
        <Duplicates report={report} items={byId} onStale={onStale} />
        <IdentityOutliers report={report} items={byId} onStale={onStale} />
      </div>
      {!report.faces_checked && report.kind === 'identity' ? <p className="text-xs text-muted-foreground">Faces were not analysed in this run.</p> : null}
    </div>
  );
}
