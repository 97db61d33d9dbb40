// Issue #11 / #7: Postgres text and jsonb cannot hold U+0000, and jsonb refuses an unpaired
// surrogate escape. Every string a client sends — body, query, path — is refused at the
// boundary with a 422 that names the field, instead of reaching the database as a 500.
import { beforeAll, describe, expect, it } from 'vitest';
import * as keysRoute from '@/app/api/api-keys/route';
import * as initRoute from '@/app/api/lora/datasets/init/route';
import * as modelRoute from '@/app/api/lora/models/[id]/route';
import * as modelsRoute from '@/app/api/lora/models/route';
import { handleAuthRequest } from '@/server/auth/handler';
import { call } from '../helpers/http.ts';
import { randomIp, signUp, type TestUser } from '../helpers/users.ts';

let user: TestUser;
let imageModelId: string;
let textModelId: string;

beforeAll(async () => {
  user = await signUp('Text Boundary');
  const image = await call(modelsRoute.POST, '/api/lora/models', { cookie: user.cookie, body: { name: 'Photo LoRA', kind: 'identity' } });
  const text = await call(modelsRoute.POST, '/api/lora/models', { cookie: user.cookie, body: { name: 'Chat LoRA', modality: 'text', kind: 'chat' } });
  expect([image.status, text.status]).toEqual([201, 201]);
  imageModelId = image.body.id;
  textModelId = text.body.id;
});

const BAD = [
  { what: 'a NUL character', value: 'Ada\u0000portrait', inUrl: true },
  { what: 'a lone high surrogate', value: 'Ada\ud800portrait', inUrl: false },
  { what: 'a lone low surrogate', value: 'Ada\udc00portrait', inUrl: false },
];

type Case = { route: string; field: string; send: (bad: string) => ReturnType<typeof call> };
const CASES: Case[] = [
  { route: 'POST /api/lora/models', field: 'name', send: (bad) => call(modelsRoute.POST, '/api/lora/models', { cookie: user.cookie, body: { name: bad, kind: 'identity' } }) },
  { route: 'POST /api/lora/models', field: 'description', send: (bad) => call(modelsRoute.POST, '/api/lora/models', { cookie: user.cookie, body: { name: 'Fine', description: bad, kind: 'identity' } }) },
  { route: 'PATCH /api/lora/models/:id', field: 'name', send: (bad) => call(modelRoute.PATCH, `/api/lora/models/${imageModelId}`, { method: 'PATCH', cookie: user.cookie, params: { id: imageModelId }, body: { name: bad } }) },
  { route: 'PATCH /api/lora/models/:id', field: 'description', send: (bad) => call(modelRoute.PATCH, `/api/lora/models/${imageModelId}`, { method: 'PATCH', cookie: user.cookie, params: { id: imageModelId }, body: { description: bad } }) },
  { route: 'POST /api/api-keys', field: 'name', send: (bad) => call(keysRoute.POST, '/api/api-keys', { cookie: user.cookie, body: { name: bad } }) },
  {
    route: 'POST /api/lora/datasets/init (photos)',
    field: 'files.1.name',
    send: (bad) => call(initRoute.POST, '/api/lora/datasets/init', { cookie: user.cookie, body: { model_id: imageModelId, files: [{ name: 'ok.jpg', size: 1000, content_type: 'image/jpeg' }, { name: `${bad}.jpg`, size: 1000, content_type: 'image/jpeg' }] } }),
  },
  {
    route: 'POST /api/lora/datasets/init (conversations)',
    field: 'files.0.name',
    send: (bad) => call(initRoute.POST, '/api/lora/datasets/init', { cookie: user.cookie, body: { model_id: textModelId, files: [{ name: `${bad}.jsonl`, size: 1000, content_type: 'application/jsonl' }] } }),
  },
  { route: 'GET /api/lora/models?q=', field: 'q', send: (bad) => call(modelsRoute.GET, `/api/lora/models?q=${encodeURIComponent(bad)}`, { cookie: user.cookie }) },
  { route: 'GET /api/lora/models/:id', field: 'id', send: (bad) => call(modelRoute.GET, `/api/lora/models/x`, { cookie: user.cookie, params: { id: `lm_${bad}` } }) },
];

describe('NUL and unpaired surrogates are refused at the boundary (422 naming the field)', () => {
  for (const c of CASES) {
    for (const b of BAD) {
      // The query case cannot carry a lone surrogate (URLs are UTF-8); only NUL applies there.
      if (c.field === 'q' && !b.inUrl) continue;
      it(`${c.route}: ${c.field} with ${b.what} → 422`, async () => {
        const res = await c.send(b.value);
        expect(res.status).toBe(422);
        expect(res.body.error.code).toBe('unprocessable_entity');
        expect(res.body.error.message).toContain(`"${c.field}"`);
        expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: c.field })]));
      });
    }
  }

  it('a property name with a NUL is refused too, and clean text still passes', async () => {
    const key = await call(keysRoute.POST, '/api/api-keys', { cookie: user.cookie, rawBody: '{"name":"fine","x\\u0000y":1}' });
    expect(key.status).toBe(422);
    expect(key.body.error.details[0].path).toMatch(/^x/);
    const ok = await call(modelsRoute.POST, '/api/lora/models', { cookie: user.cookie, body: { name: 'Zoë 😀 \t tab', kind: 'identity' } });
    expect(ok.status).toBe(201);
    expect(ok.body.name).toBe('Zoë 😀 \t tab');
  });

  it("Better Auth's own routes: a sign-up name with a NUL or a lone surrogate → 422, never 500", async () => {
    for (const name of ['Ada\u0000', 'Ada\ud800']) {
      const res = await call((r: Request) => handleAuthRequest(r, 'POST'), '/api/auth/sign-up/email', {
        body: { email: `nul-${Math.random().toString(16).slice(2)}@example.test`, password: 'pw-0123456789', name },
        headers: { 'x-forwarded-for': randomIp() },
      });
      expect(res.status).toBe(422);
      expect(res.body.error.details[0].path).toBe('name');
    }
  });
});
