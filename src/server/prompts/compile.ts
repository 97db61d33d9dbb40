// Prompt compiler: `final = compile(profile, activeIdentity, userInput)`.
//
// Contract
//   * Pure and deterministic: no clock, randomness, locale, env or IO. The same inputs give
//     byte-identical output, whatever the key order of the input objects (all derived
//     objects are emitted with sorted keys) — golden files pin this for every profile.
//   * Inputs only. The API takes a profile, SYSTEM_PROMPT_CORE, the active identity and the
//     user's inputs (scene, style, negative). A compiled `final` is never accepted back:
//     users change inputs, never output, so the provenance in `blocks` is always true.
//   * Blocks follow the profile's `preferred_order` exactly; absent blocks are skipped;
//     `final` is the block texts joined by a blank line, and every block is one line, so
//     `final.split('\n\n')` gives the block texts back.
//   * LoRA safety: the only `<…>` that can appear is the compiler's own LoRA tag, built from
//     sanitised identifiers (identifiers.ts) and a clamped, 2-decimal weight (format.ts). All
//     other text goes through `cleanProse` (text.ts), which deletes every `<…>` token.
//     Character Pack platforms never get a tag or a trigger word.
//   * Length: the final prompt fits `capabilities.max_prompt_chars` (code points) by
//     shortening user blocks, with a warning; fixed blocks are never cut.
import { collectBlocks, fitToLimit, orderBlocks, BLOCK_SEPARATOR } from './blocks.ts';
import { buildCharacterPack } from './character-pack.ts';
import { canonicalize } from './format.ts';
import { buildLoraParts } from './lora.ts';
import type { PromptProfile } from './profile.ts';
import type { ActiveIdentity, CompileInput, CompiledPrompt } from './schemas.ts';
import { llmServingRequest } from './structured/llm-serving.ts';
import { replicateFluxRequest } from './structured/replicate-flux.ts';

export interface CompilePromptArgs {
  profile: PromptProfile;
  systemPromptCore: string;
  identity: ActiveIdentity | null;
  input: CompileInput;
}

export function compilePrompt(args: CompilePromptArgs): CompiledPrompt {
  const { profile } = args;
  const caps = profile.capabilities;
  // A chat adapter has nothing to show on an image/video platform.
  const chatOnPack = caps.character_pack && args.identity?.kind === 'chat';
  const identity = chatOnPack ? null : args.identity;
  const lora = buildLoraParts(profile, identity);
  const collected = collectBlocks({ ...args, identity, lora });
  const ordered = orderBlocks(profile, collected.candidates);
  const fitted = fitToLimit(ordered.blocks, caps.max_prompt_chars, profile.name);
  const blocks = fitted.blocks;
  const final = blocks.map((b) => b.text).join(BLOCK_SEPARATOR);
  const placed = (id: string) => blocks.some((b) => b.id === id);

  const warnings = [...(lora?.warnings ?? []), ...collected.warnings, ...ordered.warnings, ...fitted.warnings];
  if (chatOnPack) warnings.unshift(`The active LoRA is a chat adapter; ${profile.name} cannot use it.`);
  const result: CompiledPrompt = {
    profile_id: profile.id,
    final,
    blocks,
    lora_tag: lora?.tag && placed('lora_block') ? lora.tag : null,
    trigger_word: lora?.trigger && placed('lora_block') ? lora.trigger : null,
    negative_prompt: collected.negativePrompt,
    warnings,
  };

  switch (caps.structured_request) {
    case 'replicate-flux':
      result.structured_request = canonicalize({ ...replicateFluxRequest(profile, final, lora) });
      break;
    case 'vllm':
    case 'lorax': {
      const llm = llmServingRequest(caps.structured_request, profile, blocks, lora);
      result.structured_request = canonicalize({ ...llm.request });
      warnings.push(...llm.warnings);
      break;
    }
    default:
      break;
  }
  if (caps.character_pack) {
    result.character_pack = buildCharacterPack({ profile, identity, finalPrompt: final, negativePrompt: collected.negativePrompt });
  }
  return result;
}
