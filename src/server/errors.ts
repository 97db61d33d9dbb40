// One error tree, one status table (STYLE.md §4). Services throw these; the route wrapper
// maps them to `{ error: { code, message, details? } }` with the status below. Anything
// else becomes a 500 with a generic message; the cause goes only to the log.

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'payment_required'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'unprocessable_entity'
  | 'rate_limit_exceeded'
  | 'internal_server_error'
  | 'service_unavailable';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unprocessable_entity: 422,
  rate_limit_exceeded: 429,
  internal_server_error: 500,
  service_unavailable: 503,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.status = STATUS_BY_CODE[code];
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, details?: unknown) {
    super('bad_request', message, details);
  }
}
export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required.') {
    super('unauthorized', message);
  }
}
export class PaymentRequiredError extends AppError {
  constructor(message: string, details?: unknown) {
    super('payment_required', message, details);
  }
}
export class ForbiddenError extends AppError {
  constructor(message = 'You do not have access to this resource.', details?: unknown) {
    super('forbidden', message, details);
  }
}
export class NotFoundError extends AppError {
  constructor(entity: string, id?: string) {
    super('not_found', id ? `${entity} ${id} was not found.` : `${entity} was not found.`);
  }
}
export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super('conflict', message, details);
  }
}
export class PreconditionFailedError extends AppError {
  constructor(message: string, details?: unknown) {
    super('precondition_failed', message, details);
  }
}
export class PayloadTooLargeError extends AppError {
  constructor(message: string, details?: unknown) {
    super('payload_too_large', message, details);
  }
}
export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('unprocessable_entity', message, details);
  }
}
export class LimitExceededError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
    details?: unknown,
  ) {
    super('rate_limit_exceeded', message, details);
  }
}
export class ServiceUnavailableError extends AppError {
  constructor(message: string, details?: unknown) {
    super('service_unavailable', message, details);
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/**
 * A stored object no longer matches what verification recorded (size or sha256): it is not
 * served. A 500 with a clear message — the fault is ours (storage changed under a sealed key),
 * and the route wrapper logs it at error level.
 */
export class IntegrityError extends AppError {
  constructor(message: string, details?: unknown) {
    super('internal_server_error', message, details);
  }
}
