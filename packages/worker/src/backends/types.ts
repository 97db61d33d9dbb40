// The trainer backend contract. The worker runner (src/runner.ts) owns the job lifecycle:
// it downloads and checks the dataset, calls `run`, turns emitted events into signed
// protocol events, uploads outputs, and reports success or failure. A backend only
// trains: it reads inputs from disk, writes outputs to disk, and reports what happens.
import type { JobSpec } from '@lora-studio/protocol';

export type BackendId = 'cpu-reference' | 'ai-toolkit' | 'kohya' | 'axolotl';

export type BackendEvent =
  | { type: 'progress'; step: number; totalSteps: number; epoch?: number; totalEpochs?: number; stage?: string }
  | {
      type: 'metrics';
      step: number;
      loss?: number;
      valLoss?: number;
      learningRate?: number;
      gradNorm?: number;
      throughput?: number; // samples/s for images, tokens/s for text
      gpuUtil?: number; // 0..100
      vramMb?: number;
    }
  | { type: 'log'; lines: string[]; stream?: 'stdout' | 'stderr' }
  | { type: 'checkpoint'; step: number; path: string }
  | { type: 'sample'; step: number; path: string; prompt?: string; contentType: string };

export interface BackendContext {
  spec: JobSpec;
  /** Scratch directory owned by this job; removed by the runner afterwards. */
  workDir: string;
  /** Dataset already downloaded, sha256-checked and unpacked here (images + captions, or the JSONL file). */
  datasetDir: string;
  /** Aborted on cancel or shutdown; a backend must stop within seconds and throw `BackendCanceled`. */
  signal: AbortSignal;
  emit: (event: BackendEvent) => void;
}

export interface BackendOutputFile {
  /** Path on disk. */
  path: string;
  /** File name in the published artifact set, e.g. `adapter_config.json`. */
  name: string;
  contentType: string;
}

export interface BackendResult {
  /** The main weights file (`.safetensors`). */
  artifactPath: string;
  /** Extra files that belong with the artifact (PEFT `adapter_config.json`, tokenizer files…). */
  extraFiles: BackendOutputFile[];
  /** Free-form summary stored on the version (final loss, steps, …). */
  summary: Record<string, number | string | boolean | null>;
}

export interface TrainerBackend {
  id: BackendId;
  /** Null when this backend can run the spec here, otherwise a human-readable reason. */
  cannotRun(spec: JobSpec): string | null;
  run(ctx: BackendContext): Promise<BackendResult>;
}

export class BackendCanceled extends Error {
  constructor() {
    super('canceled');
    this.name = 'BackendCanceled';
  }
}

/** A failure the backend understood (bad config, tool error…), with the tool's last lines. */
export class BackendFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly lastLines: string[] = [],
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'BackendFailed';
  }
}
