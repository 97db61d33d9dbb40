// A small TOML writer for sd-scripts' dataset config: root keys, [tables] and
// [[arrays.of.tables]] nested to any depth. Strings use JSON escapes, which TOML's basic
// strings accept.
import { formatNumber } from './yaml.ts';

export type TomlScalar = string | number | boolean;
export type TomlValue = TomlScalar | TomlScalar[] | TomlTable | TomlTable[];
export interface TomlTable {
  [key: string]: TomlValue | undefined;
}

function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTableArray(v: unknown): v is TomlTable[] {
  return Array.isArray(v) && v.length > 0 && v.every(isTable);
}

function scalar(v: TomlScalar): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  // TOML needs a dot or an exponent for a float; formatNumber gives one of them.
  return formatNumber(v);
}

function key(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
}

function body(table: TomlTable, path: string[], out: string[]): void {
  const defined = Object.entries(table).filter((e): e is [string, TomlValue] => e[1] !== undefined);
  for (const [k, v] of defined) {
    if (isTable(v) || isTableArray(v)) continue;
    out.push(`${key(k)} = ${Array.isArray(v) ? `[${(v as TomlScalar[]).map(scalar).join(', ')}]` : scalar(v)}`);
  }
  for (const [k, v] of defined) {
    const p = [...path, key(k)];
    if (isTable(v)) {
      out.push('', `[${p.join('.')}]`);
      body(v, p, out);
    } else if (isTableArray(v)) {
      for (const item of v) {
        out.push('', `[[${p.join('.')}]]`);
        body(item, p, out);
      }
    }
  }
}

export function toToml(doc: TomlTable, header?: string): string {
  const out: string[] = header ? [header] : [];
  body(doc, [], out);
  while (out[0] === '') out.shift();
  return `${out.join('\n')}\n`;
}
