'use client';
import { ChevronRight, RotateCcw, SlidersHorizontal } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/utils';
import { ParamField } from './param-field.tsx';
import { boundsFor, PARAM_SPECS, type BaseForParams, type ParamErrors, type ParamKey, type ParamValues } from './params.ts';

const SHORT: Partial<Record<ParamKey, (v: number) => string>> = {
  steps: (v) => `${v.toLocaleString('en')} steps`,
  learning_rate: (v) => `learning rate ${v}`,
  resolution: (v) => `${v} px`,
  rank: (v) => `rank ${v}`,
  alpha: (v) => `alpha ${v}`,
  batch_size: (v) => `batch ${v}`,
};

function presetSummary(base: BaseForParams): string {
  return PARAM_SPECS.flatMap((s) => {
    const v = base.default_params[s.key];
    const f = SHORT[s.key];
    return typeof v === 'number' && f ? [f(v)] : [];
  }).join(' · ');
}

/**
 * The preset (the base model's catalog defaults) and, behind "Advanced settings", every
 * field it sets plus seed and checkpoint/sample intervals. The section opens by itself when a
 * field has a problem, so an error is never hidden.
 */
export function ParamsSection({
  base,
  values,
  errors,
  modified,
  onChange,
  onReset,
  disabled,
}: {
  base: BaseForParams & { id: string };
  values: ParamValues;
  errors: ParamErrors;
  modified: boolean;
  onChange: (key: ParamKey, value: string) => void;
  onReset: () => void;
  disabled?: boolean;
}) {
  const [wantOpen, setWantOpen] = useState(false);
  const open = wantOpen || Object.keys(errors).length > 0;
  return (
    <section className="flex flex-col gap-3" aria-labelledby="preset-title">
      <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg border p-3">
        <div className="flex items-start gap-2.5">
          <SlidersHorizontal className="mt-0.5 size-4 text-primary" aria-hidden />
          <div>
            <p id="preset-title" className="text-sm font-medium">
              {modified ? 'Custom settings' : `Preset for ${base.name}`}
            </p>
            <p className="text-xs text-muted-foreground" data-testid="preset-summary">
              Preset: {presetSummary(base)}
            </p>
          </div>
        </div>
        {modified ? (
          <Button type="button" variant="outline" size="sm" onClick={onReset} disabled={disabled}>
            <RotateCcw aria-hidden /> Reset to preset
          </Button>
        ) : null}
      </div>
      <Button
        type="button"
        variant="ghost"
        size="sm"
        className="self-start px-2"
        aria-expanded={open}
        aria-controls="advanced-settings"
        onClick={() => setWantOpen(!open)}
        data-testid="advanced-toggle"
      >
        <ChevronRight className={cn('transition-transform', open && 'rotate-90')} aria-hidden /> Advanced settings
      </Button>
      <div id="advanced-settings" hidden={!open} className="grid gap-4 rounded-lg border p-4 sm:grid-cols-2 lg:grid-cols-3">
        {PARAM_SPECS.map((spec) => (
          <ParamField key={spec.key} spec={spec} bounds={boundsFor(spec, base)} value={values[spec.key]} error={errors[spec.key]} onChange={(v) => onChange(spec.key, v)} disabled={disabled} />
        ))}
      </div>
    </section>
  );
}
