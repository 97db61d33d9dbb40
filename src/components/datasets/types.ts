// Types the browser shares with the API (type-only: nothing server-side is bundled).
import type { QualityReport } from '@/server/datasets/images/report-schema';
import type { DatasetView } from '@/server/datasets/schemas';

export type { DatasetView } from '@/server/datasets/schemas';
export type { Problem, QualityReport, ReportItem } from '@/server/datasets/images/report-schema';
export type DatasetItem = NonNullable<DatasetView['items']>[number];
export type DatasetStatus = DatasetView['status'];
export type Verdict = NonNullable<DatasetView['verdict']>;

export interface UploadTarget {
  upload_id: string;
  key: string;
  filename: string;
  url: string;
  headers: Record<string, string>;
}
export interface InitResult {
  dataset_id: string;
  status: string;
  uploads: UploadTarget[];
}

/** The stored report, when it is one this UI knows how to read (schema version 1). */
export function reportOf(view: DatasetView | null): QualityReport | null {
  const r = view?.quality_report as { schema_version?: unknown } | null | undefined;
  return r && r.schema_version === 1 ? (r as unknown as QualityReport) : null;
}
