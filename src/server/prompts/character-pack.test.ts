import { describe, expect, it } from 'vitest';
import { renderCharacterPackReadme } from './character-pack.ts';
import { compilePrompt } from './compile.ts';
import { sampleIdentity, seededProfile } from './test-fixtures.ts';

describe('Character Pack content', () => {
  const out = compilePrompt({
    profile: seededProfile('veo-3.1'),
    systemPromptCore: 'No watermarks.',
    identity: sampleIdentity({ base_model_family: 'flux' }),
    input: { scene: 'walking along a pier', negative: 'text overlays' },
  });
  const pack = out.character_pack;

  it('holds the final prompt, platform facts, parameters and image slots', () => {
    expect(pack).toBeDefined();
    expect(pack?.platform).toEqual({ id: 'veo-3.1', name: 'Veo 3.1', vendor: 'Google', output_modality: 'video' });
    expect(pack?.final_prompt).toBe(out.final);
    expect(pack?.negative_prompt).toBe('text overlays');
    expect(pack?.recommended_params).toEqual({ model: 'veo-3.1-generate-preview', aspect_ratio: '16:9', resolution: '1080p', duration_seconds: 8 });
    expect(Object.keys(pack?.recommended_params ?? {})).toEqual(['aspect_ratio', 'duration_seconds', 'model', 'resolution']);
    expect(pack?.reference_image_slots).toBe(3);
    expect(pack?.notes.join(' ')).toMatch(/never contains a LoRA tag/);
  });

  it('README lists prompt, negative prompt, parameters and exactly the given images', () => {
    if (!pack) throw new Error('no pack');
    const readme = renderCharacterPackReadme(pack, ['images/01-frontal.jpg', 'images/02-left.jpg']);
    expect(readme.startsWith('# Character Pack — Veo 3.1\n')).toBe(true);
    expect(readme).toContain(`\`\`\`text\n${out.final}\n\`\`\``);
    expect(readme).toContain('## Negative prompt\n\n```text\ntext overlays\n```');
    expect(readme).toContain('- duration_seconds: 8');
    expect(readme).toContain('- images/01-frontal.jpg\n- images/02-left.jpg\n');
    expect(readme).not.toContain('<lora');
    expect(renderCharacterPackReadme(pack, [])).toContain('## Reference images\n\nNone in this pack.');
    expect(renderCharacterPackReadme(pack, ['a.jpg'])).toBe(renderCharacterPackReadme(pack, ['a.jpg']));
  });

  it('other platforms get no pack', () => {
    const sdxl = compilePrompt({ profile: seededProfile('sdxl'), systemPromptCore: '', identity: sampleIdentity(), input: { scene: 'x' } });
    expect(sdxl.character_pack).toBeUndefined();
  });
});
