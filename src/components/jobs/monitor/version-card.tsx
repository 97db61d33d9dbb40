import { BadgeCheck, TriangleAlert } from 'lucide-react';
import { formatBytes } from '@/components/datasets/file-rules';
import { CopyButton } from '@/components/loras/copy-button';
import { Alert } from '@/components/ui/alert';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { JobDetail } from '@/server/jobs/schemas';

function Row({ label, children, testId }: { label: string; children: React.ReactNode; testId: string }) {
  return (
    <div className="flex flex-col gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="font-medium" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

const text = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? String(v) : '–');

/** The verified result: what the control plane itself read from the stored file, not what the worker said. */
export function VersionCard({ job, baseName }: { job: JobDetail; baseName: string }) {
  const v = job.version;
  const meta = v.artifact_meta ?? {};
  const standIn = meta.stand_in as { note?: string } | undefined;
  return (
    <Card data-testid="version-card">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <BadgeCheck className="size-5 text-success" aria-hidden /> Version {v.number} is ready
        </CardTitle>
        <CardDescription>Re-hashed from storage and read as a LoRA by the control plane before it was marked ready.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <div className="flex flex-col gap-0.5">
          <span className="text-xs text-muted-foreground">SHA-256 checksum</span>
          <span className="flex items-center gap-1">
            <code className="break-all rounded-md border bg-muted px-2 py-1 font-mono text-xs" data-testid="version-checksum">
              {v.checksum}
            </code>
            {v.checksum ? <CopyButton text={v.checksum} label="Copy the checksum" /> : null}
          </span>
        </div>
        <dl className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-3 lg:grid-cols-6">
          <Row label="Size" testId="version-size">
            {v.artifact_bytes !== null ? <span title={`${v.artifact_bytes.toLocaleString('en')} bytes`}>{formatBytes(v.artifact_bytes)}</span> : '–'}
          </Row>
          <Row label="Rank" testId="version-rank">
            {text(meta.rank)}
          </Row>
          <Row label="Alpha" testId="version-alpha">
            {text(meta.alpha)}
          </Row>
          <Row label="Format" testId="version-format">
            {v.artifact_format ?? '–'}
          </Row>
          <Row label="Base model" testId="version-base">
            {baseName}
          </Row>
          <Row label="Modules" testId="version-modules">
            {text(meta.target_module_count)}
          </Row>
        </dl>
        {standIn ? (
          <Alert variant="warning" className="flex items-start gap-2" data-testid="stand-in-note">
            <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-700" aria-hidden />
            <span>
              <span className="font-medium">Stand-in weights. </span>
              {standIn.note ?? 'Trained on a tiny stand-in base by the cpu-reference worker; not usable with the real base model.'}
            </span>
          </Alert>
        ) : null}
      </CardContent>
    </Card>
  );
}
