import { formatBytes } from '@/components/datasets/file-rules';
import { CopyButton } from '@/components/loras/copy-button';
import type { Checkpoint } from './stream-state.ts';

/** Intermediate weights the worker saved (this attempt), with the sha256 it reported. */
export function CheckpointsList({ checkpoints, every }: { checkpoints: Checkpoint[]; every: number }) {
  if (checkpoints.length === 0) {
    return (
      <p className="text-sm text-muted-foreground" data-testid="checkpoints-empty">
        {every > 0
          ? `No checkpoints yet: the worker saves one every ${every.toLocaleString('en')} steps.`
          : 'This run keeps only the final weights. Set “Checkpoint every” in the training form’s advanced settings to keep intermediate ones.'}
      </p>
    );
  }
  return (
    <table className="w-full text-sm" data-testid="checkpoints">
      <thead className="text-left text-xs text-muted-foreground">
        <tr>
          <th className="py-1.5 font-medium">Step</th>
          <th className="py-1.5 text-right font-medium">Size</th>
          <th className="py-1.5 pl-4 font-medium">SHA-256</th>
        </tr>
      </thead>
      <tbody>
        {checkpoints.map((c) => (
          <tr key={`${c.attempt}:${c.step}`} className="border-t" data-testid="checkpoint">
            <td className="py-1.5 tabular-nums">{c.step.toLocaleString('en')}</td>
            <td className="py-1.5 text-right tabular-nums text-muted-foreground">{formatBytes(c.bytes)}</td>
            <td className="py-1.5 pl-4">
              <span className="inline-flex items-center gap-1">
                <code className="font-mono text-xs" title={c.sha256}>
                  {c.sha256.slice(0, 12)}…
                </code>
                <CopyButton text={c.sha256} label={`Copy the checksum of the step ${c.step} checkpoint`} />
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
