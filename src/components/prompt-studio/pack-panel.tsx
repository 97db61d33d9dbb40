'use client';
import { Package } from 'lucide-react';
import { useState } from 'react';
import { apiJson } from '@/components/datasets/api';
import { startDownload } from '@/components/versions/api';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { CompileResult, PackLink } from './types.ts';

export interface PackRequest {
  profile: string;
  scene: string;
  style?: string;
  negative?: string;
}

/** Character Pack platforms: what the pack holds, and the zip export. */
export function PackPanel({ result, request, canExport }: { result: CompileResult; request: PackRequest; canExport: boolean }) {
  const pack = result.character_pack!;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<PackLink | null>(null);
  const exportPack = async () => {
    setBusy(true);
    setError(null);
    try {
      const link = await apiJson<PackLink>('/api/lora/packs', { method: 'POST', json: request });
      setDone(link);
      startDownload(link.url, link.filename);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const params = Object.entries(pack.recommended_params);
  return (
    <section className="flex flex-col gap-3 rounded-lg border p-4" data-testid="pack-panel" aria-labelledby="pack-title">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="pack-title" className="flex items-center gap-2 text-sm font-semibold">
          <Package className="size-4" aria-hidden /> Character Pack for {pack.platform.name}
        </h2>
        <Button type="button" onClick={() => void exportPack()} disabled={busy || !canExport} data-testid="export-pack" title={canExport ? undefined : 'Activate a version first'}>
          {busy ? 'Building…' : 'Export pack (.zip)'}
        </Button>
      </div>
      <p className="text-sm text-muted-foreground">
        {pack.platform.name} cannot load a LoRA. The pack carries this prompt, the usage steps for {pack.platform.name}, the recommended parameters and{' '}
        {result.reference_images.length ? `${result.reference_images.length} reference photo(s) from your dataset, metadata removed` : 'no reference photos'}.
      </p>
      {result.reference_images.length ? (
        <ul className="flex flex-wrap gap-2 text-xs" data-testid="pack-references">
          {result.reference_images.map((r) => (
            <li key={r.item_id} className="rounded-md border bg-muted/30 px-2 py-1">
              {r.filename}
              {r.pose ? ` · ${r.pose}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {params.length ? (
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-4">
          {params.map(([k, v]) => (
            <div key={k}>
              <dt className="text-muted-foreground">{k}</dt>
              <dd className="font-mono">{String(v)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <details className="text-sm">
        <summary className="cursor-pointer font-medium">How to use it</summary>
        <p className="mt-2 whitespace-pre-line text-muted-foreground">{pack.usage_instructions}</p>
      </details>
      {error ? <Alert variant="destructive">{error}</Alert> : null}
      {done ? (
        <p className="text-sm text-muted-foreground" data-testid="pack-done">
          {done.filename} · {done.manifest.images.length} image(s). The link expires in a few minutes; export again for a new one.
        </p>
      ) : null}
    </section>
  );
}
