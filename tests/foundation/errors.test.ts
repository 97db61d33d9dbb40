import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, ConflictError, LimitExceededError, NotFoundError, PaymentRequiredError, PreconditionFailedError, STATUS_BY_CODE, UnauthorizedError, ValidationError } from '@/server/errors';
import { errorToResponse, validationFromZod } from '@/server/http/errors-response';
import { logger } from '@/server/http/logger';

const log = logger();

describe('error mapping', () => {
  it.each([
    [new NotFoundError('Dataset', 'ds_1'), 404, 'not_found', 'Dataset ds_1 was not found.'],
    [new ConflictError('Already committed.'), 409, 'conflict', 'Already committed.'],
    [new ValidationError('Bad.'), 422, 'unprocessable_entity', 'Bad.'],
    [new UnauthorizedError(), 401, 'unauthorized', 'Authentication required.'],
    [new PaymentRequiredError('Budget reached.'), 402, 'payment_required', 'Budget reached.'],
    [new PreconditionFailedError('Dataset not ready.'), 412, 'precondition_failed', 'Dataset not ready.'],
  ])('%s → %i with the house body shape', async (err, status, code, message) => {
    const res = errorToResponse(err, 'req_test', log);
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body).toEqual({ error: { code, message, request_id: 'req_test' } });
    expect(res.headers.get('x-request-id')).toBe('req_test');
  });

  it('rate limits carry Retry-After', async () => {
    const res = errorToResponse(new LimitExceededError('Slow down.', 12.2), 'req_x', log);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('13');
  });

  it('Zod errors become 422 with every issue in details', async () => {
    const schema = z.object({ name: z.string().min(1), rank: z.number().int().max(512) });
    const parsed = schema.safeParse({ name: '', rank: 1024 });
    expect(parsed.success).toBe(false);
    const res = errorToResponse(parsed.error!, 'req_z', log);
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.message).toMatch(/^Request is invalid at "name"/);
    expect(body.error.message).toMatch(/and 1 more problem/);
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual(['name', 'rank']);
    expect(validationFromZod(parsed.error!, 'Query').message).toMatch(/^Query is invalid/);
  });

  it('unknown errors → 500 with a generic message; the cause stays out of the body', async () => {
    const res = errorToResponse(new Error('db password is hunter2'), 'req_u', log);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text).error.code).toBe('internal_server_error');
  });

  it('every code has a status', () => {
    for (const [code, status] of Object.entries(STATUS_BY_CODE)) {
      expect(new AppError(code as keyof typeof STATUS_BY_CODE, 'x').status).toBe(status);
    }
  });
});
