// Names that end up inside a LoRA tag, a trigger position or a request field: LoRA name,
// trigger word, adapter name. The alphabet is `[A-Za-z0-9_.-]`, so no input can contain
// `:`, `<`, `>`, whitespace or quotes and therefore cannot close, split or add a tag.
// NFKC first, so fullwidth or stylised letters map to their ASCII twins ("ｌｏｒａ" → "lora");
// anything still outside the alphabet (Cyrillic lookalikes, emoji, punctuation) becomes `_`.

export const IDENTIFIER_MAX = 64;
export const FALLBACK_LORA_NAME = 'lora';

const EDGE_RE = /^[_.-]+|[_.-]+$/g;

/** Sanitised identifier, or '' when nothing usable remains. */
export function sanitizeIdentifier(raw: string): string {
  const mapped = raw
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(EDGE_RE, '');
  return mapped.slice(0, IDENTIFIER_MAX).replace(EDGE_RE, '');
}

/** The LoRA/adapter name: sanitised and never empty. */
export function loraName(raw: string): string {
  return sanitizeIdentifier(raw) || FALLBACK_LORA_NAME;
}
