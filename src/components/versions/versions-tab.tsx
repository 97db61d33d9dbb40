'use client';
import { History, Wand2 } from 'lucide-react';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { EmptyState } from '@/components/empty-state';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { ActivateDialog } from './activate-dialog.tsx';
import { deactivate, downloadLink, fetchActive, fetchVersions, startDownload, type ActiveIdentityView, type VersionView } from './api.ts';
import { DeleteDialog } from './delete-dialog.tsx';
import { VersionRow } from './version-row.tsx';

const HEAD = ['Version', 'Base model', 'Params', 'Dataset', 'Checksum', 'Size', 'Format', 'Metrics', 'Created', ''];

/** The LoRA page's Versions tab: every trained version, activate with a weight, download, delete. */
export function VersionsTab({ modelId, modelName }: { modelId: string; modelName: string }) {
  const [versions, setVersions] = useState<VersionView[] | null>(null);
  const [active, setActive] = useState<ActiveIdentityView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [activating, setActivating] = useState<VersionView | null>(null);
  const [deleting, setDeleting] = useState<VersionView | null>(null);
  const [downloading, setDownloading] = useState<string | null>(null);

  // Bumped after a change (activate, delete) to read the list again.
  const [revision, setRevision] = useState(0);
  const load = useCallback(() => setRevision((r) => r + 1), []);

  useEffect(() => {
    let live = true;
    Promise.all([fetchVersions(modelId), fetchActive()]).then(
      ([list, act]) => {
        if (!live) return;
        setVersions(list.data);
        setActive(act.active);
        setError(null);
      },
      (err: unknown) => {
        if (live) setError((err as Error).message);
      },
    );
    return () => {
      live = false;
    };
  }, [modelId, revision]);

  const download = async (v: VersionView) => {
    setDownloading(v.id);
    try {
      const link = await downloadLink(v.id);
      startDownload(link.url, link.filename);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setDownloading(null);
    }
  };

  const clearActive = async () => {
    try {
      await deactivate();
      setNotice('No version is active now; prompts compile without a LoRA.');
      load();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  if (versions === null && !error) return <Skeleton className="h-40 w-full" data-testid="versions-loading" />;
  if (versions?.length === 0) {
    return (
      <EmptyState
        icon={History}
        title="No versions yet"
        description="Each training run makes a new version with its weights, checksum and settings. Validate the dataset and start training to create the first one."
      />
    );
  }
  const activeHere = active && active.model_id === modelId ? active : null;
  // The newest ready text version opens with its files and serving snippets showing.
  const openFirst = (versions ?? []).find((v) => v.modality === 'text' && v.status === 'ready')?.id;
  return (
    <div className="flex flex-col gap-4" data-testid="versions-tab">
      {error ? <Alert variant="destructive">{error}</Alert> : null}
      {notice ? (
        <Alert variant="success" data-testid="versions-notice">
          {notice}
        </Alert>
      ) : null}
      {active ? (
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg border bg-muted/30 px-4 py-3 text-sm" data-testid="active-summary">
          <span>
            Active: <strong>{active.model_name}</strong> v{active.version_number} at weight {active.weight.toFixed(2)}
            {activeHere ? '' : ' (another LoRA)'}
          </span>
          <span className="flex gap-2">
            <Button asChild size="sm" variant="outline">
              <Link href="/prompt-studio">
                <Wand2 aria-hidden /> Open Prompt Studio
              </Link>
            </Button>
            <Button type="button" size="sm" variant="ghost" onClick={() => void clearActive()}>
              Deactivate
            </Button>
          </span>
        </div>
      ) : null}
      <div className="overflow-x-auto rounded-xl border">
        <table className="w-full text-sm" data-testid="versions-table">
          <thead className="border-b bg-muted/40 text-left text-xs uppercase tracking-wide text-muted-foreground">
            <tr>
              {HEAD.map((h, i) => (
                <th key={i} scope="col" className="px-3 py-2 font-medium">
                  {h || <span className="sr-only">Actions</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(versions ?? []).map((v) => (
              <VersionRow
                key={v.id}
                v={v}
                activeWeight={v.active ? (activeHere?.weight ?? null) : null}
                downloading={downloading === v.id}
                columns={HEAD.length}
                defaultOpen={v.id === openFirst}
                onActivate={() => setActivating(v)}
                onDownload={() => void download(v)}
                onDelete={() => setDeleting(v)}
              />
            ))}
          </tbody>
        </table>
      </div>
      {activating ? (
        <ActivateDialog
          version={activating}
          modelName={modelName}
          currentWeight={activating.active ? (activeHere?.weight ?? null) : null}
          onClose={() => setActivating(null)}
          onActivated={(warnings) => {
            setNotice([`Version ${activating.number} is now active.`, ...warnings].join(' '));
            setActivating(null);
            load();
          }}
        />
      ) : null}
      {deleting ? (
        <DeleteDialog
          version={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setNotice(`Version ${deleting.number} was deleted and its files purged.`);
            setDeleting(null);
            load();
          }}
        />
      ) : null}
    </div>
  );
}
