'use client';
import { Zap } from 'lucide-react';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { activate, type VersionView } from './api.ts';
import { Modal } from './dialog.tsx';
import { initialWeight } from './format.ts';
import { WeightSlider } from './weight-slider.tsx';

// LLM adapters run at full strength: no slider, weight 1.
const FULL = { min: 1, max: 1, default: 1 };

export function ActivateDialog({
  version,
  modelName,
  currentWeight,
  onClose,
  onActivated,
}: {
  version: VersionView;
  modelName: string;
  currentWeight: number | null;
  onClose: () => void;
  onActivated: (warnings: string[]) => void;
}) {
  const range = version.base_model.lora_weight ?? FULL;
  const [weight, setWeight] = useState(() => initialWeight(range, currentWeight));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await activate(version.id, weight);
      onActivated(res.warnings);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      onOpenChange={(o) => (o ? undefined : onClose())}
      title={`Activate ${modelName} v${version.number}`}
      description="Every prompt you compile in Prompt Studio will use this version until you activate another one."
      testId="activate-dialog"
    >
      {version.base_model.lora_weight ? (
        <div className="flex flex-col gap-2">
          <label htmlFor="lora-weight" className="text-sm font-medium">
            Weight
          </label>
          <WeightSlider id="lora-weight" value={weight} range={range} onChange={setWeight} />
          <p className="text-xs text-muted-foreground">
            {version.base_model.name}: {range.min}–{range.max}, default {range.default}. Lower keeps more of the base model; higher follows the LoRA more closely.
          </p>
        </div>
      ) : (
        <p className="text-sm text-muted-foreground">Chat adapters are served at full strength; there is no weight to choose.</p>
      )}
      {error ? (
        <Alert variant="destructive" className="mt-4" data-testid="activate-error">
          {error}
        </Alert>
      ) : null}
      <div className="mt-6 flex justify-end gap-2">
        <Button type="button" variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button type="button" onClick={() => void submit()} disabled={busy} data-testid="confirm-activate">
          <Zap aria-hidden /> {busy ? 'Activating…' : 'Activate'}
        </Button>
      </div>
    </Modal>
  );
}
