import { ListChecks } from 'lucide-react';
import Link from 'next/link';
import { EmptyState } from '@/components/empty-state';
import { Button } from '@/components/ui/button';

export default function NotFound() {
  return (
    <EmptyState
      icon={ListChecks}
      title="Job not found"
      description="It may belong to another workspace, or the LoRA it trained was deleted."
      action={
        <Button asChild variant="outline">
          <Link href="/jobs">All jobs</Link>
        </Button>
      }
    />
  );
}
