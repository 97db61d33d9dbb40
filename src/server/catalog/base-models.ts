// Trainable base models (seeded). Throughput figures feed the cost/duration estimate:
// image = seconds per training step at 1024px batch 1 on one GPU; text = tokens/s per GPU.
// They are planning figures, not guarantees; the estimate says so.
import type { TrainingParams } from '@lora-studio/protocol';

export interface BaseModelSeed {
  id: string;
  name: string;
  modality: 'image' | 'text';
  family: 'flux' | 'sdxl' | 'llama' | 'qwen' | 'mistral';
  revision: string;
  hfRepo: string;
  license: string;
  minResolution: number | null;
  recommendedResolution: number | null;
  contextLength: number | null;
  /** The preset: protocol TrainingParams, so a key no worker accepts does not compile. */
  defaultParams: TrainingParams;
  supportedBackends: string[];
  throughput: Record<string, number>;
  loraWeight: { min: number; max: number; default: number } | null;
  sortOrder: number;
}

export const BASE_MODELS: readonly BaseModelSeed[] = [
  {
    id: 'flux-dev',
    name: 'FLUX.1 [dev]',
    modality: 'image',
    family: 'flux',
    revision: 'main',
    hfRepo: 'black-forest-labs/FLUX.1-dev',
    license: 'FLUX.1 [dev] Non-Commercial License',
    minResolution: 512,
    recommendedResolution: 1024,
    contextLength: null,
    defaultParams: { steps: 1000, learning_rate: 1e-4, resolution: 1024, rank: 16, alpha: 16, batch_size: 1 },
    supportedBackends: ['ai-toolkit', 'cpu-reference'],
    throughput: { a100_40gb: 1.6, a100_80gb: 1.4, h100_80gb: 0.9 },
    loraWeight: { min: 0, max: 1.5, default: 1 },
    sortOrder: 10,
  },
  {
    id: 'flux-schnell',
    name: 'FLUX.1 [schnell]',
    modality: 'image',
    family: 'flux',
    revision: 'main',
    hfRepo: 'black-forest-labs/FLUX.1-schnell',
    license: 'Apache-2.0',
    minResolution: 512,
    recommendedResolution: 1024,
    contextLength: null,
    defaultParams: { steps: 1000, learning_rate: 1e-4, resolution: 1024, rank: 16, alpha: 16, batch_size: 1 },
    supportedBackends: ['ai-toolkit', 'cpu-reference'],
    throughput: { a100_40gb: 1.6, a100_80gb: 1.4, h100_80gb: 0.9 },
    loraWeight: { min: 0, max: 1.5, default: 1 },
    sortOrder: 20,
  },
  {
    id: 'sdxl-base-1.0',
    name: 'Stable Diffusion XL base 1.0',
    modality: 'image',
    family: 'sdxl',
    revision: 'main',
    hfRepo: 'stabilityai/stable-diffusion-xl-base-1.0',
    license: 'CreativeML Open RAIL++-M',
    minResolution: 512,
    recommendedResolution: 1024,
    contextLength: null,
    defaultParams: { steps: 1500, learning_rate: 1e-4, resolution: 1024, rank: 16, alpha: 8, batch_size: 1 },
    supportedBackends: ['kohya', 'ai-toolkit', 'cpu-reference'],
    throughput: { a100_40gb: 0.9, a100_80gb: 0.8, h100_80gb: 0.5 },
    loraWeight: { min: 0, max: 1.5, default: 0.8 },
    sortOrder: 30,
  },
  {
    id: 'llama-3.1-8b-instruct',
    name: 'Llama 3.1 8B Instruct',
    modality: 'text',
    family: 'llama',
    revision: 'main',
    hfRepo: 'meta-llama/Llama-3.1-8B-Instruct',
    license: 'Llama 3.1 Community License',
    minResolution: null,
    recommendedResolution: null,
    contextLength: 8192,
    defaultParams: { epochs: 5, learning_rate: 2e-4, rank: 16, alpha: 32, batch_size: 8, dropout: 0.1 },
    supportedBackends: ['axolotl', 'cpu-reference'],
    throughput: { a100_40gb: 2600, a100_80gb: 3000, h100_80gb: 5200 },
    loraWeight: null,
    sortOrder: 40,
  },
  {
    id: 'qwen2.5-7b-instruct',
    name: 'Qwen2.5 7B Instruct',
    modality: 'text',
    family: 'qwen',
    revision: 'main',
    hfRepo: 'Qwen/Qwen2.5-7B-Instruct',
    license: 'Apache-2.0',
    minResolution: null,
    recommendedResolution: null,
    contextLength: 8192,
    defaultParams: { epochs: 5, learning_rate: 2e-4, rank: 16, alpha: 32, batch_size: 8, dropout: 0.1 },
    supportedBackends: ['axolotl', 'cpu-reference'],
    throughput: { a100_40gb: 2800, a100_80gb: 3200, h100_80gb: 5600 },
    loraWeight: null,
    sortOrder: 50,
  },
  {
    id: 'mistral-7b-instruct-v0.3',
    name: 'Mistral 7B Instruct v0.3',
    modality: 'text',
    family: 'mistral',
    revision: 'main',
    hfRepo: 'mistralai/Mistral-7B-Instruct-v0.3',
    license: 'Apache-2.0',
    minResolution: null,
    recommendedResolution: null,
    contextLength: 8192,
    defaultParams: { epochs: 5, learning_rate: 2e-4, rank: 16, alpha: 32, batch_size: 8, dropout: 0.1 },
    supportedBackends: ['axolotl', 'cpu-reference'],
    throughput: { a100_40gb: 2800, a100_80gb: 3200, h100_80gb: 5600 },
    loraWeight: null,
    sortOrder: 60,
  },
];
