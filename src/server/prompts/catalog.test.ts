import { describe, expect, it } from 'vitest';
import { TARGET_PLATFORMS } from '../catalog/target-platforms.ts';
import { PromptProfile } from './profile.ts';

describe('seeded target platforms', () => {
  it('lists the expected platforms in sort order', () => {
    expect(TARGET_PLATFORMS.map((p) => p.id)).toEqual([
      'sora-2-pro-max',
      'sora-2',
      'sora-2-pro',
      'veo-3.1-fast',
      'veo-3.1',
      'grok-3',
      'sdxl',
      'flux',
      'flux-replicate',
      'vllm',
      'lorax',
    ]);
    const orders = TARGET_PLATFORMS.map((p) => p.sort_order);
    expect([...orders].sort((a, b) => a - b)).toEqual(orders);
    expect(new Set(orders).size).toBe(orders.length);
  });

  for (const p of TARGET_PLATFORMS) {
    it(`${p.id}: valid profile, plain JSON data`, () => {
      const parsed = PromptProfile.safeParse(p);
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
      expect(JSON.parse(JSON.stringify(p))).toEqual(p);
      expect(p.base_prompt.trim().length).toBeGreaterThan(20);
      expect(p.base_prompt).not.toMatch(/[<>]/);
      expect(p.usage_instructions.length).toBeGreaterThan(50);
    });
  }

  it('Sora, Veo and Grok are Character Pack platforms, never LoRA targets', () => {
    for (const p of TARGET_PLATFORMS.filter((x) => ['OpenAI', 'Google', 'xAI'].includes(x.vendor))) {
      expect(p.capabilities).toMatchObject({ supports_lora_injection: false, character_pack: true });
      expect(p.lora_weight).toBeNull();
      expect(p.preferred_order).not.toContain('lora_block');
      expect(p.preferred_order).toContain('identity_description');
    }
  });

  it('SDXL and Flux pipelines take LoRA tags with their weight ranges', () => {
    const sdxl = TARGET_PLATFORMS.find((p) => p.id === 'sdxl');
    const flux = TARGET_PLATFORMS.find((p) => p.id === 'flux');
    expect(sdxl?.capabilities.supports_lora_injection).toBe(true);
    expect(sdxl?.lora_weight).toEqual({ min: 0, max: 1.5, default: 0.8 });
    expect(flux?.capabilities.supports_lora_injection).toBe(true);
    expect(flux?.lora_weight).toEqual({ min: 0, max: 1.5, default: 1 });
    expect(sdxl?.preferred_order.slice(0, 3)).toEqual(['base_prompt', 'system_prompt_core', 'lora_block']);
  });

  it('platforms of one vendor differ in their recommended parameters', () => {
    const byVendor = new Map<string, string[]>();
    for (const p of TARGET_PLATFORMS) byVendor.set(p.vendor, [...(byVendor.get(p.vendor) ?? []), JSON.stringify(p.recommended_params)]);
    for (const [, params] of byVendor) expect(new Set(params).size).toBe(params.length);
  });

  it('the profile schema rejects broken invariants', () => {
    const sora = TARGET_PLATFORMS.find((p) => p.id === 'sora-2');
    if (!sora) throw new Error('missing');
    const bad = [
      { ...sora, base_prompt: '   ' },
      { ...sora, preferred_order: ['base_prompt', 'base_prompt', 'user_content'] },
      { ...sora, preferred_order: ['base_prompt', 'style'] },
      { ...sora, capabilities: { ...sora.capabilities, supports_lora_injection: true } },
      { ...sora, lora_weight: { min: 1, max: 0, default: 0.5 } },
    ];
    for (const b of bad) expect(PromptProfile.safeParse(b).success).toBe(false);
  });
});
