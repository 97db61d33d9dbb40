import { resolveWeight, type ResolvedWeight } from './format.ts';
import { loraName, sanitizeIdentifier } from './identifiers.ts';
import type { PromptProfile } from './profile.ts';
import type { ActiveIdentity } from './schemas.ts';

// How an active LoRA reaches a platform:
//   * prompt tag (SDXL, Flux pipelines): LORA_BLOCK = `<lora:{name}:{weight}>` + trigger word;
//   * request field (Flux via Replicate): LORA_BLOCK = trigger word only, weight and
//     weights URL go into the structured request;
//   * adapter name (vLLM, LoRAX): no block, the request names the adapter;
//   * Character Pack platforms: nothing here, ever (identity is described in words).

export interface LoraParts {
  /** False when the LoRA cannot be used here (wrong base family); see warnings. */
  applied: boolean;
  name: string;
  weight: ResolvedWeight | null;
  tag: string | null;
  trigger: string | null;
  /** Text of the lora_block, or null when the platform gets no such block. */
  blockText: string | null;
  warnings: string[];
}

// When a platform takes a LoRA but declares no range (LLM adapters), weights are not used.
export function buildLoraParts(profile: PromptProfile, identity: ActiveIdentity | null): LoraParts | null {
  const caps = profile.capabilities;
  if (!identity || caps.character_pack) return null;
  const usesLora = caps.supports_lora_injection || caps.structured_request != null;
  if (!usesLora) return null;

  const warnings: string[] = [];
  const families = caps.compatible_base_families;
  if (families && !families.includes(identity.base_model_family)) {
    warnings.push(
      `The active LoRA is for ${sanitizeIdentifier(identity.base_model_family) || 'another'} models; ${profile.name} loads ${families.join('/')} LoRAs, so it was not applied.`,
    );
    return { applied: false, name: loraName(identity.model_name), weight: null, tag: null, trigger: null, blockText: null, warnings };
  }

  const name = loraName(identity.model_name);
  if (!sanitizeIdentifier(identity.model_name)) warnings.push(`The LoRA name had no usable characters; "${name}" is used instead.`);

  const weight = profile.lora_weight ? resolveWeight(identity.weight, profile.lora_weight) : null;
  if (weight?.warning) warnings.push(weight.warning);

  const rawTrigger = identity.trigger_word ?? '';
  const trigger = sanitizeIdentifier(rawTrigger) || null;
  if (rawTrigger.trim() && !trigger) warnings.push('The trigger word had no usable characters and was left out.');

  const isLlm = caps.structured_request === 'vllm' || caps.structured_request === 'lorax';
  const tag = caps.supports_lora_injection && weight ? `<lora:${name}:${weight.text}>` : null;
  let blockText: string | null = null;
  if (tag) blockText = trigger ? `${tag} ${trigger}` : tag;
  else if (!isLlm && trigger) blockText = trigger;
  if (!isLlm && !trigger) {
    warnings.push(tag ? 'The active LoRA has no trigger word; only the tag is added.' : 'The active LoRA has no trigger word; the prompt cannot name its subject.');
  }

  return { applied: true, name, weight, tag, trigger: isLlm ? null : trigger, blockText, warnings };
}
