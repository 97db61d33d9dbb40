'use client';
import { ArrowDown, History, Loader2 } from 'lucide-react';
import { Fragment, useLayoutEffect, useRef, useState } from 'react';
import { apiJson } from '@/components/datasets/api';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/utils';
import type { LiveLogLine } from './stream-state.ts';

interface LogsPage {
  data: { event_id: number; attempt: number; stream: string; line: string }[];
  next_after: number | null;
}

const NEAR_BOTTOM_PX = 24;

/**
 * The job log, following new lines like `tail -f` unless the reader scrolled up (then a
 * "Jump to latest" button appears instead of yanking the view). The live window is bounded;
 * lines that fell out of it are read back from GET …/logs on request, oldest first.
 */
export function LogsPanel({ jobId, lines, droppedBefore }: { jobId: string; lines: LiveLogLine[]; droppedBefore: number | null }) {
  const box = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const [earlier, setEarlier] = useState<LiveLogLine[]>([]);
  const [cursor, setCursor] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const earlierDone = droppedBefore === null || cursor >= droppedBefore;

  useLayoutEffect(() => {
    const el = box.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [lines, follow]);

  const onScroll = () => {
    const el = box.current;
    if (el) setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX);
  };

  const loadEarlier = async () => {
    if (droppedBefore === null) return;
    setLoading(true);
    setError(null);
    try {
      const page = await apiJson<LogsPage>(`/api/lora/jobs/${jobId}/logs?after=${cursor}&limit=200`);
      const held = new Set(lines.map((l) => l.key));
      const index = new Map<number, number>();
      const got = page.data.flatMap((l) => {
        const i = index.get(l.event_id) ?? 0;
        index.set(l.event_id, i + 1);
        const key = `${l.event_id}:${i}`;
        return l.event_id <= droppedBefore && !held.has(key) ? [{ key, eventId: l.event_id, attempt: l.attempt, stream: l.stream, line: l.line }] : [];
      });
      setEarlier((e) => [...e, ...got]);
      setCursor(page.data.length === 0 || page.next_after === null ? droppedBefore : page.next_after);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setLoading(false);
    }
  };

  const shown = [...earlier, ...lines];
  return (
    <div className="relative flex flex-col gap-2">
      {!earlierDone ? (
        <Button type="button" variant="outline" size="sm" className="self-start" onClick={() => void loadEarlier()} disabled={loading} data-testid="load-earlier-logs">
          {loading ? <Loader2 className="animate-spin" aria-hidden /> : <History aria-hidden />} Load earlier lines
        </Button>
      ) : null}
      {error ? <p className="text-xs text-destructive">{error}</p> : null}
      <div
        ref={box}
        onScroll={onScroll}
        role="log"
        aria-label="Training log"
        tabIndex={0}
        className="h-72 overflow-auto rounded-lg border bg-zinc-950 p-3 font-mono text-xs leading-relaxed text-zinc-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
        data-testid="job-logs"
      >
        {shown.length === 0 ? <p className="text-zinc-400">No log lines yet.</p> : null}
        {shown.map((l, i) => (
          <Fragment key={l.key}>
            {i === earlier.length && earlier.length > 0 && !earlierDone ? <p className="my-1 text-zinc-500">… later lines not loaded yet …</p> : null}
            {i > 0 && shown[i - 1]!.attempt !== l.attempt ? <p className="my-1 text-zinc-400">── attempt {l.attempt} ──</p> : null}
            <p className={cn('whitespace-pre-wrap break-all', l.stream === 'stderr' && 'text-amber-300', l.stream === 'worker' && 'text-sky-300')}>{l.line}</p>
          </Fragment>
        ))}
      </div>
      {!follow ? (
        <Button type="button" size="sm" variant="secondary" className="absolute bottom-3 right-5 shadow" onClick={() => setFollow(true)} data-testid="logs-follow">
          <ArrowDown aria-hidden /> Jump to latest
        </Button>
      ) : null}
    </div>
  );
}
