// Reads --gpu-tools-config: a JSON object saying where the GPU tools live on this machine
// (see GpuToolConfig). Strict: an unknown key is a typo, and a typo would silently disable
// a backend.
import { readFileSync } from 'node:fs';
import type { GpuToolConfig } from '../backends/gpu-common/config.ts';

export class GpuToolsConfigError extends Error {}

type Env = Record<string, string | undefined>;

const GPU_TOOL_KEYS = ['aiToolkitDir', 'python', 'kohyaDir', 'accelerate', 'axolotlCommand'] as const;

export function readGpuToolsConfig(path: string, env: Env): GpuToolConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new GpuToolsConfigError(`cannot read --gpu-tools-config ${path}: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new GpuToolsConfigError(`${path} must hold a JSON object`);
  const obj = raw as Record<string, unknown>;
  const config: GpuToolConfig = {};
  for (const key of GPU_TOOL_KEYS) {
    if (obj[key] === undefined) continue;
    if (typeof obj[key] !== 'string') throw new GpuToolsConfigError(`${path}: "${key}" must be a string`);
    config[key] = obj[key];
  }
  for (const key of ['killGraceMs', 'pollMs'] as const) {
    if (obj[key] === undefined) continue;
    if (typeof obj[key] !== 'number' || !(obj[key] > 0)) throw new GpuToolsConfigError(`${path}: "${key}" must be a positive number`);
    config[key] = obj[key];
  }
  if (obj.modelPaths !== undefined) {
    const mp = obj.modelPaths;
    if (typeof mp !== 'object' || mp === null || Object.values(mp).some((v) => typeof v !== 'string')) {
      throw new GpuToolsConfigError(`${path}: "modelPaths" must map base-model ids to paths`);
    }
    config.modelPaths = mp as Record<string, string>;
  }
  const unknown = Object.keys(obj).filter((k) => ![...GPU_TOOL_KEYS, 'killGraceMs', 'pollMs', 'modelPaths'].includes(k));
  if (unknown.length) throw new GpuToolsConfigError(`${path}: unknown keys ${unknown.join(', ')}`);
  // The tools run with the worker's environment (the backends resolve bare commands on its
  // PATH) minus the worker's own settings: a training script has no business with its token.
  config.env = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string' && !e[0].startsWith('LORA_STUDIO_')),
  );
  return config;
}
