'use client';
import { CircleAlert } from 'lucide-react';
import { EmptyState } from '@/components/empty-state';
import { Button } from '@/components/ui/button';

// Jobs pages read the database on the server; if that fails, say so and offer a retry.
export default function JobsError({ reset }: { error: Error; reset: () => void }) {
  return (
    <EmptyState
      icon={CircleAlert}
      title="Jobs could not be loaded"
      description="Something went wrong on our side while reading your training jobs. Try again; if it keeps happening, check the server log."
      action={
        <Button type="button" variant="outline" onClick={reset}>
          Try again
        </Button>
      }
    />
  );
}
