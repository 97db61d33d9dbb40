// Just enough of POSIX tar (ustar + GNU long names + pax paths) to stream ONE member out of
// an archive without buffering it: Replicate's trainers return `trained_model.tar` holding
// the .safetensors we want. Anything malformed stops with an error, never a guess.
type Source = AsyncIterator<Uint8Array>;

class ByteReader {
  private buf = Buffer.alloc(0);
  private done = false;
  constructor(private readonly src: Source) {}
  /** Exactly n bytes, or null at a clean end of input. */
  async read(n: number): Promise<Buffer | null> {
    if (this.buf.length < n && !this.done) {
      // Gather first, concatenate once: no quadratic copying on small chunks.
      const parts = [this.buf];
      let have = this.buf.length;
      while (have < n) {
        const next = await this.src.next();
        if (next.done) {
          this.done = true;
          break;
        }
        parts.push(Buffer.from(next.value));
        have += next.value.length;
      }
      this.buf = Buffer.concat(parts, have);
    }
    if (this.buf.length < n) {
      if (this.buf.length === 0) return null;
      throw new Error('tar archive is truncated');
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
}

const cstr = (b: Buffer) => b.toString('utf8', 0, b.indexOf(0) === -1 ? b.length : b.indexOf(0));
const octal = (b: Buffer) => {
  const text = cstr(b).trim();
  if (!/^[0-7]*$/.test(text)) throw new Error('tar header has a non-octal size');
  return text === '' ? 0 : parseInt(text, 8);
};

/** Streams the content of the first regular file whose name satisfies `pick`; throws if none. */
export async function* tarMember(source: AsyncIterable<Uint8Array>, pick: (name: string) => boolean): AsyncGenerator<Buffer, void, undefined> {
  const r = new ByteReader(source[Symbol.asyncIterator]());
  let longName: string | null = null;
  for (;;) {
    const h = await r.read(512);
    if (!h || h.every((x) => x === 0)) break;
    const size = octal(h.subarray(124, 136));
    const type = String.fromCharCode(h[156] ?? 0);
    const prefix = h.subarray(257, 262).toString() === 'ustar' ? cstr(h.subarray(345, 500)) : '';
    const name = longName ?? (prefix ? `${prefix}/${cstr(h.subarray(0, 100))}` : cstr(h.subarray(0, 100)));
    longName = null;
    const padded = Math.ceil(size / 512) * 512;
    if (type === 'L' || type === 'x') {
      const body = (await r.read(padded))!.subarray(0, size).toString('utf8');
      longName = type === 'L' ? body.replace(/\0+$/, '') : (/(?:^|\n)\d+ path=([^\n]*)\n/.exec(body)?.[1] ?? null);
      continue;
    }
    if ((type === '0' || type === '\0') && pick(name)) {
      for (let left = size; left > 0; ) {
        const n = Math.min(left, 1024 * 1024);
        yield (await r.read(n))!;
        left -= n;
      }
      return;
    }
    for (let left = padded; left > 0; ) {
      const n = Math.min(left, 1024 * 1024);
      if (!(await r.read(n))) throw new Error('tar archive is truncated');
      left -= n;
    }
  }
  throw new Error('the archive holds no .safetensors file');
}
