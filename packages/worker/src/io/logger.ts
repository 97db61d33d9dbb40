// The worker's own diagnostics (not the job log, which goes to the control plane as job.log).
// One line per message on stderr so stdout stays free for `--help` and scripts.

export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

function line(level: string, message: string, fields?: LogFields): string {
  const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  return `${new Date().toISOString()} ${level} ${message}${extra}\n`;
}

export function createStderrLogger(prefix = 'lora-studio-worker'): Logger {
  const write = (level: string) => (message: string, fields?: LogFields) => {
    process.stderr.write(`[${prefix}] ${line(level, message, fields)}`);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
