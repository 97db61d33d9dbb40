import { describe, expect, it } from 'vitest';
import { groupProfiles, type ProfileOption } from './types.ts';

const p = (id: string, group: ProfileOption['group']): ProfileOption => ({
  id,
  name: id,
  vendor: 'v',
  output_modality: group === 'llm' ? 'text' : 'image',
  group,
  uses: group === 'character_pack' ? 'character_pack' : 'lora_tag',
  supports_negative_prompt: false,
  compatible_base_families: [],
  lora_weight: null,
  reference_images_max: 0,
});

describe('groupProfiles', () => {
  it('LoRA pipelines, then Character Pack platforms, then LLM serving; order kept inside a group; empty groups dropped', () => {
    const groups = groupProfiles([p('sora-2', 'character_pack'), p('sdxl', 'lora'), p('veo-3.1', 'character_pack'), p('flux', 'lora')]);
    expect(groups.map((g) => [g.label, g.items.map((i) => i.id)])).toEqual([
      ['LoRA pipelines', ['sdxl', 'flux']],
      ['Character Pack platforms', ['sora-2', 'veo-3.1']],
    ]);
  });
});
