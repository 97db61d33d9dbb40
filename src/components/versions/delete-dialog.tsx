'use client';
import { Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { deleteVersion, type VersionView } from './api.ts';
import { Modal } from './dialog.tsx';

export function DeleteDialog({ version, onClose, onDeleted }: { version: VersionView; onClose: () => void; onDeleted: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteVersion(version.id);
      onDeleted();
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      onOpenChange={(o) => (o ? undefined : onClose())}
      title={`Delete version ${version.number}?`}
      description="Its weights, the Character Packs built from it and its training samples are removed from storage. This cannot be undone."
      testId="delete-dialog"
    >
      {version.active ? <p className="text-sm">It is your active version: Prompt Studio will compile without a LoRA until you activate another one.</p> : null}
      {error ? (
        <Alert variant="destructive" className="mt-4">
          {error}
        </Alert>
      ) : null}
      <div className="mt-6 flex justify-end gap-2">
        <Button type="button" variant="outline" onClick={onClose}>
          Keep it
        </Button>
        <Button type="button" variant="destructive" onClick={() => void submit()} disabled={busy} data-testid="confirm-delete">
          <Trash2 aria-hidden /> {busy ? 'Deleting…' : 'Delete version'}
        </Button>
      </div>
    </Modal>
  );
}
