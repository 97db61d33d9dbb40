'use client';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { GPU_COUNTS, GPU_TYPES, type GpuCount, type GpuTypeId } from '@/server/catalog/text-presets';
import type { TextBaseOption } from './form.ts';

const SELECT = 'flex h-9 w-full rounded-md border border-input bg-background px-3 text-sm shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-50';

/** Base model, GPU type and count; plain selects so the keyboard and screen readers get native behaviour. */
export function RunOptions({
  bases,
  base,
  onBase,
  gpuType,
  onGpuType,
  gpuCount,
  onGpuCount,
  tokens,
  onTokens,
  askTokens,
  disabled,
}: {
  bases: TextBaseOption[];
  base: TextBaseOption | null;
  onBase: (id: string) => void;
  gpuType: GpuTypeId;
  onGpuType: (id: GpuTypeId) => void;
  gpuCount: GpuCount;
  onGpuCount: (n: GpuCount) => void;
  tokens: string;
  onTokens: (v: string) => void;
  /** No ready dataset yet: the estimate needs a token count from the person. */
  askTokens: boolean;
  disabled?: boolean;
}) {
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="text-base">Base model</Label>
        <select id="text-base" className={SELECT} value={base?.id ?? ''} onChange={(e) => onBase(e.target.value)} disabled={disabled} data-testid="text-base">
          {bases.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </select>
        {base?.contextLength ? <p className="text-xs text-muted-foreground">Context {base.contextLength.toLocaleString('en')} tokens.</p> : null}
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="gpu-type">GPU</Label>
        <select id="gpu-type" className={SELECT} value={gpuType} onChange={(e) => onGpuType(e.target.value as GpuTypeId)} disabled={disabled} data-testid="gpu-type">
          {GPU_TYPES.map((g) => (
            <option key={g.id} value={g.id}>
              {g.label}
              {base?.throughput[g.id] ? ` · ~${base.throughput[g.id]!.toLocaleString('en')} tokens/s` : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="gpu-count">GPUs</Label>
        <select id="gpu-count" className={SELECT} value={gpuCount} onChange={(e) => onGpuCount(Number(e.target.value) as GpuCount)} disabled={disabled} data-testid="gpu-count">
          {GPU_COUNTS.map((n) => (
            <option key={n} value={n}>
              {n} × GPU
            </option>
          ))}
        </select>
      </div>
      {askTokens ? (
        <div className="flex flex-col gap-1.5 sm:col-span-3">
          <Label htmlFor="estimate-tokens">Tokens per epoch (for a rough estimate before the dataset is validated)</Label>
          <Input id="estimate-tokens" type="number" inputMode="numeric" min={1} step={1} placeholder="e.g. 1000000" value={tokens} onChange={(e) => onTokens(e.target.value)} disabled={disabled} data-testid="estimate-tokens" className="tabular-nums sm:max-w-xs" />
        </div>
      ) : null}
    </div>
  );
}
