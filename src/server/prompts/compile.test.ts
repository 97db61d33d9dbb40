import { describe, expect, it } from 'vitest';
import { TARGET_PLATFORMS } from '../catalog/target-platforms.ts';
import { BLOCK_SEPARATOR } from './blocks.ts';
import { compilePrompt } from './compile.ts';
import { stableJson } from './format.ts';
import type { BlockId, PromptProfile } from './profile.ts';
import { countOf, prng, sampleIdentity, seededProfile, shuffled, shuffleKeys } from './test-fixtures.ts';

const CORE = 'Depict the subject respectfully. No watermarks.';
const INPUT = { scene: 'reading a book in a sunlit cafe', style: 'soft pastel palette', negative: 'blurry' };

function familyFor(profile: PromptProfile): string {
  return profile.capabilities.compatible_base_families?.[0] ?? 'flux';
}

describe('determinism', () => {
  for (const profile of TARGET_PLATFORMS) {
    it(`${profile.id}: same inputs, also with shuffled key order, give identical bytes`, () => {
      const args = { profile, systemPromptCore: CORE, identity: sampleIdentity({ base_model_family: familyFor(profile) }), input: INPUT };
      const first = JSON.stringify(compilePrompt(args));
      expect(JSON.stringify(compilePrompt(args))).toBe(first);
      const rand = prng(42);
      for (let i = 0; i < 5; i++) {
        expect(JSON.stringify(compilePrompt(shuffleKeys(args, rand)))).toBe(first);
      }
    });
  }
});

describe('block order follows preferred_order', () => {
  // Profiles where every block of the permutation has content in this call.
  const lora: PromptProfile = {
    ...seededProfile('sdxl'),
    capabilities: { ...seededProfile('sdxl').capabilities, supports_negative_prompt: false },
  };
  const pack = seededProfile('sora-2');
  const cases: [PromptProfile, BlockId[], string][] = [
    [lora, ['base_prompt', 'system_prompt_core', 'lora_block', 'user_content', 'style', 'negative'], 'sdxl'],
    [pack, ['base_prompt', 'system_prompt_core', 'identity_description', 'user_content', 'style', 'negative'], 'flux'],
  ];

  for (const [base, ids, family] of cases) {
    it(`${base.id}: 200 random permutations and subsets`, () => {
      const rand = prng(7);
      for (let i = 0; i < 200; i++) {
        const optional = ids.filter((id) => id !== 'base_prompt' && id !== 'user_content' && rand() < 0.8);
        const order = shuffled(['base_prompt', 'user_content', ...optional] as BlockId[], rand);
        const out = compilePrompt({
          profile: { ...base, preferred_order: order },
          systemPromptCore: CORE,
          identity: sampleIdentity({ base_model_family: family }),
          input: INPUT,
        });
        expect(out.blocks.map((b) => b.id)).toEqual(order);
        expect(out.final).toBe(out.blocks.map((b) => b.text).join(BLOCK_SEPARATOR));
        expect(out.final.split(BLOCK_SEPARATOR)).toEqual(out.blocks.map((b) => b.text));
      }
    });
  }

  it('skips blocks absent from the call (no identity, no core, no style)', () => {
    const out = compilePrompt({ profile: seededProfile('sdxl'), systemPromptCore: '  ', identity: null, input: { scene: 'a cat' } });
    expect(out.blocks.map((b) => b.id)).toEqual(['base_prompt', 'user_content']);
    expect(out.warnings).toEqual([]);
  });
});

describe('SDXL LoRA block', () => {
  const sdxl = seededProfile('sdxl');

  it('places `<lora:name:0.8>` and the trigger word where preferred_order says', () => {
    const out = compilePrompt({ profile: sdxl, systemPromptCore: CORE, identity: sampleIdentity(), input: INPUT });
    expect(out.lora_tag).toBe('<lora:jane-portrait:0.8>');
    expect(out.trigger_word).toBe('ohwx');
    expect(out.blocks.map((b) => b.id)).toEqual(['base_prompt', 'system_prompt_core', 'lora_block', 'user_content', 'style']);
    expect(out.blocks[2]).toEqual({ id: 'lora_block', label: 'LoRA block', text: '<lora:jane-portrait:0.8> ohwx', source: 'identity' });
    const at = out.final.indexOf('<lora:jane-portrait:0.8> ohwx');
    expect(at).toBeGreaterThan(out.final.indexOf(CORE));
    expect(at).toBeLessThan(out.final.indexOf(INPUT.scene));
    expect(countOf(out.final, '<lora:')).toBe(1);
    expect(out.negative_prompt).toBe('blurry');
  });

  it('moves with the order: LoRA block first, scene before base prompt', () => {
    const profile = { ...sdxl, preferred_order: ['lora_block', 'user_content', 'base_prompt'] as BlockId[] };
    const out = compilePrompt({ profile, systemPromptCore: CORE, identity: sampleIdentity(), input: INPUT });
    expect(out.final.startsWith(`<lora:jane-portrait:0.8> ohwx${BLOCK_SEPARATOR}${INPUT.scene}${BLOCK_SEPARATOR}photo,`)).toBe(true);
    expect(out.warnings.join(' ')).toMatch(/no place for the (system prompt core|style)/);
  });

  it('injects nothing without an active identity', () => {
    const out = compilePrompt({ profile: sdxl, systemPromptCore: CORE, identity: null, input: INPUT });
    expect(out.lora_tag).toBeNull();
    expect(out.final).not.toContain('<');
    expect(out.final).not.toContain('ohwx');
  });

  it('refuses a LoRA of another base family, with a warning', () => {
    const out = compilePrompt({ profile: sdxl, systemPromptCore: CORE, identity: sampleIdentity({ base_model_family: 'flux' }), input: INPUT });
    expect(out.lora_tag).toBeNull();
    expect(out.final).not.toContain('<lora:');
    expect(out.warnings[0]).toMatch(/flux models; SDXL pipeline loads sdxl LoRAs/);
  });

  it('keeps only the tag when the LoRA has no trigger word', () => {
    const out = compilePrompt({ profile: sdxl, systemPromptCore: CORE, identity: sampleIdentity({ trigger_word: null }), input: INPUT });
    expect(out.blocks.find((b) => b.id === 'lora_block')?.text).toBe('<lora:jane-portrait:0.8>');
    expect(out.warnings).toContain('The active LoRA has no trigger word; only the tag is added.');
  });
});

describe('weight clamping and formatting', () => {
  const cases: [string, number, string, boolean][] = [
    ['sdxl', 0.8, '0.8', false],
    ['sdxl', 0.80000001, '0.8', false],
    ['sdxl', 0.799999999, '0.8', false],
    ['sdxl', 1, '1', false],
    ['sdxl', 0.5, '0.5', false],
    ['sdxl', 0.125, '0.13', false],
    ['sdxl', 1.499, '1.5', false],
    ['sdxl', 0, '0', false],
    ['sdxl', -0, '0', false],
    ['sdxl', 7, '1.5', true],
    ['sdxl', -3, '0', true],
    ['sdxl', Number.NaN, '0.8', true],
    ['sdxl', Number.POSITIVE_INFINITY, '0.8', true],
    ['flux', Number.NaN, '1', true],
    ['flux', 1.2, '1.2', false],
  ];
  for (const [id, weight, text, warns] of cases) {
    it(`${id}: ${String(weight)} → ${text}`, () => {
      const family = id === 'flux' ? 'flux' : 'sdxl';
      const out = compilePrompt({ profile: seededProfile(id), systemPromptCore: '', identity: sampleIdentity({ weight, base_model_family: family }), input: INPUT });
      expect(out.lora_tag).toBe(`<lora:jane-portrait:${text}>`);
      expect(out.warnings.some((w) => w.startsWith('LoRA weight'))).toBe(warns);
    });
  }
});

describe('Character Pack platforms', () => {
  const packs = TARGET_PLATFORMS.filter((p) => p.capabilities.character_pack);

  it('are exactly Sora, Veo and Grok', () => {
    expect(packs.map((p) => p.id).sort()).toEqual(['grok-3', 'sora-2', 'sora-2-pro', 'sora-2-pro-max', 'veo-3.1', 'veo-3.1-fast']);
  });

  for (const profile of packs) {
    it(`${profile.id}: no LoRA tag or trigger word anywhere, identity in words`, () => {
      const identity = sampleIdentity({ model_name: 'x:2><lora:evil:9', description: 'ohwx, a tall man with a grey beard' });
      const out = compilePrompt({ profile, systemPromptCore: CORE, identity, input: { scene: '<lora:evil:1> walking ohwx-free', negative: 'blur' } });
      const everything = stableJson(out);
      expect(everything).not.toMatch(/<\s*lora/i);
      expect(out.lora_tag).toBeNull();
      expect(out.trigger_word).toBeNull();
      const identityBlock = out.blocks.find((b) => b.id === 'identity_description');
      expect(identityBlock?.text).toBe(
        'The main subject is the person shown in the reference images: a tall man with a grey beard. Keep their face, hair and build consistent throughout.',
      );
      expect(out.character_pack?.final_prompt).toBe(out.final);
      expect(out.character_pack?.reference_image_slots).toBe(profile.capabilities.reference_images_max);
      expect(out.character_pack?.usage_instructions).toBe(profile.usage_instructions);
    });
  }

  it('Sora 2: inline "Avoid:" block (no negative field); Veo: separate negative prompt', () => {
    const sora = compilePrompt({ profile: seededProfile('sora-2'), systemPromptCore: CORE, identity: sampleIdentity(), input: INPUT });
    expect(sora.final).not.toContain('<lora:');
    expect(sora.blocks.at(-1)).toMatchObject({ id: 'negative', text: 'Avoid: blurry' });
    expect(sora.negative_prompt).toBeNull();
    const veo = compilePrompt({ profile: seededProfile('veo-3.1'), systemPromptCore: CORE, identity: sampleIdentity(), input: INPUT });
    expect(veo.final).not.toContain('Avoid:');
    expect(veo.negative_prompt).toBe('blurry');
    expect(veo.character_pack?.negative_prompt).toBe('blurry');
  });

  it('neutral wording without a description; no images without identity', () => {
    const out = compilePrompt({ profile: seededProfile('grok-3'), systemPromptCore: '', identity: sampleIdentity({ description: undefined }), input: INPUT });
    expect(out.blocks.find((b) => b.id === 'identity_description')?.text).toBe(
      'The main subject is the person shown in the reference images. Keep their face, hair and build consistent throughout.',
    );
    const none = compilePrompt({ profile: seededProfile('grok-3'), systemPromptCore: '', identity: null, input: INPUT });
    expect(none.blocks.some((b) => b.id === 'identity_description')).toBe(false);
    expect(none.character_pack?.reference_image_slots).toBe(0);
  });

  it('ignores a chat adapter, with a warning', () => {
    const out = compilePrompt({ profile: seededProfile('sora-2'), systemPromptCore: '', identity: sampleIdentity({ kind: 'chat', base_model_family: 'llama' }), input: INPUT });
    expect(out.blocks.some((b) => b.id === 'identity_description')).toBe(false);
    expect(out.character_pack?.reference_image_slots).toBe(0);
    expect(out.warnings[0]).toBe('The active LoRA is a chat adapter; Sora 2 cannot use it.');
  });

  it('never injects a tag even if a profile claims both pack and injection', () => {
    const broken = { ...seededProfile('sora-2'), capabilities: { ...seededProfile('sora-2').capabilities, supports_lora_injection: true } };
    const out = compilePrompt({ profile: broken, systemPromptCore: '', identity: sampleIdentity(), input: INPUT });
    expect(out.final).not.toContain('<lora:');
  });
});

describe('length cap', () => {
  it('shortens user blocks to max_prompt_chars, never the LoRA tag', () => {
    const sdxl = seededProfile('sdxl');
    const scene = 'a very long scene description '.repeat(200);
    const out = compilePrompt({ profile: sdxl, systemPromptCore: CORE, identity: sampleIdentity(), input: { scene, style: 'x '.repeat(300) } });
    expect(Array.from(out.final).length).toBeLessThanOrEqual(sdxl.capabilities.max_prompt_chars);
    expect(out.final).toContain('<lora:jane-portrait:0.8> ohwx');
    expect(out.warnings.some((w) => w.includes('shortened to fit the 2000-character limit'))).toBe(true);
    expect(out.final.split(BLOCK_SEPARATOR)).toEqual(out.blocks.map((b) => b.text));
  });

  it('counts code points, so emoji are never split', () => {
    const profile = { ...seededProfile('flux'), capabilities: { ...seededProfile('flux').capabilities, max_prompt_chars: 300 } };
    const out = compilePrompt({ profile, systemPromptCore: '', identity: null, input: { scene: '😀'.repeat(400) } });
    expect(Array.from(out.final).length).toBeLessThanOrEqual(300);
    expect(out.final).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
