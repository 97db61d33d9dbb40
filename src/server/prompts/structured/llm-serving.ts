import { canonicalize } from '../format.ts';
import type { LoraParts } from '../lora.ts';
import type { PromptBlock } from '../schemas.ts';
import type { PromptProfile } from '../profile.ts';

// LLM serving profiles: the adapter is selected by name in an OpenAI-compatible chat request.
// vLLM serves adapters registered with `--enable-lora --lora-modules {name}={path}` and
// picks one through `model`; LoRAX's `/v1/chat/completions` takes the adapter id in `model`
// too and loads it on demand. Profile and config blocks become the system message, user
// blocks the user message. LoRA weights do not apply (adapters run at full strength).

export const BASE_MODEL_PLACEHOLDER = '{{BASE_MODEL}}';

export interface LlmServingRequest {
  kind: 'vllm' | 'lorax';
  method: 'POST';
  url: string;
  body: Record<string, unknown>;
  curl: string;
}

const DEFAULT_BASE_URL = { vllm: 'http://localhost:8000', lorax: 'http://localhost:8080' } as const;

/** POSIX shell single-quoting: safe for any string. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function llmServingRequest(
  kind: 'vllm' | 'lorax',
  profile: PromptProfile,
  blocks: PromptBlock[],
  lora: LoraParts | null,
): { request: LlmServingRequest; warnings: string[] } {
  const params = profile.recommended_params;
  const warnings: string[] = [];
  const baseUrl = (typeof params.base_url === 'string' && params.base_url ? params.base_url : DEFAULT_BASE_URL[kind]).replace(/\/+$/, '');
  const url = `${baseUrl}/v1/chat/completions`;

  const model = lora?.applied ? lora.name : kind === 'lorax' ? '' : BASE_MODEL_PLACEHOLDER;
  if (!lora?.applied) {
    warnings.push(
      kind === 'lorax'
        ? 'No adapter applies: the request uses the base model (LoRAX: empty model).'
        : `No adapter applies: replace ${BASE_MODEL_PLACEHOLDER} with the served base model name.`,
    );
  }

  const join = (sources: PromptBlock['source'][]) =>
    blocks.filter((b) => sources.includes(b.source)).map((b) => b.text).join('\n\n');
  const messages = [
    { role: 'system', content: join(['profile', 'config', 'identity']) },
    { role: 'user', content: join(['user']) },
  ].filter((m) => m.content);
  const body: Record<string, unknown> = { model, messages };
  for (const key of ['max_tokens', 'temperature'] as const) if (params[key] !== undefined) body[key] = params[key];

  const json = JSON.stringify(canonicalize(body), null, 2);
  const curl = [`curl -sS ${shellQuote(url)}`, `  -H 'Content-Type: application/json'`, `  -d ${shellQuote(json)}`].join(' \\\n');
  return { request: { kind, method: 'POST', url, body, curl }, warnings };
}
