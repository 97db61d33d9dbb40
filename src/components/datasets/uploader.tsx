'use client';
import { CircleCheck, Loader2, Upload } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Progress } from '@/components/ui/progress';
import { DropZone } from './drop-zone.tsx';
import { formatBytes } from './file-rules.ts';
import type { DatasetView } from './types.ts';
import { UploadList } from './upload-list.tsx';
import { useUploader, type Pick } from './use-uploader.ts';

export interface Guidance {
  headline: string;
  tips: string[];
}

function overall(picks: Pick[]) {
  const counted = picks.filter((p) => p.state !== 'refused');
  const total = counted.reduce((s, p) => s + p.file.size, 0);
  const sent = counted.reduce((s, p) => s + (p.state === 'done' || p.state === 'uploaded' ? p.file.size : p.state === 'uploading' ? p.loaded : 0), 0);
  return { total, sent, pct: total > 0 ? (100 * sent) / total : 0 };
}

const PHASE_TEXT = { init: 'Preparing upload links…', upload: 'Uploading', commit: 'Verifying the files on the server…' } as const;

export function Uploader({
  modelId,
  datasetId,
  hasPhotos,
  guidance,
  disabled,
  onCommitted,
}: {
  modelId: string;
  datasetId: string | null;
  hasPhotos: boolean;
  guidance: Guidance;
  disabled?: boolean;
  onCommitted: (view: DatasetView) => void;
}) {
  const up = useUploader({ modelId, datasetId, onCommitted });
  const toSend = up.picks.filter((p) => p.state === 'ready' || p.state === 'error').length;
  const waiting = up.picks.filter((p) => p.state === 'uploaded').length;
  const finished = up.picks.filter((p) => p.state === 'done' || p.state === 'refused').length;
  const { total, sent, pct } = overall(up.picks);
  const busy = up.phase !== null;
  const showOverall = busy || up.picks.some((p) => p.state === 'done' || p.state === 'uploaded');
  const count = toSend + waiting;
  const label = count === 0 ? 'Upload photos' : toSend > 0 ? `Upload ${count} photo${count === 1 ? '' : 's'}` : `Add ${waiting} uploaded photo${waiting === 1 ? '' : 's'}`;

  return (
    <Card>
      <CardHeader>
        <CardTitle>{hasPhotos ? 'Add more photos' : 'Upload photos'}</CardTitle>
        <CardDescription data-testid="upload-guidance">{guidance.headline}</CardDescription>
        <ul className="mt-1 grid gap-1 text-xs text-muted-foreground sm:grid-cols-2">
          {guidance.tips.map((t) => (
            <li key={t} className="flex gap-1.5">
              <CircleCheck className="mt-px size-3.5 shrink-0 text-success" aria-hidden />
              {t}
            </li>
          ))}
        </ul>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <DropZone onFiles={up.add} disabled={busy || disabled} compact={hasPhotos || up.picks.length > 0} />
        {up.error ? (
          <Alert variant="destructive" data-testid="upload-alert">
            {up.error}
          </Alert>
        ) : null}
        {up.notice ? (
          <Alert variant={up.picks.some((p) => p.state === 'error') ? 'warning' : 'success'} data-testid="upload-notice">
            {up.notice}
          </Alert>
        ) : null}
        <UploadList picks={up.picks} phase={up.phase} onRemove={up.remove} />
        {up.picks.length > 0 ? (
          <div className="flex flex-wrap items-center gap-4 border-t pt-4">
            <div className="flex min-w-48 flex-1 flex-col gap-1.5">
              {showOverall ? (
                <>
                  <div className="flex justify-between text-xs text-muted-foreground">
                    <span>{up.phase ? PHASE_TEXT[up.phase] : 'Upload finished'}</span>
                    <span className="tabular-nums">
                      {formatBytes(sent)} of {formatBytes(total)}
                    </span>
                  </div>
                  <Progress value={pct} aria-label="Overall upload progress" data-testid="overall-progress" tone={!busy && pct >= 100 ? 'success' : 'default'} />
                </>
              ) : count === 0 ? (
                <span className="text-xs text-muted-foreground">Nothing to upload: the files above cannot be used. Remove them or add other photos.</span>
              ) : (
                <span className="text-xs text-muted-foreground">
                  {count} photo{count === 1 ? '' : 's'} selected, {formatBytes(total)}. Remove any you don&apos;t want, then upload.
                </span>
              )}
            </div>
            {finished > 0 && !busy ? (
              <Button type="button" variant="ghost" onClick={up.clearFinished}>
                Clear finished
              </Button>
            ) : null}
            <Button type="button" onClick={() => void up.upload()} disabled={busy || disabled || count === 0}>
              {busy ? <Loader2 className="animate-spin" aria-hidden /> : <Upload aria-hidden />}
              {busy ? 'Uploading…' : label}
            </Button>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
