'use client';
import { CircleX, Info, ShieldCheck, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/utils';
import type { Issue, TextQualityReport } from '@/server/text-datasets/validation/report-schema';

const ISSUES_PAGE = 50;
const n = (x: number) => x.toLocaleString('en');

function Stat({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId?: string }) {
  return (
    <div className="rounded-lg border bg-card p-3">
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {sub ? <dd className="text-xs text-muted-foreground">{sub}</dd> : null}
    </div>
  );
}

function Verdict({ report }: { report: TextQualityReport }) {
  const ok = report.verdict === 'ready';
  const warn = ok && report.warning_count + report.error_count > 0;
  const Icon = ok ? (warn ? TriangleAlert : ShieldCheck) : CircleX;
  const title = ok ? (warn ? 'Ready to train, with findings' : 'Ready to train') : 'Rejected: fix the file and upload it again';
  return (
    <section
      role="status"
      aria-label={`Verdict: ${report.verdict}`}
      data-testid="text-verdict"
      data-verdict={report.verdict}
      className={cn('rounded-xl border p-4', ok ? (warn ? 'border-warning/60 bg-warning/10' : 'border-success/40 bg-success/10') : 'border-destructive/40 bg-destructive/5')}
    >
      <div className="flex items-start gap-3">
        <Icon className={cn('mt-0.5 size-6 shrink-0', ok ? (warn ? 'text-amber-600' : 'text-success') : 'text-destructive')} aria-hidden />
        <div>
          <h3 className="font-semibold">{title}</h3>
          <p className="text-sm text-muted-foreground" data-testid="text-good-lines">
            {n(report.records.good)} of {n(report.records.total)} {report.container === 'json_array' ? 'elements' : 'lines'} are good
            {report.records.bad > 0 ? `, ${n(report.records.bad)} have errors and are left out` : ''}
            {report.records.duplicates > 0 ? `, ${n(report.records.duplicates)} duplicates are left out` : ''}.
          </p>
        </div>
      </div>
      {report.reasons.length > 0 ? (
        <ul className="mt-3 list-disc pl-9 text-sm">
          {report.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function IssueTable({ title, issues, total, truncated, testId }: { title: string; issues: Issue[]; total: number; truncated: boolean; testId: string }) {
  const [shown, setShown] = useState(ISSUES_PAGE);
  if (total === 0) return null;
  return (
    <section aria-label={title} className="flex flex-col gap-2">
      <h4 className="text-sm font-semibold">
        {title} <span className="font-normal text-muted-foreground">({n(total)})</span>
      </h4>
      <div className="overflow-x-auto rounded-lg border">
        <table className="w-full text-sm" data-testid={testId}>
          <thead className="bg-muted/50 text-left text-xs text-muted-foreground">
            <tr>
              <th className="px-3 py-2 font-medium">Line</th>
              <th className="px-3 py-2 font-medium">Field</th>
              <th className="px-3 py-2 font-medium">Problem</th>
            </tr>
          </thead>
          <tbody>
            {issues.slice(0, shown).map((i, k) => (
              <tr key={`${i.line}-${i.path}-${i.code}-${k}`} className="border-t align-top" data-line={i.line ?? ''} data-path={i.path} data-code={i.code}>
                <td className="px-3 py-1.5 tabular-nums">{i.line ?? '—'}</td>
                <td className="px-3 py-1.5">{i.path ? <code className="text-xs">{i.path}</code> : <span className="text-muted-foreground">whole record</span>}</td>
                <td className="px-3 py-1.5">
                  {i.message} <span className="text-xs text-muted-foreground">({i.code})</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex items-center gap-3 text-xs text-muted-foreground">
        <span>
          Showing {n(Math.min(shown, issues.length))} of {n(total)}
          {truncated ? ` (the report keeps the first ${n(issues.length)}; every one is counted)` : ''}.
        </span>
        {shown < issues.length ? (
          <Button type="button" variant="outline" size="sm" onClick={() => setShown((s) => s + ISSUES_PAGE * 4)}>
            Show more
          </Button>
        ) : null}
      </div>
    </section>
  );
}

function Preview({ report }: { report: TextQualityReport }) {
  if (report.preview.length === 0) return null;
  return (
    <section aria-label="Preview" className="flex flex-col gap-2">
      <h4 className="text-sm font-semibold">First conversations</h4>
      <div className="grid gap-3 md:grid-cols-3" data-testid="text-preview">
        {report.preview.map((c) => (
          <article key={c.line} className="flex flex-col gap-2 rounded-lg border bg-card p-3 text-sm">
            <p className="text-xs text-muted-foreground">
              Line {c.line} · {c.format}
              {c.conversation_id ? ` · ${c.conversation_id}` : ''}
            </p>
            {c.messages.map((m, k) => (
              <div key={k} className={cn('rounded-md px-2 py-1', m.role === 'assistant' ? 'bg-primary/10' : m.role === 'system' ? 'bg-muted' : 'bg-secondary')}>
                <span className="text-xs font-medium uppercase text-muted-foreground">{m.role}</span>
                <p className="whitespace-pre-wrap break-words">
                  {m.content}
                  {m.truncated ? '…' : ''}
                </p>
              </div>
            ))}
          </article>
        ))}
      </div>
    </section>
  );
}

/** The text dataset's quality report: verdict, statistics, every error by line and field, a preview. */
export function TextReport({ report }: { report: TextQualityReport }) {
  const { stats, tokenizer } = report;
  const t = stats.tokens;
  return (
    <div className="flex flex-col gap-5" data-testid="text-report">
      <Verdict report={report} />
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Conversations" value={n(stats.conversations)} sub={`${n(stats.split.train)} train · ${n(stats.split.validation)} validation`} testId="stat-conversations" />
        <Stat label="Turns" value={n(stats.turns)} sub={`${n(stats.roles.assistant)} assistant · ${n(stats.roles.user)} user`} testId="stat-turns" />
        <Stat label={tokenizer.exact ? 'Tokens' : 'Tokens (approx.)'} value={n(t.total)} sub={`per conversation p50 ${n(t.per_conversation.p50)} · p99 ${n(t.per_conversation.p99)}`} testId="stat-tokens" />
        <Stat label="Per turn" value={n(Math.round(t.per_turn.mean))} sub={`mean; p50 ${n(t.per_turn.p50)} · p90 ${n(t.per_turn.p90)} · max ${n(t.per_turn.max)}`} />
      </dl>
      <p className="flex items-start gap-2 rounded-lg border bg-muted/30 p-3 text-sm" data-testid="tokenizer-note">
        <Info className="mt-0.5 size-4 shrink-0 text-primary" aria-hidden />
        <span>
          Tokens counted with <strong>{tokenizer.name}</strong>
          {tokenizer.exact ? '' : ' — an approximation'}
          {tokenizer.method === 'sample-extrapolated' && tokenizer.sample
            ? ` (exact on a sample of ${n(tokenizer.sample.conversations)} conversations, scaled by ${tokenizer.sample.correction_factor.toFixed(3)})`
            : ''}
          . {tokenizer.note} Context checked against {n(report.context_length)} tokens. Format: {report.formats.detected ?? 'none detected'}
          {report.formats.mixed ? ' (mixed formats)' : ''}.
        </span>
      </p>
      <IssueTable title="Errors" issues={report.errors} total={report.error_count} truncated={report.errors_truncated} testId="text-errors" />
      <IssueTable title="Warnings" issues={report.warnings} total={report.warning_count} truncated={report.warnings_truncated} testId="text-warnings" />
      <Preview report={report} />
    </div>
  );
}
