'use client';
import { CircleCheck, FileWarning, Loader2, X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Progress } from '@/components/ui/progress';
import { cn } from '@/lib/utils';
import { formatBytes } from './file-rules.ts';
import { Thumb } from './thumb.tsx';
import type { Phase, Pick } from './use-uploader.ts';

function statusOf(p: Pick, phase: Phase): { text: string; tone: 'muted' | 'busy' | 'ok' | 'bad' } {
  switch (p.state) {
    case 'ready':
      return { text: phase ? 'Waiting' : 'Ready', tone: 'muted' };
    case 'uploading':
      return { text: `${Math.floor((100 * p.loaded) / Math.max(1, p.file.size))}%`, tone: 'busy' };
    case 'uploaded':
      if (phase === 'commit') return { text: 'Verifying', tone: 'busy' };
      return phase ? { text: 'Sent', tone: 'muted' } : { text: 'Sent, not added', tone: 'muted' };
    case 'done':
      return { text: 'Uploaded', tone: 'ok' };
    case 'refused':
      return { text: 'Not allowed', tone: 'bad' };
    case 'error':
      return { text: 'Failed', tone: 'bad' };
  }
}

const TONE = { muted: 'text-muted-foreground', busy: 'text-primary', ok: 'text-success', bad: 'text-destructive' };

function Row({ pick, phase, onRemove }: { pick: Pick; phase: Phase; onRemove: (id: string) => void }) {
  const status = statusOf(pick, phase);
  const pct = pick.state === 'done' || pick.state === 'uploaded' ? 100 : Math.floor((100 * pick.loaded) / Math.max(1, pick.file.size));
  const locked = phase !== null && (pick.state === 'uploading' || pick.state === 'uploaded' || pick.state === 'ready');
  const bad = pick.state === 'refused' || pick.state === 'error';
  return (
    <li
      data-testid="upload-row"
      data-state={pick.state}
      data-filename={pick.file.name}
      className={cn('flex items-start gap-3 rounded-lg border bg-card p-2', bad && 'border-destructive/40 bg-destructive/5')}
    >
      <div className="size-12 shrink-0 overflow-hidden rounded-md border">
        {pick.preview ? <Thumb src={pick.preview} alt={pick.file.name} lazy /> : <FileWarning className="m-3 size-6 text-destructive" aria-hidden />}
      </div>
      <div className="flex min-w-0 flex-1 flex-col gap-1.5">
        <div className="flex items-baseline justify-between gap-2 text-sm">
          <span className="truncate font-medium" title={pick.file.name}>
            {pick.file.name}
          </span>
          <span className="shrink-0 tabular-nums text-xs text-muted-foreground">{formatBytes(pick.file.size)}</span>
        </div>
        {bad ? (
          <p className="text-xs leading-snug text-destructive" data-testid="upload-error">
            {pick.error}
          </p>
        ) : (
          <div className="flex items-center gap-2">
            <Progress value={pct} tone={pick.state === 'done' ? 'success' : 'default'} aria-label={`Upload of ${pick.file.name}`} className="h-1.5" />
            <span className={cn('flex w-24 shrink-0 items-center justify-end gap-1 text-xs tabular-nums', TONE[status.tone])} data-testid="upload-status">
              {status.tone === 'busy' ? <Loader2 className="size-3 animate-spin" aria-hidden /> : null}
              {status.tone === 'ok' ? <CircleCheck className="size-3" aria-hidden /> : null}
              {status.text}
            </span>
          </div>
        )}
      </div>
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="size-7 shrink-0"
        disabled={locked}
        onClick={() => onRemove(pick.id)}
        aria-label={`Remove ${pick.file.name} from the list`}
      >
        <X aria-hidden />
      </Button>
    </li>
  );
}

export function UploadList({ picks, phase, onRemove }: { picks: Pick[]; phase: Phase; onRemove: (id: string) => void }) {
  if (picks.length === 0) return null;
  return (
    <ul className="grid gap-2 md:grid-cols-2" aria-label="Selected photos" data-testid="upload-list">
      {picks.map((p) => (
        <Row key={p.id} pick={p} phase={phase} onRemove={onRemove} />
      ))}
    </ul>
  );
}
