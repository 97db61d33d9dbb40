// Classifies a parsed safetensors header as a LoRA layout and reads its shape facts.
// The layout is the one most tensors follow; rank and alpha are the most common values across
// modules (ties → larger), since conv or per-module overrides may differ from the main rank.
import type { SafetensorsHeader } from '../safetensors/header.ts';
import { parseLoraKey, type LoraAlgo, type LoraKey, type LoraKeyStyle } from './keys.ts';

export type LoraFormat = 'kohya' | 'kohya-lycoris' | 'diffusers' | 'diffusers-legacy' | 'peft' | 'unknown';

export interface DetectedLora {
  format: LoraFormat;
  algo?: LoraAlgo;
  rank: number | null;
  alpha: number | null;
  tensorCount: number;
  /** Tensors that follow no LoRA naming rule (0 for a clean file). */
  unrecognizedTensorCount: number;
  /** Patched modules, LoRA suffixes removed, deduplicated and sorted. */
  targetModules: string[];
  baseModelHint: string | null;
  textEncoder: boolean;
  metadata: Record<string, string>;
}

export interface DetectOptions {
  /** Reads a tensor's values (e.g. `decodeSafetensors(bytes).getTensor`); enables alpha from `.alpha` tensors. */
  readTensor?: (name: string) => Float32Array;
  /** A PEFT `adapter_config.json` shipped with the weights (r, lora_alpha, base_model_name_or_path). */
  adapterConfig?: Record<string, unknown>;
}

type HeaderLike = Pick<SafetensorsHeader, 'tensors' | 'metadata'>;

export function detectLoraFormat(header: HeaderLike, opts: DetectOptions = {}): DetectedLora {
  const keys = Object.keys(header.tensors).map((name) => ({ name, key: parseLoraKey(name) }));
  const recognized = keys.filter((k): k is { name: string; key: LoraKey } => k.key !== null);
  const style = dominantStyle(recognized.map((k) => k.key.style));
  const modules = [...new Set(recognized.map((k) => k.key.module))].sort();
  const meta = header.metadata;
  const config = opts.adapterConfig ?? {};
  const format = style ? toFormat(style, modules, meta) : 'unknown';
  return {
    format,
    ...(format === 'unknown' ? {} : { algo: algoOf(format, recognized.map((k) => k.key), meta) }),
    rank: mode(recognized.flatMap(({ name, key }) => rankOf(key, header.tensors[name]!.shape))) ?? numberFrom(meta.ss_network_dim) ?? numberFrom(config.r),
    alpha: alphaFromTensors(recognized, opts.readTensor) ?? numberFrom(meta.ss_network_alpha) ?? numberFrom(config.lora_alpha),
    tensorCount: keys.length,
    unrecognizedTensorCount: keys.length - recognized.length,
    targetModules: modules,
    baseModelHint: firstText(meta.ss_base_model_version, meta.ss_sd_model_name, meta['modelspec.architecture'], meta.base_model_name_or_path, config.base_model_name_or_path),
    textEncoder: modules.some((m) => /^lora_te\d*_/.test(m) || /^(text_encoder(_\d)?|te\d?)\./.test(m)),
    metadata: meta,
  };
}

function dominantStyle(styles: (LoraKeyStyle | null)[]): LoraKeyStyle | null {
  const counts = new Map<LoraKeyStyle, number>();
  for (const s of styles) if (s) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

function toFormat(style: LoraKeyStyle, modules: string[], meta: Record<string, string>): LoraFormat {
  switch (style) {
    case 'kohya':
      return meta.ss_network_module?.startsWith('lycoris') ? 'kohya-lycoris' : 'kohya';
    case 'lycoris':
      return 'kohya-lycoris';
    case 'diffusers-legacy':
      return 'diffusers-legacy';
    case 'lora-ab':
      // PEFT wraps the model as base_model.model.*; diffusers prefixes the pipeline component.
      if (modules.some((m) => m.startsWith('base_model.model.'))) return 'peft';
      return modules.some((m) => /^(unet|transformer|text_encoder(_\d)?|prior)\./.test(m) || /(transformer_blocks|down_blocks|up_blocks)\./.test(m))
        ? 'diffusers'
        : 'peft';
  }
}

function algoOf(format: LoraFormat, keys: LoraKey[], meta: Record<string, string>): LoraAlgo {
  const fromKeys = keys.find((k) => k.style === 'lycoris')?.algo;
  if (fromKeys) return fromKeys;
  if (keys.some((k) => k.algo === 'dora')) return 'dora';
  if (format === 'kohya-lycoris') {
    const algo = networkArgs(meta).algo;
    return algo === 'lora' || algo === 'locon' ? (algo as LoraAlgo) : 'locon';
  }
  return 'lora';
}

/** The inner (rank) dimension this tensor exposes, if any: first dim of down/A, of lycoris `*_b`. */
function rankOf(key: LoraKey, shape: number[]): number[] {
  if (key.role === 'down' && shape.length >= 2) return [shape[0]!];
  if (key.role === 'part' && /^(lokr_w1_b|lokr_w2_b|hada_w1_b|hada_w2_b)$/.test(key.part ?? '') && shape.length >= 2) return [shape[0]!];
  return [];
}

function alphaFromTensors(keys: { name: string; key: LoraKey }[], read: DetectOptions['readTensor']): number | null {
  if (!read) return null;
  const values = keys.filter((k) => k.key.role === 'alpha').flatMap(({ name }) => {
    const v = read(name)[0];
    return v === undefined || !Number.isFinite(v) ? [] : [Number(v.toPrecision(7))];
  });
  return mode(values);
}

function mode(values: number[]): number | null {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? null;
}

function numberFrom(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

function firstText(...values: unknown[]): string | null {
  for (const v of values) if (typeof v === 'string' && v.trim() !== '' && v !== 'None') return v;
  return null;
}

function networkArgs(meta: Record<string, string>): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(meta.ss_network_args ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
