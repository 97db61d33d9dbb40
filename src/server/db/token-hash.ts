import { createHash } from 'node:crypto';

/** `worker_tokens.token_hash`: the sha256 (hex) of the token; the token itself is never stored. */
export const hashWorkerToken = (token: string) => createHash('sha256').update(token).digest('hex');
