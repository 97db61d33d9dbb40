import { ZodError } from 'zod';
import { AppError, LimitExceededError, ValidationError } from '@/server/errors';
import type { Logger } from './logger.ts';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; request_id?: string };
}

/** Zod issues → `details` entries an integrator can act on: a path and a message each. */
export function zodDetails(error: ZodError) {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', code: i.code, message: i.message }));
}

export function validationFromZod(error: ZodError, what = 'Request'): ValidationError {
  const first = error.issues[0];
  const where = first && first.path.length > 0 ? ` at "${first.path.map(String).join('.')}"` : '';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return new ValidationError(`${what} is invalid${where}: ${first?.message ?? 'invalid input'}${more}.`, zodDetails(error));
}

/** Map any thrown value to the house error shape. Unknown errors → 500, cause to the log only. */
export function errorToResponse(err: unknown, requestId: string, log: Logger): Response {
  const appError = err instanceof ZodError ? validationFromZod(err) : err instanceof AppError ? err : null;
  if (!appError) {
    log.error({ err, requestId }, 'unhandled error');
    return json(500, { error: { code: 'internal_server_error', message: 'Something went wrong on our side. Try again; if it keeps happening, quote the request id.', request_id: requestId } }, requestId);
  }
  if (appError.status >= 500) log.error({ err: appError, requestId }, appError.message);
  else log.info({ code: appError.code, requestId }, appError.message);
  const body: ErrorBody = { error: { code: appError.code, message: appError.message, request_id: requestId } };
  if (appError.details !== undefined) body.error.details = appError.details;
  const headers: Record<string, string> = {};
  if (appError instanceof LimitExceededError && appError.retryAfterSeconds) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(appError.retryAfterSeconds)));
  }
  return json(appError.status, body, requestId, headers);
}

export function json(status: number, body: unknown, requestId?: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...(requestId ? { 'x-request-id': requestId } : {}), ...headers },
  });
}
