import type { ErrorCode, Issue, WarningCode } from './report-schema.ts';
import type { IssueSink } from './types.ts';

// Collects issues: every one is counted (total and per code), the first `max` are kept.
// `begin(line)` starts a record; the same sink object is reused for every record so the hot
// path allocates nothing until something is wrong.

export class IssueLog implements IssueSink {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];
  errorCount = 0;
  warningCount = 0;
  readonly errorCounts: Partial<Record<ErrorCode, number>> = {};
  readonly warningCounts: Partial<Record<WarningCode, number>> = {};
  /** Errors reported since the last `begin`. */
  recordErrors = 0;
  private line: number | null = null;

  constructor(
    private readonly maxErrors: number,
    private readonly maxWarnings: number,
  ) {}

  begin(line: number): void {
    this.line = line;
    this.recordErrors = 0;
  }

  error(path: string, code: ErrorCode, message: string): void {
    this.addError(this.line, path, code, message);
    this.recordErrors++;
  }

  warn(path: string, code: WarningCode, message: string): void {
    this.addWarning(this.line, path, code, message);
  }

  addError(line: number | null, path: string, code: ErrorCode, message: string): void {
    this.errorCount++;
    this.errorCounts[code] = (this.errorCounts[code] ?? 0) + 1;
    if (this.errors.length < this.maxErrors) this.errors.push({ line, path, code, message });
  }

  addWarning(line: number | null, path: string, code: WarningCode, message: string): void {
    this.warningCount++;
    this.warningCounts[code] = (this.warningCounts[code] ?? 0) + 1;
    if (this.warnings.length < this.maxWarnings) this.warnings.push({ line, path, code, message });
  }

  /** Counts `n` more warnings of `code` whose details were not kept. */
  countWarnings(code: WarningCode, n: number): void {
    this.warningCount += n;
    this.warningCounts[code] = (this.warningCounts[code] ?? 0) + n;
  }

  get errorsTruncated(): boolean {
    return this.errorCount > this.errors.length;
  }

  get warningsTruncated(): boolean {
    return this.warningCount > this.warnings.length;
  }
}
