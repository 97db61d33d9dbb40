import { describeIdentity } from './identity-description.ts';
import type { LoraParts } from './lora.ts';
import type { BlockId, PromptProfile } from './profile.ts';
import type { ActiveIdentity, CompileInput, PromptBlock } from './schemas.ts';
import { cleanProse, codePointLength, truncateCodePoints } from './text.ts';

export const BLOCK_SEPARATOR = '\n\n';

export const BLOCK_LABELS: Record<BlockId, string> = {
  base_prompt: 'Platform base prompt',
  system_prompt_core: 'System prompt core',
  lora_block: 'LoRA block',
  identity_description: 'Identity (in words)',
  user_content: 'Scene',
  style: 'Style',
  negative: 'Avoid',
};

type Candidate = Omit<PromptBlock, 'id' | 'label'>;

export interface CollectedBlocks {
  candidates: Partial<Record<BlockId, Candidate>>;
  negativePrompt: string | null;
  warnings: string[];
}

/** Every block this call could contribute, cleaned; placement happens in `orderBlocks`. */
export function collectBlocks(args: {
  profile: PromptProfile;
  systemPromptCore: string;
  identity: ActiveIdentity | null;
  input: CompileInput;
  lora: LoraParts | null;
}): CollectedBlocks {
  const { profile, identity, input, lora } = args;
  const caps = profile.capabilities;
  const warnings: string[] = [];
  const candidates: Partial<Record<BlockId, Candidate>> = {};
  const put = (id: BlockId, text: string | null | undefined, source: Candidate['source']) => {
    if (text) candidates[id] = { text, source };
  };

  put('base_prompt', cleanProse(profile.base_prompt), 'profile');
  put('system_prompt_core', cleanProse(args.systemPromptCore), 'config');
  put('lora_block', lora?.blockText, 'identity');
  if (identity && caps.character_pack) put('identity_description', describeIdentity(identity), 'identity');
  const scene = cleanProse(input.scene);
  if (!scene) warnings.push('The scene is empty after cleaning; the prompt has no user content.');
  put('user_content', scene, 'user');
  put('style', cleanProse(input.style ?? ''), 'user');

  let negativePrompt: string | null = null;
  const negative = cleanProse(input.negative ?? '');
  if (negative && caps.supports_negative_prompt) negativePrompt = truncateCodePoints(negative, caps.max_prompt_chars);
  else if (negative && profile.preferred_order.includes('negative')) put('negative', `Avoid: ${negative}`, 'user');
  else if (negative) warnings.push(`${profile.name} has no negative prompt; the negative input was not used.`);

  return { candidates, negativePrompt, warnings };
}

/** Blocks in exactly the profile's preferred_order; content without a slot is reported. */
export function orderBlocks(profile: PromptProfile, candidates: Partial<Record<BlockId, Candidate>>): { blocks: PromptBlock[]; warnings: string[] } {
  const blocks: PromptBlock[] = [];
  for (const id of new Set(profile.preferred_order)) {
    const c = candidates[id];
    if (c) blocks.push({ id, label: BLOCK_LABELS[id], text: c.text, source: c.source });
  }
  const warnings: string[] = [];
  for (const id of Object.keys(BLOCK_LABELS) as BlockId[]) {
    if (candidates[id] && !profile.preferred_order.includes(id)) {
      warnings.push(`${profile.name} has no place for the ${BLOCK_LABELS[id].toLowerCase()} block; it was left out.`);
    }
  }
  return { blocks, warnings };
}

// User blocks give way first, least important first; profile, config and identity blocks
// are never cut (the LoRA tag must stay whole).
const TRIM_ORDER: BlockId[] = ['style', 'negative', 'user_content'];

export function joinedLength(blocks: PromptBlock[]): number {
  const text = blocks.reduce((n, b) => n + codePointLength(b.text), 0);
  return text + Math.max(0, blocks.length - 1) * BLOCK_SEPARATOR.length;
}

/** Shortens user blocks until the joined prompt fits `max` code points. */
export function fitToLimit(blocks: PromptBlock[], max: number, platform: string): { blocks: PromptBlock[]; warnings: string[] } {
  let out = blocks;
  const warnings: string[] = [];
  for (const id of TRIM_ORDER) {
    const overflow = joinedLength(out) - max;
    if (overflow <= 0) break;
    const block = out.find((b) => b.id === id);
    if (!block) continue;
    let text = truncateCodePoints(block.text, codePointLength(block.text) - overflow);
    if (id === 'negative' && !/^Avoid: \S/.test(text)) text = '';
    // An emptied block is dropped, which also saves its separator.
    out = text ? out.map((b) => (b === block ? { ...b, text } : b)) : out.filter((b) => b !== block);
    warnings.push(`The ${BLOCK_LABELS[id].toLowerCase()} was shortened to fit the ${max}-character limit of ${platform}.`);
  }
  if (joinedLength(out) > max) warnings.push(`The fixed blocks alone exceed the ${max}-character limit of ${platform}.`);
  return { blocks: out, warnings };
}
