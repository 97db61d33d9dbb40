// Golden outputs for every seeded profile, compared byte for byte. After an intended
// change, regenerate with `npx tsx src/server/prompts/__golden__/update.ts` and review the
// diff; this test never writes them.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TARGET_PLATFORMS } from '../catalog/target-platforms.ts';
import { compilePrompt } from './compile.ts';
import { stableJson } from './format.ts';
import { goldenCases } from './__golden__/cases.ts';

const dir = fileURLToPath(new URL('./__golden__/', import.meta.url));

describe('golden compiled prompts', () => {
  const cases = goldenCases();

  it('has a case with and without identity for every seeded profile, and no stale files', () => {
    expect(cases).toHaveLength(TARGET_PLATFORMS.length * 2);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(cases.map((c) => c.file).sort());
  });

  for (const c of cases) {
    it(`matches ${c.file}`, () => {
      const expected = readFileSync(`${dir}${c.file}`, 'utf8');
      expect(stableJson(compilePrompt(c.args))).toBe(expected);
    });
  }
});
