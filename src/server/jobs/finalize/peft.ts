// A text LoRA's adapter_config.json checked against the request and against the weights it
// ships with. vLLM and LoRAX size their buffers from `r` and pick modules from
// `target_modules`, so a config that disagrees with the tensors loads wrong or not at all;
// one that disagrees with the request means the run did not train what was asked for.
import { parseLoraKey, type SafetensorsHeader, type TrainingParams } from '@lora-studio/protocol';

export interface PeftRequest {
  params: TrainingParams;
  backend: string | null;
  base: { id: string; hfRepo: string | null };
}

/** The cpu-reference text backend's built-in base (packages/worker …/tiny-base/spec.ts, TINY_TEXT.id). */
const CPU_REFERENCE_TEXT_BASE = /^lora-studio-tiny-text-v\d+$/;
const PEFT_PREFIX = /^base_model\.model\./;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const lastSegment = (name: string) => name.replace(PEFT_PREFIX, '').split('.').at(-1)!;
const list = (xs: Iterable<string>) => `[${[...xs].sort().join(', ')}]`;

/** PEFT matches list entries against the end of the module path, and a string as a full-match regex. */
function targets(config: unknown, module: string): boolean {
  const m = module.replace(PEFT_PREFIX, '');
  if (Array.isArray(config)) return config.some((t) => typeof t === 'string' && (m === t || m.endsWith(`.${t}`)));
  if (typeof config !== 'string') return false;
  if (config === 'all-linear') return true;
  try {
    return new RegExp(`^(?:${config})$`).test(m);
  } catch {
    return false;
  }
}

/** rank_pattern overrides r for modules whose path ends with (or matches) its key. */
function rankFor(module: string, r: number, rankPattern: unknown): number {
  if (typeof rankPattern !== 'object' || rankPattern === null) return r;
  const m = module.replace(PEFT_PREFIX, '');
  for (const [k, v] of Object.entries(rankPattern as Record<string, unknown>)) {
    if ((m === k || m.endsWith(`.${k}`)) && num(v) !== null) return num(v)!;
  }
  return r;
}

function checkTensors(header: Pick<SafetensorsHeader, 'tensors'>, config: Record<string, unknown>, r: number): string | null {
  const pairs = new Map<string, { A?: number[]; B?: number[] }>();
  for (const [name, t] of Object.entries(header.tensors)) {
    const key = parseLoraKey(name);
    if (!key || key.style !== 'lora-ab' || (key.role !== 'down' && key.role !== 'up')) continue;
    const p = pairs.get(key.module) ?? {};
    p[key.role === 'down' ? 'A' : 'B'] = t.shape;
    pairs.set(key.module, p);
  }
  if (pairs.size === 0) return 'the weights hold no lora_A / lora_B tensors';
  for (const [module, { A, B }] of pairs) {
    if (!A || !B) return `${module} has ${A ? 'lora_A' : 'lora_B'} but no ${A ? 'lora_B' : 'lora_A'}`;
    const want = rankFor(module, r, config.rank_pattern);
    if (A.length !== 2 || A[0] !== want) return `${module}.lora_A has shape [${A.join(', ')}], but r=${want} needs [${want}, in]`;
    if (B.length !== 2 || B[1] !== want) return `${module}.lora_B has shape [${B.join(', ')}], but r=${want} needs [out, ${want}]`;
    if (!targets(config.target_modules, module)) return `${module} is adapted but not in target_modules ${JSON.stringify(config.target_modules)}`;
  }
  return null;
}

function checkTargetsAgainstRequest(configTargets: unknown, req: PeftRequest): string | null {
  const requested = req.params.target_modules;
  // Nothing asked for, or "every linear layer": the backend chose, and the tensors were checked above.
  if (!requested?.length || requested.includes('all-linear') || !Array.isArray(configTargets)) return null;
  const want = new Set(requested.map(lastSegment));
  const got = new Set(configTargets.filter((t): t is string => typeof t === 'string').map(lastSegment));
  const extra = [...got].filter((t) => !want.has(t));
  if (extra.length > 0) return `target_modules ${list(got)} include ${list(extra)}, which the job did not ask for (${list(want)})`;
  // cpu-reference trains the projections its tiny base has and logs the ones it skipped; a
  // real trainer gets the list verbatim, so anything missing there is a real mismatch.
  const missing = [...want].filter((t) => !got.has(t));
  if (missing.length > 0 && req.backend !== 'cpu-reference') return `target_modules ${list(got)} lack ${list(missing)}, which the job asked for`;
  return null;
}

function checkBaseName(value: unknown, req: PeftRequest): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'it names no base_model_name_or_path';
  const name = value.trim();
  const expected = req.base.hfRepo ?? req.base.id;
  if ([req.base.hfRepo, req.base.id].some((e) => e && e.toLowerCase() === name.toLowerCase())) return null;
  // Expected for cpu-reference ONLY: it trains against its built-in tiny text base and writes
  // that id. verify.ts marks such an artifact as a stand-in (meta.stand_in); a real backend
  // naming the tiny base is refused below like any other wrong base.
  if (req.backend === 'cpu-reference' && CPU_REFERENCE_TEXT_BASE.test(name)) return null;
  // An operator-pinned local snapshot (absolute path, HF cache) cannot be told apart by name;
  // the module-layout check in verify.ts still applies to it.
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) return null;
  return `it was trained on ${name}, the job asked for ${expected}`;
}

/** Null when adapter_config.json agrees with the request and the tensors; otherwise why not. */
export function checkPeftConfig(header: Pick<SafetensorsHeader, 'tensors'>, config: Record<string, unknown>, req: PeftRequest): string | null {
  if (typeof config.peft_type === 'string' && config.peft_type.toUpperCase() !== 'LORA') return `adapter_config.json has peft_type ${config.peft_type}, not LORA`;
  const r = num(config.r);
  if (r === null || !Number.isInteger(r) || r < 1) return 'adapter_config.json has no valid r';
  const alpha = num(config.lora_alpha);
  if (alpha === null || alpha <= 0) return 'adapter_config.json has no valid lora_alpha';
  const { rank, alpha: wantAlpha } = req.params;
  if (rank !== undefined && r !== rank) return `adapter_config.json has r=${r}, the job asked for rank ${rank}`;
  if (wantAlpha !== undefined && Math.abs(alpha - wantAlpha) > 1e-6 * Math.max(1, wantAlpha)) {
    return `adapter_config.json has lora_alpha=${alpha}, the job asked for alpha ${wantAlpha}`;
  }
  const tensors = checkTensors(header, config, r);
  if (tensors) return `the weights do not match adapter_config.json: ${tensors}`;
  const t = checkTargetsAgainstRequest(config.target_modules, req);
  if (t) return `adapter_config.json ${t}`;
  const base = checkBaseName(config.base_model_name_or_path, req);
  if (base) return `adapter_config.json does not fit the requested base: ${base}`;
  return null;
}
