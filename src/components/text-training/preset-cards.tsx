'use client';
import { cn } from '@/lib/utils';
import { TEXT_PRESET_IDS, TEXT_PRESETS, type TextPresetId } from '@/server/catalog/text-presets';

const lr = (n: number) => n.toExponential();

/**
 * The three presets as a native radio group: Tab reaches the group, arrow keys move the choice,
 * and each card is the radio's label, so clicking anywhere on it selects it.
 */
export function PresetCards({ value, onChange, modified, disabled }: { value: TextPresetId; onChange: (id: TextPresetId) => void; modified: boolean; disabled?: boolean }) {
  return (
    <fieldset className="flex flex-col gap-2" disabled={disabled}>
      <legend className="mb-2 text-sm font-medium">
        Preset{modified ? <span className="ml-2 text-xs font-normal text-muted-foreground">(customised in Advanced settings)</span> : null}
      </legend>
      <div className="grid gap-3 sm:grid-cols-3">
        {TEXT_PRESET_IDS.map((id) => {
          const p = TEXT_PRESETS[id];
          const checked = id === value;
          return (
            <label
              key={id}
              data-testid={`preset-${id}`}
              data-checked={checked}
              className={cn(
                'flex cursor-pointer flex-col gap-1.5 rounded-lg border p-3 text-sm transition-colors focus-within:ring-2 focus-within:ring-ring hover:bg-muted/40',
                checked && 'border-primary bg-primary/5',
              )}
            >
              <span className="flex items-center gap-2">
                <input type="radio" name="text-preset" value={id} checked={checked} onChange={() => onChange(id)} className="size-4 accent-primary" />
                <span className="font-medium">{p.label}</span>
              </span>
              <span className="text-xs text-muted-foreground">{p.summary}</span>
              <span className="text-xs tabular-nums">
                rank {p.params.rank} · alpha {p.params.alpha} · lr {lr(p.params.learning_rate)} · {p.params.epochs} epochs · batch {p.params.batch_size} · dropout {p.params.dropout}
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
