// @lora-studio/protocol — the worker protocol v1, shared by the app and the worker.
export * from './signing.ts';
export * from './schemas.ts';
export * from './state-machine.ts';
export * from './safetensors.ts';
export * from './lora-format.ts';
export * from './text.ts';
