import { describe, expect, it } from 'vitest';
import { BASE_MODELS, type BaseModelSeed } from '@/server/catalog/base-models';
import type { BaseModel } from '@/server/db/schema/index.ts';
import { ValidationError } from '@/server/errors';
import { CONSENT_STATEMENTS } from '@/server/jobs/consent';
import { resolveParams } from '@/server/jobs/params';
import { CONSENT_TEXT, CONSENT_VERSION } from './consent-text.ts';
import { estimateByGpu, formatDuration } from './estimate.ts';
import { fieldError, overridesFrom, PARAM_SPECS, presetValues, serverFieldErrors, validateAll, type BaseForParams } from './params.ts';

const imageSeeds = BASE_MODELS.filter((b) => b.modality === 'image');
const asRow = (s: BaseModelSeed) => ({ ...s, enabled: true, createdAt: new Date() }) as unknown as BaseModel;
const asOption = (s: BaseModelSeed): BaseForParams => ({ name: s.name, min_resolution: s.minResolution, default_params: s.defaultParams });

/** Does the server refuse this one override, naming that field? */
function serverRefuses(seed: BaseModelSeed, key: string, value: number): boolean {
  try {
    resolveParams(asRow(seed), { [key]: value });
    return false;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return (err.details as { path: string }[]).some((d) => d.path === `params.${key}`);
  }
}

function probes(min: number, max: number, integer: boolean, exclusive: boolean): number[] {
  const below = exclusive ? [min, -1e-9] : [min - 1];
  const out = [...below, exclusive ? min + 1e-6 : min, max, max + (integer ? 1 : 1e-6), min + 64, 100, 448, 512, 1000.5, 1024];
  if (max < Number.MAX_SAFE_INTEGER) out.push(Math.floor((min + max) / 2));
  return out;
}

describe('training form ranges agree with the server', () => {
  for (const seed of imageSeeds) {
    it(`${seed.id}: every field accepts exactly what resolveParams accepts`, () => {
      for (const spec of PARAM_SPECS) {
        for (const v of probes(spec.min, spec.max, spec.integer, spec.minExclusive ?? false)) {
          const client = fieldError(spec, String(v), asOption(seed)) !== null;
          expect(client, `${spec.key}=${v}`).toBe(serverRefuses(seed, spec.key, v));
        }
      }
    });
  }

  it('the preset itself is valid, and unchanged values are not sent as overrides', () => {
    for (const seed of imageSeeds) {
      const values = presetValues(asOption(seed));
      expect(validateAll(values, asOption(seed))).toEqual({});
      expect(overridesFrom(values, asOption(seed))).toEqual({});
      expect(overridesFrom({ ...values, rank: '8', seed: '7' }, asOption(seed))).toEqual({ rank: 8, seed: 7 });
    }
  });

  it('empty required fields and non-numbers are refused with a readable message', () => {
    const base = asOption(imageSeeds[0]!);
    const steps = PARAM_SPECS.find((s) => s.key === 'steps')!;
    const res = PARAM_SPECS.find((s) => s.key === 'resolution')!;
    expect(fieldError(steps, '', base)).toBe('Enter steps.');
    expect(fieldError(steps, 'abc', base)).toBe('Enter a number.');
    expect(fieldError(steps, '10.5', base)).toBe('Enter a whole number.');
    expect(fieldError(res, '448', base)).toBe('FLUX.1 [dev] trains at 512 px or more.');
    expect(fieldError(res, '1000', base)).toBe('Must be a multiple of 64.');
    expect(fieldError(PARAM_SPECS.find((s) => s.key === 'seed')!, '', base)).toBeNull();
  });

  it("maps the server's 422 details onto fields", () => {
    const { fields, other } = serverFieldErrors([
      { path: 'params.rank', code: 'invalid_value', message: 'rank above 256 is not a LoRA any more; use ≤ 256' },
      { path: 'consent.statement', code: 'invalid_value', message: 'expected "…"' },
    ]);
    expect(fields).toEqual({ rank: 'rank above 256 is not a LoRA any more; use ≤ 256' });
    expect(other).toEqual(['consent.statement: expected "…"']);
  });
});

describe('consent text', () => {
  it('is the server statement, word for word', () => {
    expect(CONSENT_TEXT).toEqual(CONSENT_STATEMENTS[CONSENT_VERSION]);
  });
});

describe('duration estimate', () => {
  it('is steps × seconds per step, fastest GPU first', () => {
    const flux = imageSeeds.find((s) => s.id === 'flux-dev')!;
    const est = estimateByGpu(1000, flux.throughput);
    expect(est[0]).toEqual({ gpu: 'H100 80GB', seconds: 900 });
    expect(est.at(-1)).toEqual({ gpu: 'A100 40GB', seconds: 1600 });
    expect(estimateByGpu(undefined, flux.throughput)).toEqual([]);
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(1600)).toBe('27 min');
    expect(formatDuration(7500)).toBe('2 h 05 min');
  });
});
