import { CircleAlert } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import type { StartProblem } from './start-job.ts';

export function StartProblemAlert({ problem }: { problem: StartProblem & { details?: string[] } }) {
  return (
    <Alert variant="destructive" className="flex items-start gap-2" data-testid="start-problem">
      <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
      <div className="flex flex-col gap-1">
        <p className="font-medium">{problem.title}</p>
        <p>{problem.message}</p>
        {problem.details && problem.details.length > 0 ? (
          <ul className="list-disc pl-4">
            {problem.details.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        ) : null}
        {problem.hint ? <p className="text-foreground/80">{problem.hint}</p> : null}
      </div>
    </Alert>
  );
}
