export type SafetensorsErrorCode =
  | 'truncated'
  | 'header_too_large'
  | 'invalid_header'
  | 'invalid_tensor'
  | 'unknown_dtype'
  | 'invalid_offsets'
  | 'invalid_metadata'
  | 'unsupported_dtype'
  | 'no_such_tensor';

/** Any way a safetensors file (or a request to read one) is wrong. The message names the tensor. */
export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';
  constructor(
    readonly code: SafetensorsErrorCode,
    message: string,
  ) {
    super(message);
  }
}
