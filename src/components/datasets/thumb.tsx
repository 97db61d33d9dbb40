import { ImageOff } from 'lucide-react';
import { cn } from '@/lib/utils';

/**
 * A square image: a blob: preview or a short-lived signed thumbnail URL. A plain <img>
 * on purpose: next/image would proxy and cache signed URLs past their expiry and cannot
 * load blob: URLs.
 */
export function Thumb({ src, alt, className, lazy, onError }: { src: string | null; alt: string; className?: string; lazy?: boolean; onError?: () => void }) {
  if (!src) {
    return (
      <div className={cn('flex size-full items-center justify-center bg-muted text-muted-foreground', className)} role="img" aria-label={`${alt} (no preview)`}>
        <ImageOff className="size-5" aria-hidden />
      </div>
    );
  }
  // eslint-disable-next-line @next/next/no-img-element -- see the comment above
  return <img src={src} alt={alt} loading={lazy ? 'lazy' : 'eager'} decoding="async" draggable={false} onError={onError} className={cn('size-full bg-muted object-cover', className)} />;
}
