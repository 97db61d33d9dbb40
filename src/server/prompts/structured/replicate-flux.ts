import type { LoraParts } from '../lora.ts';
import type { PromptProfile } from '../profile.ts';

// Request for a LoRA-capable Flux endpoint on Replicate (default model
// `black-forest-labs/flux-dev-lora`). Input names follow that model's public input schema:
// prompt, aspect_ratio, num_outputs, num_inference_steps, guidance, output_format,
// output_quality, lora_weights (URL of the .safetensors), lora_scale.
// The weights URL is a placeholder: the service signs a short-lived URL to our artifact
// and sets it with `fillArtifactUrl`, never by string replacement over the whole request
// (user text cannot contain `{{…}}`, but structured filling does not depend on that).

export const ARTIFACT_URL_PLACEHOLDER = '{{ARTIFACT_URL}}';
export const DEFAULT_REPLICATE_FLUX_MODEL = 'black-forest-labs/flux-dev-lora';

const PASSTHROUGH_INPUTS = ['aspect_ratio', 'num_outputs', 'num_inference_steps', 'guidance', 'output_format', 'output_quality'] as const;

export interface ReplicateFluxRequest {
  kind: 'replicate-flux';
  model: string;
  input: Record<string, string | number | boolean>;
  placeholders: Record<string, string>;
}

export function replicateFluxRequest(profile: PromptProfile, prompt: string, lora: LoraParts | null): ReplicateFluxRequest {
  const params = profile.recommended_params;
  const model = typeof params.model === 'string' && params.model ? params.model : DEFAULT_REPLICATE_FLUX_MODEL;
  const input: Record<string, string | number | boolean> = { prompt };
  for (const key of PASSTHROUGH_INPUTS) {
    const value = params[key];
    if (value !== undefined) input[key] = value;
  }
  const placeholders: Record<string, string> = {};
  if (lora?.applied && lora.weight) {
    input.lora_weights = ARTIFACT_URL_PLACEHOLDER;
    input.lora_scale = lora.weight.value;
    placeholders[ARTIFACT_URL_PLACEHOLDER] = 'Short-lived signed HTTPS URL of the LoRA .safetensors, set by the service.';
  }
  return { kind: 'replicate-flux', model, input, placeholders };
}

/** Returns a copy with the signed artifact URL in `input.lora_weights`. */
export function fillArtifactUrl(request: ReplicateFluxRequest, signedUrl: string): ReplicateFluxRequest {
  if (request.input.lora_weights !== ARTIFACT_URL_PLACEHOLDER) return request;
  const placeholders = { ...request.placeholders };
  delete placeholders[ARTIFACT_URL_PLACEHOLDER];
  return { ...request, input: { ...request.input, lora_weights: signedUrl }, placeholders };
}
