// A small YAML writer for the trainers' config files: block mappings and sequences, every
// string double-quoted (JSON escapes are valid YAML), so no value can change type when the
// tool (PyYAML) reads it back.
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue | undefined };

/**
 * Numbers as both YAML 1.1 (PyYAML) and 1.2 read them: PyYAML takes `1e-4` for a string,
 * so an exponent always gets a mantissa with a dot and a signed exponent (`1.0e-04`).
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot write ${n} to a config file`);
  if (Number.isInteger(n)) return String(n);
  const plain = String(n);
  if (!/e/i.test(plain)) return plain;
  const [mant = '', exp = '0'] = n.toExponential().split('e');
  const m = mant.includes('.') ? mant : `${mant}.0`;
  const e = Number(exp);
  return `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function scalar(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatNumber(v);
  return JSON.stringify(v);
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k);
}

function isObject(v: YamlValue): v is { [key: string]: YamlValue | undefined } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function entries(o: { [key: string]: YamlValue | undefined }): [string, YamlValue][] {
  return Object.entries(o).filter((e): e is [string, YamlValue] => e[1] !== undefined);
}

function block(value: YamlValue, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`];
    return value.flatMap((item) => {
      const inner = isObject(item) || Array.isArray(item) ? block(item, `${indent}  `) : [`${indent}  ${scalar(item)}`];
      const first = (inner[0] ?? '').slice(indent.length + 2);
      return [`${indent}- ${first}`, ...inner.slice(1)];
    });
  }
  if (isObject(value)) {
    const list = entries(value);
    if (list.length === 0) return [`${indent}{}`];
    return list.flatMap(([k, v]) => {
      if ((Array.isArray(v) && v.length > 0) || (isObject(v) && entries(v).length > 0)) {
        return [`${indent}${key(k)}:`, ...block(v, `${indent}  `)];
      }
      const inline = Array.isArray(v) ? '[]' : isObject(v) ? '{}' : scalar(v);
      return [`${indent}${key(k)}: ${inline}`];
    });
  }
  return [`${indent}${scalar(value)}`];
}

export function toYaml(doc: { [key: string]: YamlValue | undefined }, header?: string): string {
  const lines = block(doc, '');
  return `${header ? `${header}\n` : ''}${lines.join('\n')}\n`;
}
