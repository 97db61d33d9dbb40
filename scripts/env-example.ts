// `npm run env:example`: writes .env.example from the schema in src/env.ts — every variable,
// its default and its `.describe()` text. tests/foundation/env-example.test.ts fails when the
// committed file is out of step. All lines are commented out: none is needed for a local start.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { EnvSchema } from '../src/env.ts';

type Field = { name: string; description: string; default: string };

function defaultOf(schema: z.ZodType): string {
  const def = schema._zod.def as { type: string; defaultValue?: unknown };
  if (def.type !== 'default') return '';
  const value = def.defaultValue;
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** Every variable the schema knows, in schema order. */
export function envFields(): Field[] {
  return Object.entries(EnvSchema.in.shape).map(([name, schema]) => ({
    name,
    description: (schema as z.ZodType).description ?? '',
    default: defaultOf(schema as z.ZodType),
  }));
}

export function renderEnvExample(): string {
  const head = [
    '# LoRA Studio configuration. Generated from src/env.ts by `npm run env:example`: do not edit.',
    '# None of these is needed for a local start; uncomment and set what you change.',
    '# Generated secrets live in DATA_DIR/secrets.json; set them explicitly in production.',
  ];
  const body = envFields().map((f) => `\n# ${f.description}\n# ${f.name}=${f.default}`);
  return [...head, ...body].join('\n') + '\n';
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ENV_EXAMPLE_PATH = path.join(root, '.env.example');

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(ENV_EXAMPLE_PATH, renderEnvExample());
  console.log(`wrote ${path.relative(process.cwd(), ENV_EXAMPLE_PATH)} (${envFields().length} variables)`);
}
