'use client';
import { ImagePlus } from 'lucide-react';
import { useEffect, useRef, useState, useSyncExternalStore, type DragEvent } from 'react';
import { cn } from '@/lib/utils';
import { ACCEPT } from './file-rules.ts';

const noop = () => () => undefined;
/** false in the server-rendered HTML, true once React runs in the browser. */
const useHydrated = () => useSyncExternalStore(noop, () => true, () => false);

const hasFiles = (e: DragEvent | globalThis.DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/**
 * The zone is a real <button>: Tab reaches it and Enter/Space open the file picker; files
 * can also be dropped on it. A drop that misses the zone must not make the browser leave
 * the page to show the photo, so stray drops are swallowed while this is mounted.
 */
export function DropZone({ onFiles, disabled, compact }: { onFiles: (files: File[]) => void; disabled?: boolean; compact?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const depth = useRef(0);
  const [over, setOver] = useState(false);
  // Until the page is hydrated a click or Enter would do nothing; say so by being disabled.
  const hydrated = useHydrated();
  const off = Boolean(disabled) || !hydrated;

  useEffect(() => {
    const swallow = (e: globalThis.DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    window.addEventListener('dragover', swallow);
    window.addEventListener('drop', swallow);
    return () => {
      window.removeEventListener('dragover', swallow);
      window.removeEventListener('drop', swallow);
    };
  }, []);

  const onDragEnter = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth.current += 1;
    setOver(true);
  };
  const onDragOver = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = off ? 'none' : 'copy';
  };
  const onDragLeave = () => {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setOver(false);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    depth.current = 0;
    setOver(false);
    if (!off && e.dataTransfer.files.length > 0) onFiles(Array.from(e.dataTransfer.files));
  };

  return (
    <>
      <button
        type="button"
        data-testid="drop-zone"
        disabled={off}
        onClick={() => input.current?.click()}
        onDragEnter={onDragEnter}
        onDragOver={onDragOver}
        onDragLeave={onDragLeave}
        onDrop={onDrop}
        aria-describedby="drop-zone-help"
        className={cn(
          'group flex w-full flex-col items-center justify-center gap-2 rounded-xl border-2 border-dashed bg-muted/30 px-6 text-center transition-colors hover:border-primary/50 hover:bg-accent/50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2',
          compact ? 'py-6' : 'py-10',
          disabled && 'cursor-not-allowed opacity-60', // not while hydrating: no flash on load
          over && 'border-primary bg-accent',
        )}
      >
        <span className={cn('rounded-full bg-background p-3 shadow-sm transition-transform', over && 'scale-110')}>
          <ImagePlus className="size-6 text-primary" aria-hidden />
        </span>
        <span className="text-sm font-medium">{over ? 'Drop the photos to add them' : 'Drag photos here, or click to choose files'}</span>
        <span id="drop-zone-help" className="text-xs text-muted-foreground">
          JPEG, PNG, WebP or AVIF, up to 50 MB each. iPhone HEIC photos: convert to JPEG first.
        </span>
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT}
        className="sr-only"
        tabIndex={-1}
        aria-hidden
        data-testid="file-input"
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = ''; // picking the same file again must fire change again
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}
