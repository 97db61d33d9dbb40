'use client';
import { Dumbbell, History, type LucideIcon } from 'lucide-react';
import { TabsList, TabsTrigger } from '@/components/ui/tabs';

/** The LoRA page's three sections, the same for photo and chat LoRAs: data, training, versions. */
export function LoraTabsList({ dataIcon: DataIcon, dataLabel, count, ready }: { dataIcon: LucideIcon; dataLabel: string; count: string | null; ready: boolean }) {
  return (
    <TabsList aria-label="LoRA sections">
      <TabsTrigger value="dataset">
        <DataIcon className="size-4" aria-hidden /> {dataLabel}
        {count !== null ? <span className="rounded-full bg-muted px-1.5 text-xs tabular-nums text-muted-foreground">{count}</span> : null}
      </TabsTrigger>
      <TabsTrigger value="training">
        <Dumbbell className="size-4" aria-hidden /> Training
        {ready ? (
          <>
            <span className="size-1.5 rounded-full bg-success" aria-hidden />
            <span className="sr-only">(ready)</span>
          </>
        ) : null}
      </TabsTrigger>
      <TabsTrigger value="versions">
        <History className="size-4" aria-hidden /> Versions
      </TabsTrigger>
    </TabsList>
  );
}
