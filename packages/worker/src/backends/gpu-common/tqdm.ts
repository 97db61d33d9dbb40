// Reads one tqdm progress-bar line, the format all three tools draw:
//   "{desc}: {pct}%|{bar}| {n}/{total} [{elapsed}<{remaining}, {rate}{, postfix}]"
// Text a logger glued after the closing bracket (no newline in between) is ignored.
export interface TqdmLine {
  desc: string | null;
  n: number;
  total: number;
  /** Iterations per second, when the bar shows a rate. */
  itPerSec?: number;
  /** Everything after the rate, e.g. `avr_loss=0.862` or `lr: 1.0e-04 loss: 5.2e-01`. */
  postfix: string;
}

const BAR = /^(?:(.*?):\s*)?\d{1,3}%\|[^|]*\|\s*(\d+)\/(\d+)\s*\[([^\]]*)\]/;

export function parseTqdm(line: string): TqdmLine | null {
  const m = BAR.exec(line.trimStart());
  if (!m) return null;
  const [, desc, n, total, inner = ''] = m;
  const parts = inner.split(',').map((s) => s.trim());
  // parts[0] is "elapsed<remaining"; the rate, when present, is next.
  let itPerSec: number | undefined;
  let rest = parts.slice(1);
  const rate = /^([\d.]+)\s*(it\/s|s\/it)$/.exec(rest[0] ?? '');
  if (rate || /^\?\s*it\/s$/.test(rest[0] ?? '')) {
    if (rate) {
      const v = Number(rate[1]);
      itPerSec = rate[2] === 'it/s' ? v : v > 0 ? 1 / v : undefined;
    }
    rest = rest.slice(1);
  }
  return {
    desc: desc?.trim() ? desc.trim() : null,
    n: Number(n),
    total: Number(total),
    ...(itPerSec !== undefined && Number.isFinite(itPerSec) ? { itPerSec } : {}),
    postfix: rest.join(', '),
  };
}

/** A finite number from a log token (`5.226e-01`, `nan` → undefined). */
export function num(token: string | undefined): number | undefined {
  if (token === undefined) return undefined;
  const v = Number(token);
  return Number.isFinite(v) ? v : undefined;
}
