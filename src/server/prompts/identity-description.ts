import { sanitizeIdentifier } from './identifiers.ts';
import type { ActiveIdentity } from './schemas.ts';
import { cleanProse, removeWord, truncateCodePoints } from './text.ts';

// Character Pack platforms (Sora, Veo, Grok) cannot load a LoRA and have never seen its
// trigger word, so the identity is described in words and anchored on the reference images
// that travel with the pack. The trigger word is removed from the description even when
// the user typed it there: on these platforms it would be a meaningless token.

const DESCRIPTION_MAX = 600;

export function describeIdentity(identity: ActiveIdentity): string {
  let words = cleanProse(identity.description ?? '');
  const trigger = identity.trigger_word ?? '';
  for (const w of new Set([trigger.trim(), sanitizeIdentifier(trigger)])) words = removeWord(words, w);
  words = truncateCodePoints(words.replace(/^[\s,;:.-]+|[\s,;:.]+$/gu, ''), DESCRIPTION_MAX);

  switch (identity.kind) {
    case 'style':
      return words
        ? `Render everything in the visual style shown in the reference images: ${words}.`
        : 'Render everything in the visual style shown in the reference images.';
    case 'product':
      return words
        ? `Feature the product shown in the reference images: ${words}. Keep its shape, colours and markings exact.`
        : 'Feature the product shown in the reference images. Keep its shape, colours and markings exact.';
    default:
      return words
        ? `The main subject is the person shown in the reference images: ${words}. Keep their face, hair and build consistent throughout.`
        : 'The main subject is the person shown in the reference images. Keep their face, hair and build consistent throughout.';
  }
}
