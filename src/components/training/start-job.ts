// POST /api/lora/jobs from the browser. The Idempotency-Key belongs to one intent: the same
// request body sent again (a retry after a timeout, a double click) reuses the key, so the
// server answers with the job it already made instead of starting a second one; a changed
// body is a new intent and gets a new key (the server refuses a key reused for another body).
import { ApiError, apiJson } from '@/components/datasets/api';

export interface StartJobBody {
  model_id: string;
  dataset_id: string;
  base_model: string;
  target_platform?: string;
  params: Record<string, number | string | string[]>;
  consent: { accepted: true; statement_version: string; statement: string };
  /** Text LoRAs: the preset the params override, and the GPU the estimate is for. */
  preset?: string;
  gpu_type?: string;
  gpu_count?: number;
}

export class IdempotencyKeys {
  private last: { body: string; key: string } | null = null;
  constructor(private readonly newKey: () => string = () => crypto.randomUUID()) {}

  keyFor(body: StartJobBody): string {
    const json = JSON.stringify(body);
    if (this.last?.body !== json) this.last = { body: json, key: this.newKey() };
    return this.last.key;
  }

  /** After a 409 "key used for a different request" the next try must not reuse it. */
  forget(): void {
    this.last = null;
  }
}

export function startJob(body: StartJobBody, key: string): Promise<{ id: string; idempotent_replay: boolean }> {
  return apiJson('/api/lora/jobs', { method: 'POST', json: body, headers: { 'idempotency-key': key } });
}

export interface StartProblem {
  title: string;
  message: string;
  hint?: string;
}

/** What to tell the person for each refusal; 422 field details are handled by the form. */
export function describeStartError(err: unknown): StartProblem {
  if (!(err instanceof ApiError)) return { title: 'Training did not start', message: (err as Error)?.message ?? 'Something went wrong.' };
  const details = (err.details ?? {}) as { resets_at?: string | null; limit_name?: string };
  switch (err.status) {
    case 402:
      return {
        title: 'Your plan does not include training',
        message: err.message,
        hint: 'Plans are set by whoever runs this LoRA Studio: an operator can move this workspace to the Pro plan. Your dataset stays ready meanwhile.',
      };
    case 429:
      return {
        title: details.limit_name ? 'Monthly training limit reached' : 'Too many training requests',
        message: err.message,
        hint: details.resets_at ? `You can train again from ${new Date(details.resets_at).toUTCString().slice(0, 16)}.` : 'Wait a minute, then press Start training again; nothing was started twice.',
      };
    case 412:
      return { title: 'The dataset is not ready for training', message: err.message };
    case 409:
      return { title: 'Please press Start training again', message: err.message };
    case 422:
      return { title: 'Some settings were refused', message: err.message };
    case 0:
      return { title: 'No answer from the server', message: err.message, hint: 'Pressing Start training again is safe: the same request is never started twice.' };
    default:
      return { title: 'Training did not start', message: err.message };
  }
}
