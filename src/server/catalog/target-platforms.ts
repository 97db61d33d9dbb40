import type { BlockId, PlatformCapabilities, PromptProfile } from '../prompts/profile.ts';

// Target platforms (prompt profiles), seeded into `target_platforms`. Plain JSON-able data.
// Sora, Veo and Grok are never trainable and never get a LoRA tag: they get Character Packs.
// SDXL/Flux pipelines take `<lora:name:weight>` (A1111/Forge prompt syntax); "Flux via
// Replicate" and the LLM serving profiles produce structured requests instead.
// Parameters come from the platforms' public API documentation where one exists; usage
// text is phrased as guidance where interfaces differ or change (app vs API, plan tiers).
// `max_prompt_chars` is our house limit, not a vendor figure.

export interface TargetPlatformSeed extends PromptProfile {
  sort_order: number;
}

const PACK_ORDER: BlockId[] = ['base_prompt', 'system_prompt_core', 'identity_description', 'user_content', 'style', 'negative'];
const PACK_ORDER_NEG_FIELD: BlockId[] = ['base_prompt', 'system_prompt_core', 'identity_description', 'user_content', 'style'];
const LORA_ORDER: BlockId[] = ['base_prompt', 'system_prompt_core', 'lora_block', 'user_content', 'style'];
const LLM_ORDER: BlockId[] = ['base_prompt', 'system_prompt_core', 'user_content'];

const pack = (caps: Omit<PlatformCapabilities, 'supports_lora_injection' | 'character_pack'>): PlatformCapabilities => ({
  supports_lora_injection: false,
  character_pack: true,
  structured_request: null,
  ...caps,
});

const SDXL_FLUX_SIZES = { aspect_ratios: ['1:1', '4:3', '3:4', '16:9', '9:16'], resolutions: ['1024x1024', '1152x896', '896x1152', '1344x768', '768x1344'] };

const noPack = (caps: Omit<PlatformCapabilities, 'character_pack' | 'reference_images_max'>): PlatformCapabilities => ({
  character_pack: false,
  reference_images_max: 0,
  ...caps,
});

const llm = (kind: 'vllm' | 'lorax'): PlatformCapabilities =>
  noPack({
    supports_lora_injection: false,
    structured_request: kind,
    max_prompt_chars: 16000,
    aspect_ratios: [],
    supports_negative_prompt: false,
    compatible_base_families: ['llama', 'qwen', 'mistral'],
  });

const SORA_USAGE = (model: string, extra: string) =>
  [
    `1. Open Sora (the Sora app or sora.com) or call the OpenAI Videos API with model "${model}".`,
    '2. Paste the prompt from prompt.txt unchanged. It describes the subject in words; Sora does not know LoRA tags or trigger words.',
    '3. Pick the duration and size from the recommended parameters.',
    '4. Reference images: Sora restricts uploads that depict real people. The supported way to appear as yourself is a cameo you record and verify in the Sora app; use the reference images here to check the description, and as a starting frame only where Sora accepts them (the API takes one image, sized exactly like the video).',
    extra,
  ]
    .filter(Boolean)
    .join('\n');

const VEO_USAGE = (model: string, extra: string) =>
  [
    `1. Open Veo 3.1 in Google Flow or the Gemini app, or call the Gemini API / Vertex AI with model "${model}".`,
    '2. Paste the prompt from prompt.txt. If the pack has negative_prompt.txt, put it in the negative prompt field (negativePrompt in the API); where your interface has none, add it to the prompt as "Avoid: …".',
    '3. Add the reference images as subject ("ingredients") references where your interface offers them; otherwise use the first one as the starting frame. Reference-guided generation may be limited to 16:9 and 8 seconds.',
    '4. Pick aspect ratio, resolution and duration from the recommended parameters. Veo generates audio with the video.',
    extra,
  ]
    .filter(Boolean)
    .join('\n');

export const TARGET_PLATFORMS: readonly TargetPlatformSeed[] = [
  {
    id: 'sora-2-pro-max',
    name: 'Sora 2 Pro Max',
    vendor: 'OpenAI',
    output_modality: 'video',
    base_prompt:
      'Premium cinematic video: photorealistic detail, natural motion and physics, deliberate camera work, consistent lighting and continuity across shots.',
    preferred_order: PACK_ORDER,
    capabilities: pack({
      max_prompt_chars: 4000,
      aspect_ratios: ['16:9', '9:16'],
      durations_seconds: [4, 8, 12, 15, 25],
      resolutions: ['1792x1024', '1024x1792', '1280x720', '720x1280'],
      reference_images_max: 1,
      supports_negative_prompt: false,
      generates_audio: true,
    }),
    recommended_params: { model: 'sora-2-pro', aspect_ratio: '16:9', size: '1792x1024', duration_seconds: 15 },
    usage_instructions: SORA_USAGE(
      'sora-2-pro',
      '5. Durations above 12 seconds exist only where your Sora plan offers longer clips (in the app); the API accepts 4, 8 or 12 seconds, so choose 12 there.',
    ),
    lora_weight: null,
    sort_order: 10,
  },
  {
    id: 'sora-2',
    name: 'Sora 2',
    vendor: 'OpenAI',
    output_modality: 'video',
    base_prompt: 'Cinematic, photorealistic video with natural motion, plausible physics and steady, motivated camera movement.',
    preferred_order: PACK_ORDER,
    capabilities: pack({
      max_prompt_chars: 4000,
      aspect_ratios: ['16:9', '9:16'],
      durations_seconds: [4, 8, 12],
      resolutions: ['1280x720', '720x1280'],
      reference_images_max: 1,
      supports_negative_prompt: false,
      generates_audio: true,
    }),
    recommended_params: { model: 'sora-2', aspect_ratio: '16:9', size: '1280x720', duration_seconds: 8 },
    usage_instructions: SORA_USAGE('sora-2', ''),
    lora_weight: null,
    sort_order: 20,
  },
  {
    id: 'sora-2-pro',
    name: 'Sora 2 Pro',
    vendor: 'OpenAI',
    output_modality: 'video',
    base_prompt: 'High-fidelity cinematic video: photorealistic detail, natural motion and physics, controlled camera movement, consistent lighting.',
    preferred_order: PACK_ORDER,
    capabilities: pack({
      max_prompt_chars: 4000,
      aspect_ratios: ['16:9', '9:16'],
      durations_seconds: [4, 8, 12],
      resolutions: ['1792x1024', '1024x1792', '1280x720', '720x1280'],
      reference_images_max: 1,
      supports_negative_prompt: false,
      generates_audio: true,
    }),
    recommended_params: { model: 'sora-2-pro', aspect_ratio: '16:9', size: '1792x1024', duration_seconds: 12 },
    usage_instructions: SORA_USAGE('sora-2-pro', ''),
    lora_weight: null,
    sort_order: 30,
  },
  {
    id: 'veo-3.1-fast',
    name: 'Veo 3.1 Fast',
    vendor: 'Google',
    output_modality: 'video',
    base_prompt: 'Clear, well-lit video with one simple camera move, the subject centred and in focus, natural motion.',
    preferred_order: PACK_ORDER_NEG_FIELD,
    capabilities: pack({
      max_prompt_chars: 3000,
      aspect_ratios: ['16:9', '9:16'],
      durations_seconds: [4, 6, 8],
      resolutions: ['720p', '1080p'],
      reference_images_max: 1,
      supports_negative_prompt: true,
      generates_audio: true,
    }),
    recommended_params: { model: 'veo-3.1-fast-generate-preview', aspect_ratio: '16:9', resolution: '720p', duration_seconds: 6 },
    usage_instructions: VEO_USAGE(
      'veo-3.1-fast-generate-preview',
      '5. Fast is meant for drafts and iterations: keep one subject and one action per clip, then render the keeper with Veo 3.1.',
    ),
    lora_weight: null,
    sort_order: 40,
  },
  {
    id: 'veo-3.1',
    name: 'Veo 3.1',
    vendor: 'Google',
    output_modality: 'video',
    base_prompt: 'Cinematic video with realistic lighting and textures, natural motion, a clear camera direction and matching ambient sound.',
    preferred_order: PACK_ORDER_NEG_FIELD,
    capabilities: pack({
      max_prompt_chars: 3000,
      aspect_ratios: ['16:9', '9:16'],
      durations_seconds: [4, 6, 8],
      resolutions: ['720p', '1080p'],
      reference_images_max: 3,
      supports_negative_prompt: true,
      generates_audio: true,
    }),
    recommended_params: { model: 'veo-3.1-generate-preview', aspect_ratio: '16:9', resolution: '1080p', duration_seconds: 8 },
    usage_instructions: VEO_USAGE('veo-3.1-generate-preview', ''),
    lora_weight: null,
    sort_order: 50,
  },
  {
    id: 'grok-3',
    name: 'Grok 3',
    vendor: 'xAI',
    output_modality: 'image',
    base_prompt: 'High-quality photorealistic image, natural lighting, sharp focus on the subject, realistic skin and fabric texture.',
    preferred_order: PACK_ORDER,
    capabilities: pack({
      max_prompt_chars: 4000,
      aspect_ratios: ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3'],
      reference_images_max: 3,
      supports_negative_prompt: false,
    }),
    recommended_params: { aspect_ratio: '1:1', num_images: 1 },
    usage_instructions: [
      '1. Open Grok (grok.com, the X app or the Grok app) and ask it to create an image.',
      '2. Attach one or more reference images if your Grok interface accepts image uploads, then paste the prompt from prompt.txt.',
      '3. Grok has no negative-prompt field; things to avoid are already written into the prompt.',
      '4. Results vary between runs: generate a few and keep the one that matches the references best.',
    ].join('\n'),
    lora_weight: null,
    sort_order: 60,
  },
  {
    id: 'sdxl',
    name: 'SDXL pipeline',
    vendor: 'Stability AI (self-hosted)',
    output_modality: 'image',
    base_prompt: 'photo, highly detailed, sharp focus, natural skin texture, soft natural lighting, 85mm lens',
    preferred_order: LORA_ORDER,
    capabilities: noPack({
      supports_lora_injection: true,
      structured_request: null,
      max_prompt_chars: 2000,
      ...SDXL_FLUX_SIZES,
      supports_negative_prompt: true,
      compatible_base_families: ['sdxl'],
    }),
    recommended_params: { width: 1024, height: 1024, steps: 30, cfg_scale: 7, sampler: 'DPM++ 2M Karras', aspect_ratio: '1:1' },
    usage_instructions: [
      '1. Put the LoRA .safetensors file in models/Lora (AUTOMATIC1111 / Forge) or models/loras (ComfyUI). Keep the file name equal to the name in the tag.',
      '2. AUTOMATIC1111 / Forge: paste the prompt as is; the <lora:name:weight> tag loads the LoRA at that weight and the trigger word calls its subject.',
      '3. ComfyUI core does not read <lora:…> tags: load the file with a LoraLoader node at the same strength and remove the tag from the prompt text.',
      '4. Put the negative prompt in the negative prompt field.',
    ].join('\n'),
    lora_weight: { min: 0, max: 1.5, default: 0.8 },
    sort_order: 70,
  },
  {
    id: 'flux',
    name: 'Flux pipeline',
    vendor: 'Black Forest Labs (self-hosted)',
    output_modality: 'image',
    base_prompt: 'A natural, detailed photograph with realistic lighting, accurate skin texture and a shallow depth of field.',
    preferred_order: LORA_ORDER,
    capabilities: noPack({
      supports_lora_injection: true,
      structured_request: null,
      max_prompt_chars: 2000,
      ...SDXL_FLUX_SIZES,
      supports_negative_prompt: false,
      compatible_base_families: ['flux'],
    }),
    recommended_params: { width: 1024, height: 1024, steps: 28, guidance: 3.5, aspect_ratio: '1:1' },
    usage_instructions: [
      '1. Put the LoRA .safetensors file where your Flux front end loads LoRAs (Forge: models/Lora; ComfyUI: models/loras). Keep the file name equal to the name in the tag.',
      '2. Forge: paste the prompt as is; the <lora:name:weight> tag loads the LoRA and the trigger word calls its subject.',
      '3. ComfyUI or diffusers: load the file with a LoRA loader (LoraLoaderModelOnly, or load_lora_weights) at the same strength and remove the tag from the prompt text.',
      '4. Flux dev ignores negative prompts; say what you want instead.',
    ].join('\n'),
    lora_weight: { min: 0, max: 1.5, default: 1 },
    sort_order: 80,
  },
  {
    id: 'flux-replicate',
    name: 'Flux via Replicate',
    vendor: 'Replicate',
    output_modality: 'image',
    base_prompt: 'A natural, detailed photograph with realistic lighting, accurate skin texture and a shallow depth of field.',
    preferred_order: LORA_ORDER,
    capabilities: noPack({
      supports_lora_injection: false,
      structured_request: 'replicate-flux',
      max_prompt_chars: 2000,
      aspect_ratios: ['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21'],
      supports_negative_prompt: false,
      compatible_base_families: ['flux'],
    }),
    recommended_params: {
      model: 'black-forest-labs/flux-dev-lora',
      aspect_ratio: '1:1',
      num_outputs: 1,
      num_inference_steps: 28,
      guidance: 3,
      output_format: 'webp',
      output_quality: 90,
    },
    usage_instructions: [
      '1. The compiled result is a Replicate prediction input for a LoRA-capable Flux model (default black-forest-labs/flux-dev-lora).',
      '2. lora_weights is a short-lived signed URL to your LoRA file, filled in by LoRA Studio when you run or export the request; lora_scale is your weight.',
      '3. The prompt carries the trigger word; the LoRA itself travels in lora_weights, so the prompt has no <lora:…> tag.',
    ].join('\n'),
    lora_weight: { min: 0, max: 1.5, default: 1 },
    sort_order: 90,
  },
  {
    id: 'vllm',
    name: 'vLLM (LoRA adapter)',
    vendor: 'vLLM',
    output_modality: 'text',
    base_prompt: 'Answer in the voice, tone and conventions learned from the fine-tuning conversations. Be helpful and concise.',
    preferred_order: LLM_ORDER,
    capabilities: llm('vllm'),
    recommended_params: { base_url: 'http://localhost:8000', max_tokens: 512, temperature: 0.7 },
    usage_instructions: [
      '1. Serve the base model with LoRA enabled and register the adapter under the name used in the request: vllm serve <base model> --enable-lora --lora-modules <adapter name>=<path to the adapter directory>.',
      '2. Send the request (OpenAI-compatible /v1/chat/completions); "model" selects the adapter by that name.',
      '3. The adapter directory is the PEFT layout from your download (adapter_model.safetensors, adapter_config.json).',
    ].join('\n'),
    lora_weight: null,
    sort_order: 100,
  },
  {
    id: 'lorax',
    name: 'LoRAX (LoRA adapter)',
    vendor: 'Predibase LoRAX',
    output_modality: 'text',
    base_prompt: 'Answer in the voice, tone and conventions learned from the fine-tuning conversations. Be helpful and concise.',
    preferred_order: LLM_ORDER,
    capabilities: llm('lorax'),
    recommended_params: { base_url: 'http://localhost:8080', max_tokens: 512, temperature: 0.7 },
    usage_instructions: [
      '1. Run LoRAX with the same base model the adapter was trained on.',
      '2. Send the request to its OpenAI-compatible /v1/chat/completions endpoint; "model" names the adapter, which LoRAX loads on first use.',
      '3. The adapter id must be one the server can load (a Hugging Face repo id or a path it can read); replace it if you published the adapter under another id.',
    ].join('\n'),
    lora_weight: null,
    sort_order: 110,
  },
];
