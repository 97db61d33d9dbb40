'use client';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import type { ParamSpec } from './params.ts';

/** One number field: label, the server's range as a hint, and the error (client or 422) under it. */
export function ParamField({
  spec,
  bounds,
  value,
  error,
  onChange,
  disabled,
}: {
  spec: ParamSpec;
  bounds: { min: number; max: number };
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
  disabled?: boolean;
}) {
  const id = `param-${spec.key}`;
  return (
    <div className="flex flex-col gap-1.5" data-testid={id}>
      <Label htmlFor={id}>
        {spec.label}
        {spec.optional ? <span className="ml-1 text-xs font-normal text-muted-foreground">(optional)</span> : null}
      </Label>
      <Input
        id={id}
        name={spec.key}
        type="number"
        inputMode={spec.integer ? 'numeric' : 'decimal'}
        min={spec.minExclusive ? undefined : bounds.min}
        max={bounds.max < Number.MAX_SAFE_INTEGER ? bounds.max : undefined}
        step={spec.step ?? (spec.integer ? 1 : 'any')}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-help`}
        disabled={disabled}
        className="tabular-nums"
      />
      <p id={`${id}-help`} className={error ? 'text-xs text-destructive' : 'text-xs text-muted-foreground'} data-testid={error ? `${id}-error` : undefined}>
        {error ?? spec.hint}
      </p>
    </div>
  );
}
