import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_EXAMPLE_PATH, envFields, renderEnvExample } from '../../scripts/env-example.ts';

const root = path.resolve(__dirname, '..', '..');

/** Variable names in the README's Configuration table (first column, `NAME` entries). */
function readmeVariables(): string[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  const names = new Set<string>();
  for (const line of section.split('\n')) {
    const first = line.startsWith('| `') ? line.split('|')[1] ?? '' : '';
    for (const m of first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(m[1]!);
  }
  return [...names].sort();
}

describe('.env.example', () => {
  it('is in step with src/env.ts', () => {
    const committed = readFileSync(ENV_EXAMPLE_PATH, 'utf8');
    expect(committed, '.env.example is out of step with src/env.ts: run `npm run env:example`').toBe(renderEnvExample());
  });

  it('every variable has a description', () => {
    expect(envFields().filter((f) => !f.description).map((f) => f.name)).toEqual([]);
  });

  it('the README Configuration table names exactly the variables src/env.ts knows', () => {
    const schema = envFields().map((f) => f.name).sort();
    expect(readmeVariables(), 'README "Configuration" table and src/env.ts differ').toEqual(schema);
  });
});
