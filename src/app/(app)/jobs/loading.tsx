import { Skeleton } from '@/components/ui/skeleton';

export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading jobs">
      <Skeleton className="mb-2 h-8 w-32" />
      <Skeleton className="mb-6 h-4 w-72" />
      <Skeleton className="mb-4 h-7 w-full max-w-2xl" />
      <Skeleton className="h-64 rounded-xl" />
    </div>
  );
}
