import { Skeleton } from '@/components/ui/skeleton';

export default function Loading() {
  return (
    <div className="max-w-6xl" aria-busy="true" aria-label="Loading the LoRA">
      <Skeleton className="mb-3 h-4 w-24" />
      <Skeleton className="mb-3 h-8 w-64" />
      <Skeleton className="mb-6 h-5 w-96" />
      <Skeleton className="mb-6 h-28 rounded-xl" />
      <Skeleton className="mb-4 h-10 w-80 rounded-lg" />
      <Skeleton className="h-72 rounded-xl" />
    </div>
  );
}
