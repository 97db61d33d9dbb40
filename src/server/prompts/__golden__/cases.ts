import { TARGET_PLATFORMS } from '../../catalog/target-platforms.ts';
import type { CompilePromptArgs } from '../compile.ts';
import type { ActiveIdentity } from '../schemas.ts';

// Fixed inputs of the golden files: every seeded profile, with an active identity at weight
// 0.8 and without one. Shared by golden.test.ts (compares) and update.ts (rewrites).

export const GOLDEN_SYSTEM_PROMPT_CORE = 'Depict the subject respectfully and realistically. No text, logos or watermarks.';

export const GOLDEN_INPUT = {
  scene: 'standing on a windswept cliff at golden hour, looking out to sea',
  style: '35mm film, muted colours',
  negative: 'blurry, extra fingers',
};

function goldenIdentity(family: string): ActiveIdentity {
  return {
    model_name: 'jane-portrait',
    trigger_word: 'ohwx',
    weight: 0.8,
    version_id: 'ver_golden0001',
    description: 'a woman in her thirties with short curly red hair and freckles',
    base_model_family: family,
    kind: 'identity',
  };
}

export interface GoldenCase {
  file: string;
  args: CompilePromptArgs;
}

export function goldenCases(): GoldenCase[] {
  return TARGET_PLATFORMS.flatMap((profile) => {
    const family = profile.capabilities.compatible_base_families?.[0] ?? 'flux';
    const base = { profile, systemPromptCore: GOLDEN_SYSTEM_PROMPT_CORE, input: GOLDEN_INPUT };
    return [
      { file: `${profile.id}.identity.json`, args: { ...base, identity: goldenIdentity(family) } },
      { file: `${profile.id}.no-identity.json`, args: { ...base, identity: null } },
    ];
  });
}
