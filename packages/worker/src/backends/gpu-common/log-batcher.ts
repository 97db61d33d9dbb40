// Groups tool output into `log` events: one event per burst instead of one per line, so a
// chatty tool does not turn into thousands of signed webhook calls.
import type { BackendEvent } from '../types.ts';

export class LogBatcher {
  private lines: string[] = [];
  private stream: 'stdout' | 'stderr' | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emit: (e: BackendEvent) => void,
    private readonly maxLines = 50,
    private readonly maxDelayMs = 1_000,
  ) {}

  add(text: string, stream: 'stdout' | 'stderr'): void {
    if (this.stream && stream !== this.stream) this.flush();
    this.stream = stream;
    this.lines.push(text);
    if (this.lines.length >= this.maxLines) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
  }

  /** Extra lines from the backend itself (warnings about ignored params…). */
  note(text: string): void {
    this.flush();
    this.emit({ type: 'log', lines: [text] });
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.lines.length > 0) this.emit({ type: 'log', lines: this.lines, ...(this.stream ? { stream: this.stream } : {}) });
    this.lines = [];
  }
}
