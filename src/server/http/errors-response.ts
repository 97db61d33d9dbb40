import { isAPIError } from 'better-auth/api';
import { ZodError } from 'zod';
import { AppError, LimitExceededError, ValidationError, type ErrorCode } from '@/server/errors';
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

const AUTH_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  402: 'payment_required',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  422: 'unprocessable_entity',
  429: 'rate_limit_exceeded',
};

/**
 * Better Auth's APIError (thrown by `auth.api.*` inside a service) as an app error with the
 * library's status: a 4xx is the caller's problem and never a 500. The library's own code
 * (e.g. INVALID_NAME_LENGTH) goes in `details.auth_code`. Its 5xx stay unknown errors.
 */
export function fromAuthError(err: unknown): AppError | null {
  if (!isAPIError(err) || err.statusCode >= 500) return null;
  const code = AUTH_STATUS[err.statusCode] ?? 'bad_request';
  const body = err.body as { message?: unknown; code?: unknown } | undefined;
  const message = typeof body?.message === 'string' && body.message ? body.message : err.message || 'The request was refused.';
  return new AppError(code, message, typeof body?.code === 'string' ? { auth_code: body.code } : undefined, { cause: err });
}

/** Map any thrown value to the house error shape. Unknown errors → 500, cause to the log only. */
export function errorToResponse(err: unknown, requestId: string, log: Logger): Response {
  const appError = err instanceof ZodError ? validationFromZod(err) : err instanceof AppError ? err : fromAuthError(err);
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
