import { ChevronRight } from 'lucide-react';
import Link from 'next/link';
import { Card } from '@/components/ui/card';
import type { ModelView } from '@/server/models/schemas';
import { formatDate } from './format.ts';
import { KindBadge } from './kind-badge.tsx';

export function LoraList({ models }: { models: ModelView[] }) {
  return (
    <ul className="grid gap-4 sm:grid-cols-2" aria-label="Your LoRAs" data-testid="lora-list">
      {models.map((m) => (
        <li key={m.id}>
          <Link href={`/loras/${m.id}`} className="group block rounded-xl focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
            <Card className="flex h-full flex-col gap-3 p-5 transition-colors group-hover:border-primary/40">
              <div className="flex items-start justify-between gap-2">
                <h2 className="truncate font-semibold" title={m.name}>
                  {m.name}
                </h2>
                <ChevronRight className="size-4 shrink-0 text-muted-foreground transition-transform group-hover:translate-x-0.5" aria-hidden />
              </div>
              {m.description ? <p className="line-clamp-2 text-sm text-muted-foreground">{m.description}</p> : null}
              <div className="mt-auto flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
                <KindBadge kind={m.kind} />
                {m.trigger_word ? <code className="rounded border bg-muted px-1.5 py-0.5 font-mono">{m.trigger_word}</code> : null}
                <span className="ml-auto">Created {formatDate(m.created_at)}</span>
              </div>
            </Card>
          </Link>
        </li>
      ))}
    </ul>
  );
}
