import { ArrowLeft } from 'lucide-react';
import Link from 'next/link';
import type { ModelView } from '@/server/models/schemas';
import { CopyButton } from './copy-button.tsx';
import { formatDate } from './format.ts';
import { KindBadge } from './kind-badge.tsx';

export function LoraHeader({ model }: { model: ModelView }) {
  return (
    <header className="mb-6">
      <Link href="/loras" className="mb-3 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft className="size-4" aria-hidden /> All LoRAs
      </Link>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{model.name}</h1>
        <KindBadge kind={model.kind} />
      </div>
      {model.description ? <p className="mt-1 max-w-3xl text-sm text-muted-foreground">{model.description}</p> : null}
      <dl className="mt-3 flex flex-wrap items-center gap-x-6 gap-y-2 text-sm">
        {model.trigger_word ? (
          <div className="flex items-center gap-2">
            <dt className="text-muted-foreground">Trigger word</dt>
            <dd className="flex items-center gap-1">
              <code className="rounded-md border bg-muted px-2 py-0.5 font-mono text-sm" data-testid="trigger-word">
                {model.trigger_word}
              </code>
              <CopyButton text={model.trigger_word} label="Copy trigger word" />
            </dd>
          </div>
        ) : null}
        <div className="flex items-center gap-2">
          <dt className="text-muted-foreground">Created</dt>
          <dd>
            <time dateTime={model.created_at}>{formatDate(model.created_at)}</time>
          </dd>
        </div>
        <div className="flex items-center gap-2">
          <dt className="text-muted-foreground">ID</dt>
          <dd className="font-mono text-xs">{model.id}</dd>
        </div>
      </dl>
    </header>
  );
}
