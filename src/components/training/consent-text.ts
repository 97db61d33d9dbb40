// The consent statement the checkbox shows and the request sends. The server owns the text
// (src/server/jobs/consent.ts, which cannot be bundled for the browser); this copy is pinned
// to it by consent-text.test.ts, and the server refuses anything but the exact words.
export const CONSENT_VERSION = 'v1' as const;

export const CONSENT_TEXT: Record<'image' | 'text', string> = {
  image: 'I have the rights to these images and consent to training on them',
  text: 'I have the rights to these conversations and consent to training on them',
};

export function consentPayload(modality: 'image' | 'text') {
  return { accepted: true as const, statement_version: CONSENT_VERSION, statement: CONSENT_TEXT[modality] };
}
