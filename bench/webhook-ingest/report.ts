// Shared by the webhook-ingest and sse-fanout benches: percentiles, the machine line, and a
// RESULTS.md that keeps one section per database, so the PGlite run and the Postgres run sit
// side by side and re-running one replaces only its own section.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '–');

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const median = (xs: readonly number[]) => percentile(xs, 50);

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${fmt(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** The database under test, as a sentence: engine, version, and how many connections the app may use. */
export async function describeDatabase(): Promise<string> {
  const { getDbHandle } = await import('@/server/db');
  const { sql } = await import('drizzle-orm');
  const h = await getDbHandle();
  const rows = (await h.db.execute(sql`SELECT version() AS v`)) as unknown as { rows?: { v: string }[] } | { v: string }[];
  const version = (Array.isArray(rows) ? rows[0]?.v : rows.rows?.[0]?.v) ?? 'unknown version';
  const short = version.split(' ').slice(0, 2).join(' ');
  return h.kind === 'pglite'
    ? `PGlite (in-process WASM ${short}, in memory; ONE connection: every query of every request is serialized)`
    : `Postgres server (${short}) over TCP on loopback; app pool max ${h.pool?.options.max ?? '?'} connections plus one LISTEN connection`;
}

/** Replace (or add) this database's section of bench/<name>/RESULTS.md; other sections stay. */
export function writeResultsSection(file: URL, title: string, intro: string, section: string, body: string): string {
  const start = `<!-- section:${section} -->`;
  const end = `<!-- /section:${section} -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const sections = [...current.matchAll(/<!-- section:([\w-]+) -->[\s\S]*?<!-- \/section:\1 -->/g)].map((m) => ({ name: m[1]!, text: m[0] }));
  const others = sections.filter((s) => s.name !== section);
  const ordered = [...others, { name: section, text: block }].sort((a, b) => a.name.localeCompare(b.name));
  const md = `# ${title}\n\n${intro.trim()}\n\n${ordered.map((s) => s.text).join('\n\n')}\n`;
  writeFileSync(file, md);
  return md;
}
