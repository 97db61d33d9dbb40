'use client';
import { Download, FileArchive } from 'lucide-react';
import Link from 'next/link';
import { CopyButton } from '@/components/loras/copy-button';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import type { VersionView } from './api.ts';
import { CONVERGENCE_VARIANT, formatBytes, formatLoss, paramEntries, shortHash } from './format.ts';

type Quality = NonNullable<VersionView['quality']>;
type Serving = NonNullable<VersionView['serving']>;

/** The verdict on the loss curve; the rule that decided it is the tooltip. */
export function ConvergenceBadge({ convergence, testId = 'convergence-label' }: { convergence: Quality['convergence']; testId?: string }) {
  return (
    <Badge variant={CONVERGENCE_VARIANT[convergence.label]} title={convergence.reason} data-testid={testId} data-label={convergence.label} className="cursor-help">
      {convergence.label}
    </Badge>
  );
}

export function QualitySummary({ quality }: { quality: Quality }) {
  const ppl = quality.perplexity;
  return (
    <section aria-label="Quality" className="flex flex-col gap-2">
      <h4 className="text-xs font-medium uppercase tracking-wide text-muted-foreground">Quality</h4>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="version-quality">
        <dt className="text-muted-foreground">Final train loss</dt>
        <dd className="tabular-nums">{formatLoss(quality.final_train_loss)}</dd>
        <dt className="text-muted-foreground">Final validation loss</dt>
        <dd className="tabular-nums">{formatLoss(quality.final_val_loss)}</dd>
        <dt className="text-muted-foreground">Perplexity</dt>
        <dd className="tabular-nums">{ppl ? `${ppl.value.toPrecision(4)} (of the ${ppl.source === 'val' ? 'validation' : 'training'} loss)` : '—'}</dd>
        <dt className="text-muted-foreground">Convergence</dt>
        <dd>
          <ConvergenceBadge convergence={quality.convergence} />
          <p className="mt-1 max-w-prose text-xs text-muted-foreground">{quality.convergence.reason}</p>
        </dd>
      </dl>
    </section>
  );
}

/** Each file downloads through the API (302 to a short-lived signed URL); the zip is streamed by the API. */
export function VersionFilesTable({ v }: { v: VersionView }) {
  return (
    <section aria-label="Files" className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h4 className="text-xs font-medium uppercase tracking-wide text-muted-foreground">Files</h4>
        <Button asChild size="sm" variant="outline">
          <a href={`/api/lora/versions/${v.id}/download?file=all`} download data-testid="download-all">
            <FileArchive aria-hidden /> Download all (.zip)
          </a>
        </Button>
      </div>
      <table className="w-full text-sm" data-testid="version-files">
        <thead className="text-left text-xs text-muted-foreground">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              File
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Size
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              sha256
            </th>
            <th scope="col" className="py-1">
              <span className="sr-only">Download</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {v.files.map((f) => (
            <tr key={f.name} data-file={f.name} className="border-t">
              <td className="py-1 pr-3 font-mono text-xs">{f.name}</td>
              <td className="py-1 pr-3 tabular-nums">{formatBytes(f.bytes)}</td>
              <td className="py-1 pr-3 font-mono text-xs" title={f.sha256 ?? undefined}>
                {shortHash(f.sha256)}
              </td>
              <td className="py-1 text-right">
                <Button asChild size="sm" variant="ghost">
                  <a href={f.download_url} download={f.name} aria-label={`Download ${f.name}`}>
                    <Download aria-hidden />
                  </a>
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Snippet({ text, testId, label }: { text: string; testId: string; label: string }) {
  return (
    <div className="relative">
      <div className="absolute right-2 top-2">
        <CopyButton text={text} label={label} />
      </div>
      <pre className="max-h-96 overflow-auto rounded-lg border bg-muted/40 p-3 pr-12 font-mono text-xs leading-relaxed" data-testid={testId}>
        {text}
      </pre>
    </div>
  );
}

/** vLLM and LoRAX instructions; both panels stay mounted (hidden when inactive) so either can be copied. */
export function ServingSnippets({ serving }: { serving: Serving }) {
  return (
    <section aria-label="Serve it" className="flex flex-col gap-2">
      <h4 className="text-xs font-medium uppercase tracking-wide text-muted-foreground">
        Serve it as <code className="font-mono normal-case">{serving.adapter_name}</code>
      </h4>
      {serving.warning ? (
        <Alert variant="warning" data-testid="serving-warning">
          This version was {serving.warning}
        </Alert>
      ) : null}
      <Tabs defaultValue="vllm">
        <TabsList>
          <TabsTrigger value="vllm">vLLM</TabsTrigger>
          <TabsTrigger value="lorax">LoRAX</TabsTrigger>
        </TabsList>
        <TabsContent value="vllm" forceMount className="data-[state=inactive]:hidden">
          <Snippet text={serving.vllm} testId="vllm-snippet" label="Copy the vLLM commands" />
        </TabsContent>
        <TabsContent value="lorax" forceMount className="data-[state=inactive]:hidden">
          <Snippet text={serving.lorax} testId="lorax-snippet" label="Copy the LoRAX commands" />
        </TabsContent>
      </Tabs>
      <p className="text-xs text-muted-foreground">
        Download the files into <code className="font-mono">./{serving.adapter_name}/</code> first: &ldquo;Download all (.zip)&rdquo; unzips to exactly that folder.
      </p>
    </section>
  );
}

export function LineageList({ v }: { v: VersionView }) {
  const l = v.lineage;
  return (
    <section aria-label="Lineage" className="flex flex-col gap-2" data-testid="version-lineage">
      <h4 className="text-xs font-medium uppercase tracking-wide text-muted-foreground">Lineage</h4>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-muted-foreground">Dataset</dt>
        <dd>
          <Link className="font-mono text-xs underline-offset-4 hover:underline" href={`/datasets?q=${encodeURIComponent(l.dataset_id)}`}>
            {l.dataset_id}
          </Link>{' '}
          <span className="font-mono text-xs text-muted-foreground" title={l.dataset_hash}>
            sha256 {shortHash(l.dataset_hash)}
          </span>
        </dd>
        <dt className="text-muted-foreground">Job</dt>
        <dd>
          {l.job_id ? (
            <Link className="font-mono text-xs underline-offset-4 hover:underline" href={`/jobs/${l.job_id}`}>
              {l.job_id}
            </Link>
          ) : (
            '—'
          )}
          {l.attempt !== null ? <span className="text-xs text-muted-foreground"> · attempt {l.attempt}</span> : null}
          {l.backend ? <span className="text-xs text-muted-foreground"> · {l.backend}</span> : null}
        </dd>
        <dt className="text-muted-foreground">Base model</dt>
        <dd className="font-mono text-xs">
          {l.base_model}
          {l.base_model_hf_repo ? <span className="text-muted-foreground"> ({l.base_model_hf_repo})</span> : null}
        </dd>
        <dt className="text-muted-foreground">Params</dt>
        <dd>
          <dl className="flex flex-wrap gap-x-3 gap-y-0.5 font-mono text-xs" data-testid="lineage-params">
            {paramEntries(l.params).map(([k, val]) => (
              <div key={k} className="flex gap-1">
                <dt className="text-muted-foreground">{k}</dt>
                <dd>{val}</dd>
              </div>
            ))}
          </dl>
        </dd>
      </dl>
    </section>
  );
}

/** Everything a text version offers beyond the table row: quality, files, serving, lineage. */
export function TextVersionDetails({ v }: { v: VersionView }) {
  return (
    <div className="grid gap-6 bg-muted/20 p-4 lg:grid-cols-2" data-testid="text-version-details">
      <div className="flex flex-col gap-6">
        {v.quality ? <QualitySummary quality={v.quality} /> : null}
        {v.files.length > 0 ? <VersionFilesTable v={v} /> : null}
        <LineageList v={v} />
      </div>
      {v.serving ? <ServingSnippets serving={v.serving} /> : null}
    </div>
  );
}
