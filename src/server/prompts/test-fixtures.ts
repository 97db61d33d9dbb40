import { TARGET_PLATFORMS, type TargetPlatformSeed } from '../catalog/target-platforms.ts';
import type { ActiveIdentity } from './schemas.ts';
import { prng } from '../../../tests/helpers/prng.ts';
export { prng };

// Shared by the compiler's tests: seeded profiles by id, a sample identity, and a seeded
// PRNG so "random" property tests are reproducible.

export function seededProfile(id: string): TargetPlatformSeed {
  const p = TARGET_PLATFORMS.find((x) => x.id === id);
  if (!p) throw new Error(`no seeded profile ${id}`);
  return p;
}

export function sampleIdentity(overrides: Partial<ActiveIdentity> = {}): ActiveIdentity {
  return {
    model_name: 'jane-portrait',
    trigger_word: 'ohwx',
    weight: 0.8,
    version_id: 'ver_test0001',
    description: 'a woman in her thirties with short curly red hair',
    base_model_family: 'sdxl',
    kind: 'identity',
    ...overrides,
  };
}


export function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Deep copy with every object's keys in a random order (arrays keep their order). */
export function shuffleKeys<T>(value: T, rand: () => number): T {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, rand)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of shuffled(Object.keys(value), rand)) out[key] = shuffleKeys((value as Record<string, unknown>)[key], rand);
    return out as T;
  }
  return value;
}

export const countOf = (text: string, needle: string) => text.split(needle).length - 1;
