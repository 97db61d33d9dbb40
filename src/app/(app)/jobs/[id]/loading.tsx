import { Skeleton } from '@/components/ui/skeleton';

export default function Loading() {
  return (
    <div className="max-w-6xl" aria-busy="true" aria-label="Loading the job">
      <Skeleton className="mb-3 h-4 w-24" />
      <Skeleton className="mb-3 h-8 w-80" />
      <Skeleton className="mb-6 h-5 w-[32rem]" />
      <Skeleton className="mb-6 h-36 rounded-xl" />
      <div className="grid gap-6 lg:grid-cols-2">
        <Skeleton className="h-80 rounded-xl" />
        <Skeleton className="h-80 rounded-xl" />
      </div>
    </div>
  );
}
