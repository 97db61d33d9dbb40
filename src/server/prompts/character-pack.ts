import { canonicalize } from './format.ts';
import type { PromptProfile } from './profile.ts';
import type { ActiveIdentity, CharacterPackContent } from './schemas.ts';

// Character Pack content for platforms that cannot load a LoRA (Sora, Veo, Grok): the
// compiled prompt, the platform's usage instructions and recommended parameters, and how
// many reference images to attach. Images, manifest and zip are the service's job; it picks
// images with `selectReferenceImages` (reference-images.ts) and renders the README with
// `renderCharacterPackReadme`.

/** Multi-line text from the catalog: NFC, LF line ends, no trailing spaces. */
function cleanMultiline(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+$/u, ''))
    .join('\n')
    .trim();
}

export function buildCharacterPack(args: {
  profile: PromptProfile;
  identity: ActiveIdentity | null;
  finalPrompt: string;
  negativePrompt: string | null;
}): CharacterPackContent {
  const { profile, identity } = args;
  const slots = identity ? profile.capabilities.reference_images_max : 0;
  const notes: string[] = [
    `${profile.name} cannot load LoRA files, so this pack describes the subject in words and with reference images; it never contains a LoRA tag or trigger word.`,
  ];
  if (!identity) notes.push('No active identity: this pack holds the prompt only, without reference images.');
  if (slots > 0) {
    notes.push(`Up to ${slots} reference image(s) from the training dataset, chosen by sharpness, exposure, face size and pose coverage; metadata (EXIF/GPS) removed.`);
  }
  if (identity && (identity.kind ?? 'identity') === 'identity') {
    notes.push("Use a real person's likeness only with their consent and within the platform's rules.");
  }
  return {
    platform: { id: profile.id, name: profile.name, vendor: profile.vendor, output_modality: profile.output_modality },
    final_prompt: args.finalPrompt,
    negative_prompt: args.negativePrompt,
    usage_instructions: cleanMultiline(profile.usage_instructions),
    recommended_params: canonicalize(profile.recommended_params),
    reference_image_slots: slots,
    notes,
  };
}

function paramLine([key, value]: [string, string | number | boolean]): string {
  return `- ${key}: ${String(value)}`;
}

/** README.md for the pack archive; `images` are the file names the archive holds. */
export function renderCharacterPackReadme(pack: CharacterPackContent, images: readonly string[]): string {
  const lines = [
    `# Character Pack — ${pack.platform.name}`,
    '',
    '## Prompt',
    '',
    '```text',
    pack.final_prompt,
    '```',
  ];
  if (pack.negative_prompt) lines.push('', '## Negative prompt', '', '```text', pack.negative_prompt, '```');
  lines.push('', '## How to use it', '', pack.usage_instructions);
  const params = Object.entries(pack.recommended_params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (params.length) lines.push('', '## Recommended parameters', '', ...params.map(paramLine));
  lines.push('', '## Reference images', '');
  if (images.length) lines.push(...images.map((name) => `- ${name}`));
  else lines.push('None in this pack.');
  lines.push('', '## Notes', '', ...pack.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}
