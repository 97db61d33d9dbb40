// The fence around the one server-side fetch of an outside URL (Replicate's weights), and
// the tar reader that unpacks Replicate's trained_model.tar on the way into storage.
import { describe, expect, it } from 'vitest';
import { copyReplicateWeights, WeightsRefused } from '@/server/providers/replicate/copy-weights';
import { tarMember } from '@/server/providers/replicate/tar';

function header(name: string, size: number, type: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}
const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);
const entry = (name: string, content: Buffer, type = '0') => Buffer.concat([header(name, content.length, type), pad(content)]);

async function* chunks(b: Buffer, size: number) {
  for (let i = 0; i < b.length; i += size) yield new Uint8Array(b.subarray(i, i + size));
}

describe('tarMember', () => {
  it('streams the first .safetensors member out, whatever the chunking, GNU long names included', async () => {
    const weights = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
    const longName = `output/${'x'.repeat(120)}/lora.safetensors`;
    const tar = Buffer.concat([
      entry('output/flux_train_replicate/config.yaml', Buffer.from('steps: 10\n')),
      entry('././@LongLink', Buffer.from(`${longName}\0`), 'L'),
      entry(longName.slice(0, 100), weights),
      entry('output/other.safetensors', Buffer.from('second')),
      Buffer.alloc(1024),
    ]);
    for (const size of [1, 7, 512, 4096, tar.length]) {
      const picked: string[] = [];
      const out: Buffer[] = [];
      for await (const c of tarMember(chunks(tar, size), (name) => (picked.push(name), name.endsWith('.safetensors')))) out.push(c);
      expect(Buffer.concat(out).equals(weights)).toBe(true);
      expect(picked.at(-1)).toBe(longName);
    }
  });

  it('refuses an archive without a .safetensors member, and a truncated one', async () => {
    const none = Buffer.concat([entry('a.txt', Buffer.from('hi')), Buffer.alloc(1024)]);
    await expect(async () => {
      for await (const _ of tarMember(chunks(none, 100), (n) => n.endsWith('.safetensors'))) void _;
    }).rejects.toThrow(/no \.safetensors/);
    const cut = entry('lora.safetensors', Buffer.alloc(2000, 1)).subarray(0, 1200);
    await expect(async () => {
      for await (const _ of tarMember(chunks(cut, 100), (n) => n.endsWith('.safetensors'))) void _;
    }).rejects.toThrow(/truncated/);
  });
});

describe('copyReplicateWeights fence', () => {
  it('never fetches a URL that is not https on an allow-listed host without port or credentials', async () => {
    for (const url of ['not a url', 'http://replicate.delivery/x.tar', 'https://evil.example/x.tar', 'https://replicate.delivery:8443/x.tar', 'https://u:p@replicate.delivery/x.tar', 'file:///etc/passwd', 'https://replicate.delivery.evil.example/x.tar']) {
      await expect(copyReplicateWeights(url, 'ws/ws_a/models/lm_a/versions/ver_a/a1-lora.safetensors'), url).rejects.toBeInstanceOf(WeightsRefused);
    }
  });
});
