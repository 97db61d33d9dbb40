// Loads a tiny base from the worker's assets folder (../../../../assets from this file, the
// same relative path from src/ and from dist/).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeSafetensors } from '@lora-studio/protocol';
import type { TinyKind } from './build.ts';
import { TINY_IMAGE, TINY_TEXT } from './spec.ts';

export interface TinyBase {
  kind: TinyKind;
  id: string;
  tensors: Map<string, { shape: number[]; data: Float32Array }>;
}

export function tinyBasePath(kind: TinyKind): string {
  const file = kind === 'image' ? TINY_IMAGE.file : TINY_TEXT.file;
  return fileURLToPath(new URL(`../../../../assets/${file}`, import.meta.url));
}

const cache = new Map<TinyKind, TinyBase>();

/** The frozen base; weights are shared, so callers must copy before modifying (applyLora does). */
export function loadTinyBase(kind: TinyKind): TinyBase {
  const hit = cache.get(kind);
  if (hit) return hit;
  const base = tinyBaseFromBytes(kind, readFileSync(tinyBasePath(kind)));
  cache.set(kind, base);
  return base;
}

export function tinyBaseFromBytes(kind: TinyKind, bytes: Uint8Array): TinyBase {
  const file = decodeSafetensors(bytes);
  const id = kind === 'image' ? TINY_IMAGE.id : TINY_TEXT.id;
  if (file.metadata.lora_studio_base !== id) throw new Error(`not the ${id} base (metadata says ${file.metadata.lora_studio_base ?? 'nothing'})`);
  const tensors = new Map(Object.entries(file.tensors).map(([name, t]) => [name, { shape: t.shape, data: file.getTensor(name) }]));
  return { kind, id, tensors };
}

export function baseTensor(base: TinyBase, name: string): Float32Array {
  const t = base.tensors.get(name);
  if (!t) throw new Error(`${base.id} has no tensor ${name}`);
  return t.data;
}
