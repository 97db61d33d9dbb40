// JSON answers of the push server, errors in the house shape `{ error: { code, message, details? } }`
// with the app's code names (src/server/errors.ts), so the control plane reads one format.
import type { ServerResponse } from 'node:http';

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unprocessable_entity'
  | 'rate_limit_exceeded'
  | 'service_unavailable'
  | 'internal_server_error';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendError(res: ServerResponse, err: HttpError): void {
  const error = { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) };
  sendJson(res, err.status, { error }, err.headers);
}
