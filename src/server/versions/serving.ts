// Ready-to-paste serving snippets for a text LoRA (vLLM's OpenAI-compatible server and LoRAX),
// and the README.txt of the "download all" zip. Deterministic strings: same version, same
// bytes. Flags follow the vLLM docs (features/lora.md: `--enable-lora`,
// `--lora-modules name=path`, `--max-lora-rank`) and the LoRAX docs (models/adapters:
// `adapter_source: "local"` with `adapter_id` = the adapter's directory inside the container;
// getting_started/docker.md: the image listens on port 80, /data is the weight cache).

/** vLLM accepts only these --max-lora-rank values (LoRAConfig); newer releases add 320 and 512. */
export const VLLM_MAX_LORA_RANKS = [8, 16, 32, 64, 128, 256, 512] as const;

export const LORAX_IMAGE = 'ghcr.io/predibase/lorax:latest';
const PROMPT = 'Hello! Who are you?';

/** `support-bot-v1`: the LoRA name as a lowercase [a-z0-9-] slug, plus `-v{n}`. The served model name and the zip's folder. */
export function adapterName(modelName: string, number: number): string {
  const slug = modelName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return `${slug || 'lora'}-v${number}`;
}

/** The smallest --max-lora-rank vLLM accepts that holds rank `r`. */
export function vllmMaxLoraRank(r: number): number {
  return VLLM_MAX_LORA_RANKS.find((x) => x >= r) ?? VLLM_MAX_LORA_RANKS.at(-1)!;
}

const shellWord = (s: string) => (/^[A-Za-z0-9._\/:=@+-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

export interface ServingInput {
  adapterName: string;
  /** The base model as the server loads it: its Hugging Face repo (the catalog id when it has none). */
  baseModel: string;
  rank: number;
  files: string[];
  /** Set when the weights are a stand-in (cpu-reference) that a real base model cannot load. */
  warning: string | null;
}

export interface Serving {
  adapter_name: string;
  vllm: string;
  lorax: string;
  warning: string | null;
}

function preamble(s: ServingInput): string[] {
  return [
    ...(s.warning ? [`# NOTE: ${s.warning}`] : []),
    `# Put the adapter files in ./${s.adapterName}/ first ("Download all (.zip)" and unzip it here):`,
    ...s.files.map((f) => `#   ${s.adapterName}/${f}`),
  ];
}

export function vllmSnippet(s: ServingInput): string {
  const name = s.adapterName;
  return [
    ...preamble(s),
    `vllm serve ${shellWord(s.baseModel)} \\`,
    '  --enable-lora \\',
    `  --max-lora-rank ${vllmMaxLoraRank(s.rank)} \\`,
    `  --lora-modules ${name}=./${name}`,
    '',
    '# In another shell: the adapter is served as its own model name.',
    'curl http://localhost:8000/v1/chat/completions \\',
    '  -H "Content-Type: application/json" \\',
    "  -d '{",
    `    "model": "${name}",`,
    `    "messages": [{"role": "user", "content": "${PROMPT}"}],`,
    '    "max_tokens": 256',
    "  }'",
    '',
  ].join('\n');
}

export function loraxSnippet(s: ServingInput): string {
  const name = s.adapterName;
  return [
    ...preamble(s),
    '# HUGGING_FACE_HUB_TOKEN is passed through for gated base models.',
    'docker run --gpus all --shm-size 1g -p 8080:80 \\',
    '  -e HUGGING_FACE_HUB_TOKEN \\',
    '  -v "$PWD/data:/data" \\',
    `  -v "$PWD/${name}:/adapters/${name}:ro" \\`,
    `  ${LORAX_IMAGE} --model-id ${shellWord(s.baseModel)}`,
    '',
    '# In another shell: load the adapter from its local directory per request.',
    'curl http://127.0.0.1:8080/generate \\',
    '  -X POST \\',
    '  -H "Content-Type: application/json" \\',
    "  -d '{",
    `    "inputs": "${PROMPT}",`,
    '    "parameters": {',
    `      "adapter_id": "/adapters/${name}",`,
    '      "adapter_source": "local",',
    '      "max_new_tokens": 256',
    '    }',
    "  }'",
    '',
  ].join('\n');
}

export function buildServing(s: ServingInput): Serving {
  return { adapter_name: s.adapterName, vllm: vllmSnippet(s), lorax: loraxSnippet(s), warning: s.warning };
}

export interface ReadmeInput {
  title: string;
  folder: string;
  baseModel: string;
  files: { name: string; bytes: number | null; sha256: string | null }[];
  serving: Serving | null;
}

/** README.txt of the all-files zip: what is inside (with sha256) and, for text LoRAs, how to serve it. */
export function renderReadme(r: ReadmeInput): string {
  const lines = [
    r.title,
    '='.repeat(r.title.length),
    '',
    `Base model: ${r.baseModel}`,
    '',
    `Files (in ${r.folder}/):`,
    ...r.files.map((f) => `  ${f.name}  ${f.bytes ?? '?'} bytes  sha256 ${f.sha256 ?? 'not recorded'}`),
    '',
    `Check them with: sha256sum ${r.folder}/*`,
  ];
  if (r.serving) {
    lines.push('', `Serve with vLLM (adapter name: ${r.serving.adapter_name})`, '-'.repeat(40), r.serving.vllm, 'Serve with LoRAX', '-'.repeat(40), r.serving.lorax);
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
