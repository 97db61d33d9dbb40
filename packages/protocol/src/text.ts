// Text that Postgres can store. `text` and `jsonb` cannot hold U+0000, and `jsonb` refuses an
// unpaired surrogate escape (`"\ud800"`), so such a string reaching the database is an error
// there. The control plane refuses them in client input (422 naming the field) and replaces
// them in what workers and providers report (their text is evidence, not a request); the
// worker replaces them before it sends anything.

// An unpaired UTF-16 surrogate: a high one not followed by a low one, or a low one not
// preceded by a high one. (No `u` flag: the pattern works on code units.)
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const NUL = /\u0000/g;
// Terminal escape sequences (colours, cursor moves) first, then the remaining C0 controls
// but tab. NUL is not in the class: it was already replaced, so the loss stays visible.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
const C0_BUT_TAB = /[\u0001-\u0008\u000a-\u001f]/g;

export const REPLACEMENT_CHARACTER = '\uFFFD';

/** The problem with a string Postgres cannot store, or null when it is fine. */
export function unstorableTextProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character (U+0000)';
  LONE_SURROGATE.lastIndex = 0;
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired UTF-16 surrogate (invalid Unicode)';
  return null;
}

/** NUL and unpaired surrogates → U+FFFD. Length-preserving (one code unit for one). */
export function toStorableText(s: string): string {
  return s.replace(NUL, REPLACEMENT_CHARACTER).replace(LONE_SURROGATE, REPLACEMENT_CHARACTER);
}

/** One log line as it is shown and stored: storable, no terminal escapes, no C0 control but tab. */
export function sanitizeLogLine(line: string): string {
  return toStorableText(line).replace(ANSI, '').replace(C0_BUT_TAB, '');
}

/** A deep copy of a JSON value with every string — property names too — made storable. */
export function storableJson<T>(value: T): T {
  return mapJsonStrings(value, toStorableText) as T;
}

export interface UnstorableText {
  /** Dotted path of the field (`files.0.name`); a property name is reported as its own path. */
  path: string;
  message: string;
}

/**
 * Every string in a parsed JSON value that Postgres cannot store. Iterative, so a deeply
 * nested body cannot exhaust the stack; stops after `limit` findings.
 */
export function findUnstorableText(value: unknown, limit = 20): UnstorableText[] {
  // Each entry links to its parent instead of copying the path: a 1 MB body nested 500,000
  // deep must cost linear time and memory, and only a finding spells its path out.
  type Node = { key: string; parent: Node | null };
  const pathOf = (n: Node | null, last?: string) => {
    const parts: string[] = last === undefined ? [] : [last];
    for (let at = n; at && at.parent !== null; at = at.parent) parts.push(at.key);
    return parts.reverse().join('.') || '(root)';
  };
  const found: UnstorableText[] = [];
  const root: Node = { key: '', parent: null };
  const stack: { v: unknown; node: Node }[] = [{ v: value, node: root }];
  while (stack.length > 0 && found.length < limit) {
    const { v, node } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = unstorableTextProblem(v);
      if (problem) found.push({ path: pathOf(node), message: problem });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], node: { key: String(i), parent: node } });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const problem = unstorableTextProblem(k);
        if (problem) found.push({ path: pathOf(node, toStorableText(k)), message: `property name ${problem}` });
        stack.push({ v: child, node: { key: k, parent: node } });
      }
    }
  }
  return found;
}

/**
 * A worker event's text made storable before it is validated, on both sides of the wire: the
 * worker before it signs, the control plane before it stores (older workers send raw text).
 * Every string loses NUL and unpaired surrogates; log lines (job.log `lines`, job.failed
 * `last_lines`) are also cleaned of terminal escapes and control characters.
 */
export function sanitizeEventText<T>(event: T): T {
  const clean = storableJson(event) as unknown;
  if (clean === null || typeof clean !== 'object') return clean as T;
  const { type, data } = clean as { type?: unknown; data?: unknown };
  if (data === null || typeof data !== 'object') return clean as T;
  const d = data as Record<string, unknown>;
  const field = type === 'job.log' ? 'lines' : type === 'job.failed' ? 'last_lines' : null;
  if (field && Array.isArray(d[field])) d[field] = (d[field] as unknown[]).map((l) => (typeof l === 'string' ? sanitizeLogLine(l) : l));
  return clean as T;
}

/**
 * A deep copy of a JSON value with `f` applied to every string and property name. Iterative:
 * what it copies (a verified webhook body, a provider's answer) has not been through Zod yet
 * and may be nested deeper than the stack allows.
 */
function mapJsonStrings(value: unknown, f: (s: string) => string): unknown {
  const plain = (v: unknown) => v !== null && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v));
  // Arrays and plain objects are copied; anything else (numbers, a Date) is kept as it is.
  const copy = (v: unknown): unknown => (typeof v === 'string' ? f(v) : Array.isArray(v) ? new Array<unknown>(v.length) : plain(v) ? {} : v);
  const root = copy(value);
  const work: { from: unknown; to: unknown }[] = [{ from: value, to: root }];
  if (root === value || typeof root !== 'object' || root === null) return root;
  while (work.length > 0) {
    const { from, to } = work.pop()!;
    for (const [k, v] of Object.entries(from as object)) {
      const child = copy(v);
      // defineProperty, not assignment: a "__proto__" key stays an own property, as JSON.parse made it.
      Object.defineProperty(to, Array.isArray(to) ? k : f(k), { value: child, enumerable: true, writable: true, configurable: true });
      if (child !== v && child !== null && typeof child === 'object') work.push({ from: v, to: child });
    }
  }
  return root;
}
