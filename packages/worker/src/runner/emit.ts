import type { EventData } from '../events/outbox.ts';
import type { WorkerEventType } from '@lora-studio/protocol';

/** Queues one protocol event for the current job attempt (seq and envelope are added later). */
export type Emit = <T extends WorkerEventType>(type: T, data: EventData<T>) => void;
