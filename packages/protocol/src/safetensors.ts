// Safetensors (https://github.com/huggingface/safetensors) without any native dependency:
// strict header parsing (also from the first bytes of a stream), decoding to Float32Array,
// and a deterministic encoder. Split by concern under ./safetensors/.
export * from './safetensors/errors.ts';
export * from './safetensors/dtype.ts';
export * from './safetensors/header.ts';
export * from './safetensors/stream.ts';
export * from './safetensors/decode.ts';
export * from './safetensors/encode.ts';
