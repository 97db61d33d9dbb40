'use client';
import { useState } from 'react';
import { consentPayload } from './consent-text.ts';
import { overridesFrom, presetValues, serverFieldErrors, validateAll, type BaseForParams, type ParamErrors, type ParamKey, type ParamValues } from './params.ts';
import { useStartJob } from './use-start-job.ts';

export interface TrainingTarget {
  modelId: string;
  datasetId: string;
  baseModel: string;
  targetPlatform: string | null;
}

/**
 * State of the training form. Values start from the base model's preset and start over when
 * the base changes (another base, another preset). Client checks run on every keystroke; the
 * server's 422 messages are kept per field until that field is edited.
 */
export function useTrainingForm(base: BaseForParams & { id: string }, target: TrainingTarget | null) {
  const [forBase, setForBase] = useState(base.id);
  const [values, setValues] = useState<ParamValues>(() => presetValues(base));
  const [serverErrors, setServerErrors] = useState<ParamErrors>({});
  const [consent, setConsent] = useState(false);
  const { submitting, problem, start } = useStartJob(serverFieldErrors, setServerErrors);

  if (forBase !== base.id) {
    // Adjusting state to a changed prop during render (no effect, no flash of the old preset).
    setForBase(base.id);
    setValues(presetValues(base));
    setServerErrors({});
  }

  const clientErrors = validateAll(values, base);
  const errors: ParamErrors = { ...serverErrors, ...clientErrors };
  const modified = JSON.stringify(values) !== JSON.stringify(presetValues(base));

  const setValue = (key: ParamKey, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    setServerErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => k !== key)));
  };

  const reset = () => {
    setValues(presetValues(base));
    setServerErrors({});
  };

  const submit = async () => {
    if (!target || Object.keys(clientErrors).length > 0 || !consent || submitting) return;
    const body = {
      model_id: target.modelId,
      dataset_id: target.datasetId,
      base_model: target.baseModel,
      ...(target.targetPlatform ? { target_platform: target.targetPlatform } : {}),
      params: overridesFrom(values, base),
      consent: consentPayload('image'),
    };
    await start(body);
  };

  return { values, errors, hasErrors: Object.keys(errors).length > 0, modified, consent, setConsent, submitting, problem, setValue, reset, submit };
}
