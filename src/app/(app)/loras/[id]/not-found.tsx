import { Boxes } from 'lucide-react';
import Link from 'next/link';
import { EmptyState } from '@/components/empty-state';
import { Button } from '@/components/ui/button';

export default function NotFound() {
  return (
    <EmptyState
      icon={Boxes}
      title="LoRA not found"
      description="It may have been deleted, or it belongs to another workspace."
      action={
        <Button asChild variant="outline">
          <Link href="/loras">All LoRAs</Link>
        </Button>
      }
    />
  );
}
