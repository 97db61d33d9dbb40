'use client';
import * as Dialog from '@radix-ui/react-dialog';
import { Loader2 } from 'lucide-react';
import { useState } from 'react';
import { Button, type ButtonProps } from '@/components/ui/button';

/**
 * A button that asks before it acts. Radix Dialog gives the focus trap, Escape to close and
 * focus back on the trigger; the confirm button gets focus first only for harmless actions.
 */
export function ConfirmButton({
  trigger,
  title,
  description,
  confirmLabel,
  dismissLabel = 'Back',
  destructive,
  onConfirm,
  ...buttonProps
}: {
  trigger: React.ReactNode;
  title: string;
  description: string;
  confirmLabel: string;
  dismissLabel?: string;
  destructive?: boolean;
  onConfirm: () => Promise<void>;
} & Omit<ButtonProps, 'onClick' | 'children'>) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
      setOpen(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog.Root open={open} onOpenChange={(o) => !busy && setOpen(o)}>
      <Dialog.Trigger asChild>
        <Button type="button" {...buttonProps}>
          {trigger}
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-black/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 flex w-[min(28rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 flex-col gap-4 rounded-xl border bg-background p-6 shadow-lg focus-visible:outline-none">
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          <Dialog.Description className="text-sm text-muted-foreground">{description}</Dialog.Description>
          <div className="flex justify-end gap-2">
            <Dialog.Close asChild>
              <Button type="button" variant="outline" disabled={busy}>
                {dismissLabel}
              </Button>
            </Dialog.Close>
            <Button type="button" variant={destructive ? 'destructive' : 'default'} onClick={() => void confirm()} disabled={busy} data-testid="confirm-action">
              {busy ? <Loader2 className="animate-spin" aria-hidden /> : null}
              {confirmLabel}
            </Button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
