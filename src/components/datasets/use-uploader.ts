'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, apiJson, fileProblemsOf } from './api.ts';
import { UPLOAD_CONCURRENCY, contentTypeOf, refusalOf, sameFile } from './file-rules.ts';
import { sha256Hex } from './sha256.ts';
import type { DatasetView, InitResult } from './types.ts';
import { putWithProgress } from './xhr-put.ts';

/**
 * A picked file's life: ready → uploading → uploaded (bytes in storage, key and sha256
 * known) → done (committed). `refused` never leaves the browser; `error` is retried by
 * the next upload run with a fresh signed URL.
 */
export type PickState = 'ready' | 'refused' | 'uploading' | 'uploaded' | 'done' | 'error';

export interface Pick {
  id: string;
  file: File;
  preview: string | null;
  state: PickState;
  loaded: number;
  error: string | null;
  key: string | null;
  sha256: string | null;
}

export type Phase = 'init' | 'upload' | 'commit' | null;

let seq = 0;
const nextId = () => `pick-${++seq}`;

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, lane));
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function useUploader({ modelId, datasetId, onCommitted }: { modelId: string; datasetId: string | null; onCommitted: (view: DatasetView) => void }) {
  const [picks, setPicks] = useState<Pick[]>([]);
  const [phase, setPhase] = useState<Phase>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const picksRef = useRef<Pick[]>(picks);
  // A dataset created by init whose commit failed: further files must join it, not start another.
  const createdDataset = useRef<string | null>(null);
  const previews = useRef(new Set<string>());

  useEffect(() => {
    picksRef.current = picks;
  }, [picks]);
  useEffect(() => {
    const urls = previews.current;
    return () => urls.forEach((u) => URL.revokeObjectURL(u));
  }, []);

  // Leaving the page mid-upload would drop the files that are not committed yet.
  useEffect(() => {
    if (!phase) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [phase]);

  const revoke = (p: Pick) => {
    if (!p.preview) return;
    URL.revokeObjectURL(p.preview);
    previews.current.delete(p.preview);
  };

  const patch = useCallback((id: string, change: Partial<Pick>) => {
    setPicks((ps) => ps.map((p) => (p.id === id ? { ...p, ...change } : p)));
  }, []);

  const add = useCallback((files: readonly File[]) => {
    setError(null);
    const current = picksRef.current;
    // A new batch replaces the rows of the last finished one.
    current.filter((p) => p.state === 'done').forEach(revoke);
    const kept = current.filter((p) => p.state !== 'done');
    const fresh: Pick[] = [];
    let repeated = 0;
    for (const file of files) {
      if ([...kept, ...fresh].some((p) => sameFile(p.file, file))) {
        repeated++;
        continue;
      }
      const refusal = refusalOf(file);
      const preview = refusal ? null : URL.createObjectURL(file);
      if (preview) previews.current.add(preview);
      fresh.push({ id: nextId(), file, preview, state: refusal ? 'refused' : 'ready', loaded: 0, error: refusal, key: null, sha256: null });
    }
    setNotice(repeated > 0 ? `${plural(repeated, 'file')} ${repeated === 1 ? 'was' : 'were'} already in the list.` : null);
    const next = [...kept, ...fresh];
    picksRef.current = next;
    setPicks(next);
  }, []);

  const remove = useCallback((id: string) => {
    const p = picksRef.current.find((x) => x.id === id);
    if (p) revoke(p);
    setPicks((ps) => ps.filter((x) => x.id !== id));
  }, []);

  const clearFinished = useCallback(() => {
    picksRef.current.filter((p) => p.state === 'done' || p.state === 'refused').forEach(revoke);
    setPicks((ps) => ps.filter((p) => p.state !== 'done' && p.state !== 'refused'));
    setNotice(null);
  }, []);

  /** Upload the ready/failed files 3 at a time, then commit everything uploaded. */
  const upload = useCallback(async () => {
    const all = picksRef.current;
    const toSend = all.filter((p) => p.state === 'ready' || p.state === 'error');
    const sent = new Map<string, { key: string; sha256: string }>();
    for (const p of all) if (p.state === 'uploaded' && p.key && p.sha256) sent.set(p.id, { key: p.key, sha256: p.sha256 });
    const failed = new Set<string>();
    let ds = datasetId ?? createdDataset.current;
    setError(null);
    setNotice(null);
    try {
      if (toSend.length > 0) {
        setPhase('init');
        toSend.forEach((p) => patch(p.id, { error: null, loaded: 0 }));
        const init = await apiJson<InitResult>('/api/lora/datasets/init', {
          method: 'POST',
          json: { model_id: modelId, ...(ds ? { dataset_id: ds } : {}), files: toSend.map((p) => ({ name: p.file.name, size: p.file.size, content_type: contentTypeOf(p.file) })) },
        }).catch((err: unknown) => {
          if (err instanceof ApiError) {
            for (const f of fileProblemsOf(err.details)) {
              const target = f.index !== null ? toSend[f.index] : toSend.find((p) => p.file.name === f.name);
              if (target) patch(target.id, { state: 'error', error: f.message });
            }
          }
          throw err;
        });
        ds = init.dataset_id;
        createdDataset.current = ds;
        setPhase('upload');
        const jobs = toSend.map((pick, i) => ({ pick, target: init.uploads[i]! }));
        await pool(jobs, UPLOAD_CONCURRENCY, async ({ pick, target }) => {
          patch(pick.id, { state: 'uploading', key: target.key, loaded: 0 });
          try {
            const [, sha256] = await Promise.all([putWithProgress(target, pick.file, (loaded) => patch(pick.id, { loaded })), sha256Hex(pick.file)]);
            sent.set(pick.id, { key: target.key, sha256 });
            patch(pick.id, { state: 'uploaded', sha256, loaded: pick.file.size });
          } catch (err) {
            failed.add(pick.id);
            patch(pick.id, { state: 'error', key: null, loaded: 0, error: `${pick.file.name}: ${(err as Error).message}` });
          }
        });
      }
      if (sent.size === 0 || !ds) return;
      setPhase('commit');
      // Commit in the order the person arranged the files, not the order uploads finished:
      // the dataset keeps that order.
      const order = new Map(all.map((p, i) => [p.id, i]));
      const entries = [...sent.entries()].sort(([a], [b]) => order.get(a)! - order.get(b)!);
      const view = await apiJson<DatasetView>('/api/lora/datasets/commit', {
        method: 'POST',
        json: { dataset_id: ds, files: entries.map(([, f]) => ({ key: f.key, sha256: f.sha256 })) },
      }).catch((err: unknown) => {
        if (err instanceof ApiError) {
          for (const f of fileProblemsOf(err.details)) {
            const hit = entries.find(([, e]) => e.key === f.key);
            if (hit) patch(hit[0], { state: 'error', key: null, sha256: null, loaded: 0, error: f.message });
          }
        }
        throw err;
      });
      entries.forEach(([id]) => patch(id, { state: 'done' }));
      onCommitted(view);
      setNotice(
        `${plural(entries.length, 'photo')} added to the dataset.` +
          (failed.size > 0 ? ` ${plural(failed.size, 'file')} failed to upload; try again or remove ${failed.size === 1 ? 'it' : 'them'}.` : ' Validate the dataset to check them.'),
      );
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setPhase(null);
    }
  }, [datasetId, modelId, onCommitted, patch]);

  return { picks, phase, error, notice, add, remove, clearFinished, upload };
}
