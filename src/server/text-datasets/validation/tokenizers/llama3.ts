// The exact Llama 3 / 3.1 tokenizer (llama3-tokenizer-js: BPE with the vocabulary and merges
// baked into the package, nothing downloads). Loaded lazily because it costs ~90 MB of memory
// and ~0.4 s to load, and only the `llama3*` tokenizer options use it.
//
// Counting goes through a pre-token cache: Llama 3 cuts text with the regex below and runs
// BPE inside each piece independently, so a text's count is the sum of its pieces' counts.
// Most pieces are common words, so the cache answers them without running BPE — several
// times faster and far less garbage than encoding whole texts (which matters for memory on
// large files). Text that may hold special-token markup (`<|…|>`) is encoded whole, as the
// library then treats those markers specially. tokens.test.ts checks piece-sum == encode.

export interface ExactTokenizer {
  name: string;
  count(text: string): number;
}

// Llama 3's pre-tokenizer pattern (tokenizer.json), with the `(?i:…)` group spelled out for JS.
const PRETOKEN = /'(?:[sS]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;
const CACHE_MAX = 100_000;

let loading: Promise<ExactTokenizer> | null = null;

export function loadLlama3(): Promise<ExactTokenizer> {
  loading ??= import('llama3-tokenizer-js').then((m) => {
    const t = m.default;
    const encode = (s: string) => t.encode(s, { bos: false, eos: false }).length;
    const cache = new Map<string, number>();
    const piece = (p: string): number => {
      let n = cache.get(p);
      if (n === undefined) {
        n = encode(p);
        if (cache.size >= CACHE_MAX) cache.clear();
        cache.set(p, n);
      }
      return n;
    };
    const count = (text: string): number => {
      if (!text) return 0;
      if (text.includes('<|')) return encode(text);
      let n = 0;
      let prev = 0;
      for (const m of text.matchAll(PRETOKEN)) {
        if (prev < m.index) n += piece(text.slice(prev, m.index));
        n += piece(m[0]);
        prev = m.index + m[0].length;
      }
      if (prev < text.length) n += piece(text.slice(prev));
      return n;
    };
    return { name: 'Llama 3 BPE (llama3-tokenizer-js 1.2.0)', count };
  });
  return loading;
}
