// Prose sanitising for every block the compiler does not build itself (profile, config,
// identity description and user text). After `cleanProse`:
//   * the text is NFC, one line, single-spaced, trimmed;
//   * it contains no control, format (zero-width, bidi override), private-use or surrogate
//     code points;
//   * it contains no `<` or `>` (nor their common lookalikes): every `<…>` token — a LoRA,
//     LyCORIS or hypernetwork tag, `</system>`, any HTML — is deleted whole, then stray
//     brackets are deleted. So the compiler's own LoRA block is the only place a tag can
//     appear, and because the text is one line no input can fake a block boundary;
//   * `{{` / `}}` are reduced to single braces, so nothing can imitate a placeholder such
//     as `{{ARTIFACT_URL}}` that the service fills in later.

// Characters that render like angle brackets; folded to ASCII before tags are removed so a
// lookalike tag is removed the same way as a real one.
const BRACKET_LOOKALIKES: Record<string, string> = {
  '\uFF1C': '<', '\uFF1E': '>', // fullwidth
  '\uFE64': '<', '\uFE65': '>', // small form
  '\u3008': '<', '\u3009': '>', // CJK angle brackets
  '\u2329': '<', '\u232A': '>', // angle brackets (deprecated)
  '\u27E8': '<', '\u27E9': '>', // mathematical angle brackets
  '\u2039': '<', '\u203A': '>', // single guillemets
  '\u02C2': '<', '\u02C3': '>', // modifier arrowheads
  '\u1438': '<', '\u1433': '>', // Canadian syllabics
};
const LOOKALIKE_RE = new RegExp(`[${Object.keys(BRACKET_LOOKALIKES).join('')}]`, 'gu');

const WHITESPACE_RE = /[\s\u0085\u2028\u2029]+/gu;
const INVISIBLE_RE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\uFFFE\uFFFF]/gu;
const TAG_RE = /<[^<>]*>/g;

/** Removes every `<…>` token, then any bracket left over. Idempotent. */
export function stripTags(text: string): string {
  let out = text.replace(LOOKALIKE_RE, (c) => BRACKET_LOOKALIKES[c] ?? c);
  // Innermost tags first, repeated, so nesting such as `<<lora:a:1>lora:b:1>` cannot
  // reassemble a tag once the inner one is gone.
  let previous: string;
  do {
    previous = out;
    out = out.replace(TAG_RE, ' ');
  } while (out !== previous);
  return out.replace(/[<>]/g, ' ');
}

/** NFC, tags and invisible characters removed, whitespace collapsed to single spaces. */
export function cleanProse(text: string): string {
  const spaced = text.normalize('NFC').replace(WHITESPACE_RE, ' ');
  const visible = spaced.replace(INVISIBLE_RE, '');
  const untagged = stripTags(visible).replace(/\{\{+/g, '{').replace(/\}\}+/g, '}');
  return untagged.replace(WHITESPACE_RE, ' ').trim();
}

/** Length in code points (what the platform limits count, near enough; never splits a pair). */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Shortens `text` to at most `max` code points, at the last space when that keeps at least
 * half of the allowance (so a long word is cut rather than the whole block lost).
 */
export function truncateCodePoints(text: string, max: number): string {
  if (max <= 0) return '';
  const points = Array.from(text);
  if (points.length <= max) return text;
  const cut = points.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  const out = space >= Math.floor(cut.length / 2) ? cut.slice(0, space) : cut;
  return out.replace(/[\s,;:.-]+$/u, '').trim();
}

/** Removes whole-word occurrences of `word` (case-insensitive, ASCII word boundaries). */
export function removeWord(text: string, word: string): string {
  if (!word) return text;
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`, 'gi'), ' ').replace(/\s+/g, ' ').trim();
}
