import { describe, expect, it } from 'vitest';
import { adapterName, buildServing, loraxSnippet, renderReadme, vllmMaxLoraRank, vllmSnippet, type ServingInput } from '@/server/versions/serving';

const input: ServingInput = {
  adapterName: 'support-bot-v1',
  baseModel: 'meta-llama/Llama-3.1-8B-Instruct',
  rank: 12,
  files: ['adapter_model.safetensors', 'adapter_config.json'],
  warning: null,
};

describe('adapter name', () => {
  it('is a lowercase [a-z0-9-] slug of the LoRA name plus -v{n}', () => {
    expect(adapterName('Support Bot', 1)).toBe('support-bot-v1');
    expect(adapterName('  Café Ünïcode!! 2.0 ', 3)).toBe('cafe-unicode-2-0-v3');
    expect(adapterName('!!!', 2)).toBe('lora-v2');
    expect(adapterName('日本語', 1)).toBe('lora-v1');
    const long = adapterName(`${'a'.repeat(47)} b c`, 12);
    expect(long).toBe(`${'a'.repeat(47)}-v12`);
    for (const n of [long, adapterName('x--y__z', 1)]) expect(n).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe('vLLM --max-lora-rank', () => {
  it('rounds the rank up to a value vLLM accepts', () => {
    expect([1, 8, 9, 16, 17, 32, 33, 64, 65, 128, 200, 256].map(vllmMaxLoraRank)).toEqual([8, 8, 16, 16, 32, 32, 64, 64, 128, 128, 256, 256]);
  });
});

describe('serving snippets (golden)', () => {
  it('vLLM: serve the base with the adapter as a LoRA module, then chat with it by name', () => {
    expect(vllmSnippet(input)).toBe(`# Put the adapter files in ./support-bot-v1/ first ("Download all (.zip)" and unzip it here):
#   support-bot-v1/adapter_model.safetensors
#   support-bot-v1/adapter_config.json
vllm serve meta-llama/Llama-3.1-8B-Instruct \\
  --enable-lora \\
  --max-lora-rank 16 \\
  --lora-modules support-bot-v1=./support-bot-v1

# In another shell: the adapter is served as its own model name.
curl http://localhost:8000/v1/chat/completions \\
  -H "Content-Type: application/json" \\
  -d '{
    "model": "support-bot-v1",
    "messages": [{"role": "user", "content": "Hello! Who are you?"}],
    "max_tokens": 256
  }'
`);
  });

  it('LoRAX: the container with the adapter directory mounted, then /generate with adapter_source local', () => {
    expect(loraxSnippet(input)).toBe(`# Put the adapter files in ./support-bot-v1/ first ("Download all (.zip)" and unzip it here):
#   support-bot-v1/adapter_model.safetensors
#   support-bot-v1/adapter_config.json
# HUGGING_FACE_HUB_TOKEN is passed through for gated base models.
docker run --gpus all --shm-size 1g -p 8080:80 \\
  -e HUGGING_FACE_HUB_TOKEN \\
  -v "$PWD/data:/data" \\
  -v "$PWD/support-bot-v1:/adapters/support-bot-v1:ro" \\
  ghcr.io/predibase/lorax:latest --model-id meta-llama/Llama-3.1-8B-Instruct

# In another shell: load the adapter from its local directory per request.
curl http://127.0.0.1:8080/generate \\
  -X POST \\
  -H "Content-Type: application/json" \\
  -d '{
    "inputs": "Hello! Who are you?",
    "parameters": {
      "adapter_id": "/adapters/support-bot-v1",
      "adapter_source": "local",
      "max_new_tokens": 256
    }
  }'
`);
  });

  it('a stand-in adapter says so on the first line of both snippets; odd base names are shell-quoted', () => {
    const s = buildServing({ ...input, baseModel: "my base's model", warning: 'trained on a stand-in base.' });
    expect(s.adapter_name).toBe('support-bot-v1');
    expect(s.warning).toBe('trained on a stand-in base.');
    for (const snippet of [s.vllm, s.lorax]) {
      expect(snippet.split('\n')[0]).toBe('# NOTE: trained on a stand-in base.');
      expect(snippet).toContain(`'my base'\\''s model'`);
    }
    expect(buildServing(input)).toEqual(buildServing({ ...input }));
  });

  it('README.txt lists the files with their sha256 and carries both snippets', () => {
    const serving = buildServing(input);
    const readme = renderReadme({
      title: 'Support Bot v1',
      folder: 'support-bot-v1',
      baseModel: 'Llama 3.1 8B Instruct (meta-llama/Llama-3.1-8B-Instruct)',
      files: [
        { name: 'adapter_model.safetensors', bytes: 1024, sha256: 'a'.repeat(64) },
        { name: 'adapter_config.json', bytes: 600, sha256: 'b'.repeat(64) },
      ],
      serving,
    });
    expect(readme.startsWith(`Support Bot v1
==============

Base model: Llama 3.1 8B Instruct (meta-llama/Llama-3.1-8B-Instruct)

Files (in support-bot-v1/):
  adapter_model.safetensors  1024 bytes  sha256 ${'a'.repeat(64)}
  adapter_config.json  600 bytes  sha256 ${'b'.repeat(64)}

Check them with: sha256sum support-bot-v1/*

Serve with vLLM (adapter name: support-bot-v1)
`)).toBe(true);
    expect(readme).toContain(serving.vllm);
    expect(readme).toContain(serving.lorax);
    expect(readme.endsWith("}'\n")).toBe(true);
  });
});
