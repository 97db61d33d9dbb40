import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compilePrompt } from './compile.ts';
import { ARTIFACT_URL_PLACEHOLDER, fillArtifactUrl, type ReplicateFluxRequest } from './structured/replicate-flux.ts';
import { BASE_MODEL_PLACEHOLDER, shellQuote, type LlmServingRequest } from './structured/llm-serving.ts';
import { sampleIdentity, seededProfile } from './test-fixtures.ts';

const INPUT = { scene: 'portrait in a rainy street at night', negative: 'blurry' };

describe('Flux via Replicate', () => {
  const profile = seededProfile('flux-replicate');

  it('builds the flux-dev-lora input: trigger word in the prompt, lora_scale = weight, URL placeholder', () => {
    const out = compilePrompt({ profile, systemPromptCore: '', identity: sampleIdentity({ base_model_family: 'flux' }), input: INPUT });
    const req = out.structured_request as unknown as ReplicateFluxRequest;
    expect(req.kind).toBe('replicate-flux');
    expect(req.model).toBe('black-forest-labs/flux-dev-lora');
    expect(req.input).toEqual({
      prompt: out.final,
      lora_weights: ARTIFACT_URL_PLACEHOLDER,
      lora_scale: 0.8,
      aspect_ratio: '1:1',
      num_outputs: 1,
      num_inference_steps: 28,
      guidance: 3,
      output_format: 'webp',
      output_quality: 90,
    });
    expect(req.input.prompt).toContain('ohwx');
    expect(req.input.prompt).not.toContain('<lora:');
    expect(out.lora_tag).toBeNull();
    expect(out.trigger_word).toBe('ohwx');
  });

  it('clamps lora_scale to the profile range and rounds it', () => {
    const out = compilePrompt({ profile, systemPromptCore: '', identity: sampleIdentity({ base_model_family: 'flux', weight: 2.345 }), input: INPUT });
    expect((out.structured_request as unknown as ReplicateFluxRequest).input.lora_scale).toBe(1.5);
  });

  it('fillArtifactUrl sets the signed URL structurally and clears the placeholder note', () => {
    const out = compilePrompt({ profile, systemPromptCore: '', identity: sampleIdentity({ base_model_family: 'flux' }), input: INPUT });
    const filled = fillArtifactUrl(out.structured_request as unknown as ReplicateFluxRequest, 'https://files.example/a.safetensors?sig=1');
    expect(filled.input.lora_weights).toBe('https://files.example/a.safetensors?sig=1');
    expect(filled.placeholders).toEqual({});
    expect(filled.input.prompt).toBe(out.final);
  });

  it('without an identity (or with an SDXL LoRA) the request carries no LoRA', () => {
    for (const identity of [null, sampleIdentity({ base_model_family: 'sdxl' })]) {
      const out = compilePrompt({ profile, systemPromptCore: '', identity, input: INPUT });
      const req = out.structured_request as unknown as ReplicateFluxRequest;
      expect(req.input).not.toHaveProperty('lora_weights');
      expect(req.input).not.toHaveProperty('lora_scale');
      expect(req.input.prompt).not.toContain('ohwx');
    }
  });
});

describe('LLM serving profiles', () => {
  for (const [id, url] of [
    ['vllm', 'http://localhost:8000/v1/chat/completions'],
    ['lorax', 'http://localhost:8080/v1/chat/completions'],
  ] as const) {
    it(`${id}: chat request selecting the adapter by its sanitised name`, () => {
      const identity = sampleIdentity({ model_name: 'support bot v2', base_model_family: 'llama', trigger_word: null });
      const out = compilePrompt({ profile: seededProfile(id), systemPromptCore: 'Be kind.', identity, input: { scene: "What's the refund policy?" } });
      const req = out.structured_request as unknown as LlmServingRequest;
      expect(req).toMatchObject({ kind: id, method: 'POST', url });
      expect(req.body.model).toBe('support_bot_v2');
      expect(req.body.messages).toEqual([
        { role: 'system', content: `${seededProfile(id).base_prompt}\n\nBe kind.` },
        { role: 'user', content: "What's the refund policy?" },
      ]);
      expect(out.lora_tag).toBeNull();
      expect(out.final).not.toContain('<');
      expect(req.curl).toContain(`'${url}'`);
      expect(req.curl).toContain('"model": "support_bot_v2"');
    });
  }

  it('without an adapter: vLLM gets a base-model placeholder, LoRAX the empty model', () => {
    const v = compilePrompt({ profile: seededProfile('vllm'), systemPromptCore: '', identity: null, input: INPUT });
    expect((v.structured_request as unknown as LlmServingRequest).body.model).toBe(BASE_MODEL_PLACEHOLDER);
    expect(v.warnings.some((w) => w.includes(BASE_MODEL_PLACEHOLDER))).toBe(true);
    const l = compilePrompt({ profile: seededProfile('lorax'), systemPromptCore: '', identity: sampleIdentity({ base_model_family: 'sdxl' }), input: INPUT });
    expect((l.structured_request as unknown as LlmServingRequest).body.model).toBe('');
  });

  it('the curl snippet survives quotes in user text (run through a real shell)', () => {
    const scene = `it's "quoted" $HOME \`id\` \\ end`;
    const out = compilePrompt({ profile: seededProfile('vllm'), systemPromptCore: '', identity: sampleIdentity({ base_model_family: 'qwen' }), input: { scene } });
    const req = out.structured_request as unknown as LlmServingRequest;
    const dataArg = req.curl.split(' -d ')[1] ?? '';
    const echoed = execFileSync('sh', ['-c', `printf '%s' ${dataArg}`], { encoding: 'utf8' });
    expect(JSON.parse(echoed)).toEqual(JSON.parse(JSON.stringify(req.body)));
    expect(execFileSync('sh', ['-c', `printf '%s' ${shellQuote("a'b")}`], { encoding: 'utf8' })).toBe("a'b");
  });
});
