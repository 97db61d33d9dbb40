'use client';
import { TriangleAlert } from 'lucide-react';
import { Card, CardContent } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectGroup, SelectItem, SelectLabel, SelectSeparator, SelectTrigger, SelectValue } from '@/components/ui/select';
import type { BaseModelOption, TargetPlatformOption } from '@/server/catalog/list';

const FAMILY = { flux: 'Flux', sdxl: 'SDXL' } as Record<string, string>;

/** A LoRA pipeline loads only LoRAs of its own base family; Character Pack platforms take any. */
export function targetMismatch(base: BaseModelOption | undefined, target: TargetPlatformOption | undefined): string | null {
  if (!base || !target || target.uses === 'character_pack' || target.compatible_base_families.includes(base.family)) return null;
  const needs = target.compatible_base_families.map((f) => FAMILY[f] ?? f).join(' or ');
  return `${target.name} loads ${needs} LoRAs; pick a ${needs} base model or another platform.`;
}

/**
 * Two separate dropdowns, never one mixed list: what we train on (an open image model)
 * and where the LoRA will be used (prompts and export). Sora, Veo and Grok cannot load a
 * LoRA and are never trainable; they get a Character Pack.
 */
export function ModelTargetPickers({
  bases,
  platforms,
  baseModel,
  target,
  onBaseModel,
  onTarget,
  disabled,
}: {
  bases: BaseModelOption[];
  platforms: TargetPlatformOption[];
  baseModel: string;
  target: string | null;
  onBaseModel: (id: string) => void;
  onTarget: (id: string) => void;
  disabled?: boolean;
}) {
  const base = bases.find((b) => b.id === baseModel);
  const platform = platforms.find((p) => p.id === target);
  const packs = platforms.filter((p) => p.uses === 'character_pack');
  const pipelines = platforms.filter((p) => p.uses !== 'character_pack');
  const mismatch = targetMismatch(base, platform);
  return (
    <Card>
      <CardContent className="grid gap-6 p-5 md:grid-cols-2">
        <div className="flex flex-col gap-2">
          <Label htmlFor="base-model">Trainable Base Model</Label>
          <Select value={baseModel} onValueChange={onBaseModel} disabled={disabled}>
            <SelectTrigger id="base-model" aria-describedby="base-model-help" data-testid="base-model-select">
              <SelectValue>{base?.name ?? 'Choose a base model'}</SelectValue>
            </SelectTrigger>
            <SelectContent>
              {bases.map((b) => (
                <SelectItem key={b.id} value={b.id} hint={FAMILY[b.family] ?? b.family}>
                  {b.name}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <p id="base-model-help" className="text-xs text-muted-foreground">
            The open image model your LoRA is trained on. Validation checks photo resolution for it
            {base?.min_resolution ? ` (at least ${base.min_resolution} px, ${base.recommended_resolution ?? base.min_resolution} px recommended)` : ''}.
          </p>
        </div>
        <div className="flex flex-col gap-2">
          <Label htmlFor="target-platform">Target Platform</Label>
          <Select value={target ?? undefined} onValueChange={onTarget} disabled={disabled}>
            <SelectTrigger id="target-platform" aria-describedby="target-platform-help" data-testid="target-platform-select">
              <SelectValue placeholder="Choose where you will use it">{platform?.name}</SelectValue>
            </SelectTrigger>
            <SelectContent>
              <SelectGroup>
                <SelectLabel>Video and image apps · Character Pack</SelectLabel>
                {packs.map((p) => (
                  <SelectItem key={p.id} value={p.id} hint={p.vendor}>
                    {p.name}
                  </SelectItem>
                ))}
              </SelectGroup>
              {pipelines.length > 0 ? <SelectSeparator /> : null}
              <SelectGroup>
                <SelectLabel>LoRA pipelines</SelectLabel>
                {pipelines.map((p) => (
                  <SelectItem key={p.id} value={p.id} hint={p.compatible_base_families.map((f) => FAMILY[f] ?? f).join(', ')}>
                    {p.name}
                  </SelectItem>
                ))}
              </SelectGroup>
            </SelectContent>
          </Select>
          <p id="target-platform-help" className="text-xs text-muted-foreground">
            Where you will use the LoRA: prompts and exports are written for it. Sora, Veo and Grok cannot load LoRAs and get a Character Pack instead.
          </p>
          {mismatch ? (
            <p className="flex items-start gap-1.5 text-xs text-amber-700" role="note">
              <TriangleAlert className="mt-px size-3.5 shrink-0" aria-hidden /> {mismatch}
            </p>
          ) : null}
        </div>
      </CardContent>
    </Card>
  );
}
