'use client';
import { ChevronRight, RotateCcw, TriangleAlert } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { cn } from '@/lib/utils';
import { ADVANCED_RANGES, rangeText, TEXT_ADVANCED_FIELDS, type AdvancedField, type NumberRange } from '@/server/catalog/text-presets';
import { OPTIONAL_FIELDS, type FieldMessages, type TextFormValues } from './form.ts';

const SELECT = 'flex h-9 w-full rounded-md border border-input bg-background px-3 text-sm shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-50';
const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en') : Math.abs(n) < 1e-3 ? n.toExponential() : String(n));

function rangeHint(r: NumberRange, field: AdvancedField): string {
  const allowed = `Allowed: ${rangeText(r)}`;
  const typical = r.typical ? ` · typical ${fmt(r.typical.min)}–${fmt(r.typical.max)}` : field === 'alpha' ? ' · typical 0.5–4 × rank' : '';
  return `${allowed}${typical}.`;
}

function Messages({ id, errors, warnings }: { id: string; errors?: string[]; warnings?: string[] }) {
  if (!errors?.length && !warnings?.length) return null;
  return (
    <div id={`${id}-problems`} className="flex flex-col gap-0.5">
      {errors?.map((e) => (
        <p key={e} className="text-xs text-destructive" data-testid={`${id}-error`}>
          {e}
        </p>
      ))}
      {errors?.length
        ? null
        : warnings?.map((w) => (
            <p key={w} className="flex items-start gap-1 text-xs text-amber-700" data-testid={`${id}-warning`} role="note">
              <TriangleAlert className="mt-px size-3 shrink-0" aria-hidden />
              {w}
            </p>
          ))}
    </div>
  );
}

function Field({ field, values, onChange, errors, warnings, disabled }: { field: AdvancedField; values: TextFormValues; onChange: <K extends keyof TextFormValues>(k: K, v: TextFormValues[K]) => void; errors?: string[]; warnings?: string[]; disabled?: boolean }) {
  const r = ADVANCED_RANGES[field];
  const id = `text-param-${field}`;
  const described = `${id}-help ${id}-problems`;
  const invalid = errors?.length ? true : undefined;
  let control: ReactNode;
  if (r.kind === 'number') {
    control = (
      <Input
        id={id}
        type="number"
        inputMode={r.integer ? 'numeric' : 'decimal'}
        step={r.integer ? 1 : 'any'}
        min={r.minExclusive ? undefined : r.min}
        max={r.max}
        value={values[field as keyof TextFormValues] as string}
        placeholder={OPTIONAL_FIELDS.includes(field) ? 'backend default' : undefined}
        onChange={(e) => onChange(field as keyof TextFormValues, e.target.value as never)}
        aria-invalid={invalid}
        aria-describedby={described}
        disabled={disabled}
        className="tabular-nums"
      />
    );
  } else if (r.kind === 'enum') {
    const key = field as 'optimizer' | 'scheduler';
    control = (
      <select id={id} className={SELECT} value={values[key]} onChange={(e) => onChange(key, e.target.value)} aria-invalid={invalid} aria-describedby={described} disabled={disabled}>
        {r.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else {
    const chosen = values.target_modules;
    control = (
      <div id={id} role="group" aria-labelledby={`${id}-label`} aria-describedby={described} className="grid grid-cols-2 gap-x-3 gap-y-1.5 pt-1">
        {r.options.map((m) => (
          <label key={m} className="flex items-center gap-2 text-sm">
            <Checkbox
              checked={chosen.includes(m)}
              disabled={disabled}
              onCheckedChange={(on) => onChange('target_modules', on === true ? r.options.filter((o) => o === m || chosen.includes(o)) : chosen.filter((o) => o !== m))}
              data-testid={`${id}-${m}`}
            />
            <code className="text-xs">{m}</code>
          </label>
        ))}
      </div>
    );
  }
  return (
    <div className={cn('flex flex-col gap-1.5', r.kind === 'list' && 'sm:row-span-2')} data-testid={id}>
      <Label htmlFor={r.kind === 'list' ? undefined : id} id={`${id}-label`}>
        {r.label}
        {OPTIONAL_FIELDS.includes(field) ? <span className="ml-1 text-xs font-normal text-muted-foreground">(optional)</span> : null}
      </Label>
      {control}
      <p id={`${id}-help`} className="text-xs text-muted-foreground">
        {r.hint} {r.kind === 'number' ? rangeHint(r, field) : null}
      </p>
      <Messages id={id} errors={errors} warnings={warnings} />
    </div>
  );
}

/**
 * Every advanced field behind a disclosure, each with its allowed and typical range, inline
 * errors (refused by the server too) and warnings (allowed, but say what is likely to happen).
 * The section opens by itself while a field has an error, so an error is never hidden.
 */
export function AdvancedSettings({
  values,
  onChange,
  errors,
  warnings,
  modified,
  onReset,
  disabled,
}: {
  values: TextFormValues;
  onChange: <K extends keyof TextFormValues>(k: K, v: TextFormValues[K]) => void;
  errors: FieldMessages;
  warnings: FieldMessages;
  modified: boolean;
  onReset: () => void;
  disabled?: boolean;
}) {
  const [wantOpen, setWantOpen] = useState(false);
  const open = wantOpen || Object.keys(errors).length > 0;
  const warningCount = Object.values(warnings).reduce((n, w) => n + (w?.length ?? 0), 0);
  return (
    <section className="flex flex-col gap-3" aria-label="Advanced settings">
      <div className="flex flex-wrap items-center gap-2">
        <Button type="button" variant="ghost" size="sm" className="px-2" aria-expanded={open} aria-controls="text-advanced-settings" onClick={() => setWantOpen(!open)} data-testid="text-advanced-toggle">
          <ChevronRight className={cn('transition-transform', open && 'rotate-90')} aria-hidden /> Advanced settings
        </Button>
        {warningCount > 0 && !open ? <span className="text-xs text-amber-700">{warningCount} setting{warningCount === 1 ? '' : 's'} outside the typical range</span> : null}
        {modified ? (
          <Button type="button" variant="outline" size="sm" onClick={onReset} disabled={disabled}>
            <RotateCcw aria-hidden /> Reset to preset
          </Button>
        ) : null}
      </div>
      <div id="text-advanced-settings" hidden={!open} className="grid gap-4 rounded-lg border p-4 sm:grid-cols-2 lg:grid-cols-3">
        {TEXT_ADVANCED_FIELDS.map((f) => (
          <Field key={f} field={f} values={values} onChange={onChange} errors={errors[f]} warnings={warnings[f]} disabled={disabled} />
        ))}
      </div>
    </section>
  );
}
