'use client';
import { FileJson, Loader2, Upload, X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { apiJson } from '@/components/datasets/api';
import type { DatasetView } from '@/components/datasets/types';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { Progress } from '@/components/ui/progress';
import { cn } from '@/lib/utils';
import type { TextQualityReport } from '@/server/text-datasets/validation/report-schema';
import { TextReport } from './text-report.tsx';
import { refuseTextFile, TEXT_FILE_ACCEPT, uploadTextDataset, type UploadProgress } from './upload.ts';

const POLL_MS = 1000;

export interface TextBase {
  id: string;
  name: string;
  contextLength: number | null;
}

const mb = (b: number) => (b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(2)} GB` : `${(b / 1024 ** 2).toFixed(1)} MB`);

export function textReportOf(view: DatasetView | null): TextQualityReport | null {
  const r = view?.quality_report as { schema_version?: unknown; stats?: unknown } | null | undefined;
  return view?.modality === 'text' && r && r.schema_version === 1 && r.stats ? (r as unknown as TextQualityReport) : null;
}

/** Re-reads a dataset while the server validates it in the background. */
function useLiveDataset(dataset: DatasetView | null, onDataset: (v: DatasetView) => void) {
  const id = dataset?.id;
  const live = dataset?.status === 'validating';
  useEffect(() => {
    if (!id || !live) return;
    let stop = false;
    const timer = setInterval(() => {
      apiJson<DatasetView>(`/api/lora/datasets/${id}`).then(
        (v) => {
          if (!stop) onDataset(v);
        },
        () => undefined,
      );
    }, POLL_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [id, live, onDataset]);
}

function UploadProgressView({ p, fileName, onCancel }: { p: UploadProgress; fileName: string; onCancel: () => void }) {
  const pct = p.total ? (100 * p.uploaded) / p.total : 0;
  const hashPct = p.total ? (100 * p.hashed) / p.total : 0;
  return (
    <div className="flex flex-col gap-3 rounded-xl border bg-card p-4" data-testid="text-upload-progress">
      <div className="flex items-center justify-between gap-3 text-sm">
        <span className="flex items-center gap-2 font-medium">
          <FileJson className="size-4 text-primary" aria-hidden /> {fileName}
        </span>
        <Button type="button" variant="ghost" size="sm" onClick={onCancel}>
          <X aria-hidden /> Cancel
        </Button>
      </div>
      <div className="flex flex-col gap-1">
        <div className="flex justify-between text-xs text-muted-foreground">
          <span>
            {p.phase === 'init' ? 'Preparing the upload…' : p.phase === 'commit' ? 'Upload complete, starting validation…' : `Uploading${p.parts > 1 ? ` in ${p.parts} parts` : ''}`}
          </span>
          <span className="tabular-nums">
            {mb(p.uploaded)} / {mb(p.total)}
          </span>
        </div>
        <Progress value={pct} aria-label="Upload progress" data-testid="text-upload-bar" />
      </div>
      <div className="flex flex-col gap-1">
        <div className="flex justify-between text-xs text-muted-foreground">
          <span>Checksum (sha256, computed in your browser)</span>
          <span className="tabular-nums">{Math.round(hashPct)} %</span>
        </div>
        <Progress value={hashPct} aria-label="Checksum progress" />
      </div>
    </div>
  );
}

function ValidatingView({ dataset }: { dataset: DatasetView }) {
  const progress = dataset.validation_progress ?? 0;
  return (
    <div className="flex flex-col gap-2 rounded-xl border bg-card p-4" role="status" data-testid="text-validating">
      <p className="flex items-center gap-2 text-sm font-medium">
        <Loader2 className="size-4 animate-spin text-primary" aria-hidden /> Validating {dataset.total_bytes ? mb(dataset.total_bytes) : ''} in the background… {Math.round(progress * 100)} %
      </p>
      <Progress value={progress * 100} aria-label="Validation progress" />
      <p className="text-xs text-muted-foreground">Every line is checked as a stream; you can leave this page and come back.</p>
    </div>
  );
}

/** Pick or drop one .jsonl/.json file; upload, then follow validation to its report. */
export function TextDatasetPanel({
  modelId,
  bases,
  dataset,
  onDataset,
}: {
  modelId: string;
  bases: TextBase[];
  dataset: DatasetView | null;
  onDataset: (v: DatasetView | null) => void;
}) {
  const [baseModel, setBaseModel] = useState(bases[0]?.id ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [replacing, setReplacing] = useState(dataset === null);
  const abort = useRef<AbortController | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useLiveDataset(dataset, onDataset);

  const pick = (f: File | undefined) => {
    if (!f) return;
    setError(refuseTextFile(f));
    setFile(f);
  };

  const start = async () => {
    if (!file || refuseTextFile(file)) return;
    const ctl = new AbortController();
    abort.current = ctl;
    setError(null);
    const seen: { datasetId: string | null; phase: UploadProgress['phase'] } = { datasetId: null, phase: 'init' };
    try {
      const view = await uploadTextDataset({
        file,
        modelId,
        baseModel,
        signal: ctl.signal,
        onProgress: (p) => {
          seen.datasetId = p.datasetId;
          seen.phase = p.phase;
          setProgress(p);
        },
      });
      onDataset(view);
      setReplacing(false);
      setFile(null);
    } catch (err) {
      setError(ctl.signal.aborted ? 'The upload was cancelled; nothing was kept.' : (err as Error).message);
      // A dataset created by init but never committed holds no data; remove it so it does not
      // linger. Once the commit was sent it may have landed (a lost answer), so keep it then.
      if (seen.datasetId && seen.phase !== 'commit') await apiJson(`/api/lora/datasets/${seen.datasetId}`, { method: 'DELETE' }).catch(() => undefined);
    } finally {
      setProgress(null);
      abort.current = null;
    }
  };

  const report = textReportOf(dataset);
  const failed = dataset?.status === 'failed' ? (dataset.error?.message ?? 'Validation failed.') : null;
  const showUploader = replacing || !dataset;

  return (
    <div className="flex flex-col gap-5">
      {dataset && !showUploader ? (
        <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
          <span className="text-muted-foreground">
            {dataset.name || dataset.id} · {dataset.total_bytes ? mb(dataset.total_bytes) : ''} · status{' '}
            <span className="font-medium text-foreground" data-testid="text-dataset-status">
              {dataset.status}
            </span>
          </span>
          <Button type="button" variant="outline" size="sm" onClick={() => setReplacing(true)} disabled={dataset.status === 'validating'}>
            <Upload aria-hidden /> Upload another file
          </Button>
        </div>
      ) : null}

      {showUploader ? (
        <section aria-label="Upload conversations" className="flex flex-col gap-4">
          <div className="flex flex-wrap items-end gap-3">
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="text-base">Check lengths against</Label>
              <select
                id="text-base"
                className="h-9 rounded-md border bg-background px-3 text-sm"
                value={baseModel}
                onChange={(e) => setBaseModel(e.target.value)}
                disabled={progress !== null}
              >
                {bases.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                    {b.contextLength ? ` (${b.contextLength.toLocaleString('en')}-token context)` : ''}
                  </option>
                ))}
              </select>
            </div>
            {dataset ? (
              <Button type="button" variant="ghost" size="sm" onClick={() => setReplacing(false)} disabled={progress !== null}>
                Back to the current dataset
              </Button>
            ) : null}
          </div>
          <div
            className={cn('flex flex-col items-center gap-3 rounded-xl border-2 border-dashed p-8 text-center', dragging ? 'border-primary bg-primary/5' : 'border-muted-foreground/25')}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(e) => {
              e.preventDefault();
              setDragging(false);
              pick(e.dataTransfer.files[0]);
            }}
            data-testid="text-drop-zone"
          >
            <FileJson className="size-8 text-primary" aria-hidden />
            <p className="text-sm">
              Drop a <strong>.jsonl</strong> or <strong>.json</strong> file of conversations here (up to 10 GB), or{' '}
              <Button type="button" variant="link" className="h-auto p-0" onClick={() => input.current?.click()}>
                choose a file
              </Button>
              .
            </p>
            <p className="max-w-xl text-xs text-muted-foreground">
              Detected automatically: OpenAI <code>messages</code>, <code>conversation_id</code> + <code>turns</code> (role/content or speaker/text), ShareGPT and Alpaca as
              LLaMA-Factory documents them. Every line is checked; bad lines are listed with their line number and field.
            </p>
            <input ref={input} type="file" accept={TEXT_FILE_ACCEPT} className="sr-only" aria-label="Conversation file" data-testid="text-file-input" onChange={(e) => pick(e.target.files?.[0])} />
            {file && !progress ? (
              <div className="flex items-center gap-3 text-sm">
                <span>
                  {file.name} · {mb(file.size)}
                </span>
                <Button type="button" onClick={() => void start()} disabled={Boolean(refuseTextFile(file))} data-testid="text-upload-start">
                  <Upload aria-hidden /> Upload and validate
                </Button>
              </div>
            ) : null}
          </div>
          {progress && file ? <UploadProgressView p={progress} fileName={file.name} onCancel={() => abort.current?.abort()} /> : null}
        </section>
      ) : null}

      {error ? (
        <Alert variant="destructive" role="alert" data-testid="text-upload-error">
          {error}
        </Alert>
      ) : null}
      {!showUploader && dataset?.status === 'validating' ? <ValidatingView dataset={dataset} /> : null}
      {!showUploader && failed ? (
        <Alert variant="destructive" role="alert" data-testid="text-dataset-failed">
          {failed} Upload the file again.
        </Alert>
      ) : null}
      {!showUploader && report ? <TextReport report={report} /> : null}
    </div>
  );
}
