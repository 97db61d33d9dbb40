'use client';
import { useState } from 'react';
import { consentPayload } from '@/components/training/consent-text';
import { type StartJobBody } from '@/components/training/start-job';
import { useStartJob } from '@/components/training/use-start-job';
import { DEFAULT_GPU, DEFAULT_TEXT_PRESET, type GpuCount, type GpuTypeId, type TextPresetId } from '@/server/catalog/text-presets';
import { checkValues, estimateBody, isModified, overridesFrom, serverFieldErrors, valuesFromPreset, type FieldMessages, type TextBaseOption, type TextFormValues } from './form.ts';

export interface TextTrainingTarget {
  modelId: string;
  /** Set only when the dataset is ready: nothing can start before. */
  datasetId: string | null;
}

/**
 * State of the text configurator: preset (Balanced first), the advanced fields as typed, base
 * and GPU. Picking a preset replaces every advanced field with its values; edits after that are
 * sent as overrides on it. Server 422 messages stay on their field until it is edited.
 */
export function useTextTrainingForm(bases: TextBaseOption[], target: TextTrainingTarget, initialBase?: string) {
  const [preset, setPresetState] = useState<TextPresetId>(DEFAULT_TEXT_PRESET);
  const [values, setValues] = useState<TextFormValues>(() => valuesFromPreset(DEFAULT_TEXT_PRESET));
  const [baseId, setBaseId] = useState<string>(() => (initialBase && bases.some((b) => b.id === initialBase) ? initialBase : (bases[0]?.id ?? '')));
  const [gpuType, setGpuType] = useState<GpuTypeId>(DEFAULT_GPU.type);
  const [gpuCount, setGpuCount] = useState<GpuCount>(DEFAULT_GPU.count);
  const [tokens, setTokens] = useState('');
  const [serverErrors, setServerErrors] = useState<FieldMessages>({});
  const [consent, setConsent] = useState(false);
  const { submitting, problem, start } = useStartJob(serverFieldErrors, setServerErrors);

  const base = bases.find((b) => b.id === baseId) ?? null;
  const check = checkValues(values, base);
  const errors: FieldMessages = { ...serverErrors, ...check.errors };
  const hasErrors = Object.keys(errors).length > 0;
  const estimate = estimateBody({ base, datasetId: target.datasetId, tokens, preset, check, gpuType, gpuCount });

  const setPreset = (id: TextPresetId) => {
    setPresetState(id);
    setValues(valuesFromPreset(id));
    setServerErrors({});
  };
  const setField = <K extends keyof TextFormValues>(key: K, value: TextFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setServerErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => k !== key)) as FieldMessages);
  };

  const submit = async () => {
    if (!target.datasetId || !base || check.hasErrors || !consent || submitting) return;
    const body: StartJobBody = {
      model_id: target.modelId,
      dataset_id: target.datasetId,
      base_model: base.id,
      preset,
      params: overridesFrom(check.params, preset) as StartJobBody['params'],
      gpu_type: gpuType,
      gpu_count: gpuCount,
      consent: consentPayload('text'),
    };
    await start(body);
  };

  return {
    preset,
    setPreset,
    values,
    setField,
    modified: isModified(values, preset),
    resetToPreset: () => setPreset(preset),
    base,
    setBaseId,
    gpuType,
    setGpuType,
    gpuCount,
    setGpuCount,
    tokens,
    setTokens,
    errors,
    warnings: check.warnings,
    hasErrors,
    estimate,
    consent,
    setConsent,
    submitting,
    problem,
    submit,
  };
}

export type TextTrainingForm = ReturnType<typeof useTextTrainingForm>;
