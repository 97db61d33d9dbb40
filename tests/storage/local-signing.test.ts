import { describe, expect, it } from 'vitest';
import { signLocalToken, verifyLocalToken, type LocalTokenPayload } from '@/server/storage/local-signing';

const KEY = 'k'.repeat(32);
const payload: LocalTokenPayload = { v: 1, key: 'ws/a/datasets/b/uploads/upl_1-x.jpg', method: 'PUT', contentType: 'image/jpeg', maxBytes: 10, exp: 1_000 };

describe('local signed-URL tokens', () => {
  it('round-trips and expires exactly at exp', () => {
    const token = signLocalToken(payload, KEY);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyLocalToken(token, KEY, 999_999)).toEqual({ ok: true, payload });
    expect(verifyLocalToken(token, KEY, 1_000_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects another key, any changed byte, and junk', () => {
    const token = signLocalToken(payload, KEY);
    expect(verifyLocalToken(token, 'j'.repeat(32), 0)).toEqual({ ok: false, reason: 'bad_signature' });
    const [p, s] = token.split('.') as [string, string];
    const bumped = Buffer.from(JSON.stringify({ ...payload, maxBytes: 10_000 })).toString('base64url');
    expect(verifyLocalToken(`${bumped}.${s}`, KEY, 0)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyLocalToken(`${p}.${s.slice(0, -1)}`, KEY, 0)).toEqual({ ok: false, reason: 'bad_signature' });
    for (const junk of ['', '.', 'a', 'a.b.c', `${p}.`, `.${s}`, `${p}!.${s}`]) expect(verifyLocalToken(junk, KEY, 0).ok, junk).toBe(false);
  });

  it('a correctly signed payload with an unsafe key or unknown field is still malformed', () => {
    for (const bad of [{ ...payload, key: '../x' }, { ...payload, extra: 1 }, { ...payload, method: 'DELETE' }, { ...payload, v: 2 }]) {
      expect(verifyLocalToken(signLocalToken(bad as LocalTokenPayload, KEY), KEY, 0)).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});
