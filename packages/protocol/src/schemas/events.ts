import { z } from 'zod';
import { Attempt, IsoDateTime, JobId } from './common.ts';
import {
  JobCanceledData,
  JobCheckpointData,
  JobFailedData,
  JobLogData,
  JobMetricsData,
  JobProgressData,
  JobSampleData,
  JobStartedData,
  JobSucceededData,
} from './events-data.ts';

// Every event shares one envelope; `(job_id, attempt, seq)` is unique, which is what makes
// duplicate and out-of-order deliveries harmless on the receiving side.
function eventSchema<T extends string, D extends z.ZodObject>(type: T, data: D) {
  return z
    .object({
      type: z.literal(type).describe('Event type'),
      job_id: JobId,
      attempt: Attempt,
      seq: z.int().min(0).describe('Strictly increasing per job attempt, starting at 0'),
      occurred_at: IsoDateTime.describe('When it happened on the worker'),
      data,
    })
    .describe(`${type} event`);
}

export const JobStartedEvent = eventSchema('job.started', JobStartedData);
export const JobProgressEvent = eventSchema('job.progress', JobProgressData);
export const JobMetricsEvent = eventSchema('job.metrics', JobMetricsData);
export const JobLogEvent = eventSchema('job.log', JobLogData);
export const JobCheckpointEvent = eventSchema('job.checkpoint', JobCheckpointData);
export const JobSampleEvent = eventSchema('job.sample', JobSampleData);
export const JobSucceededEvent = eventSchema('job.succeeded', JobSucceededData);
export const JobFailedEvent = eventSchema('job.failed', JobFailedData);
export const JobCanceledEvent = eventSchema('job.canceled', JobCanceledData);

export const WorkerEvent = z
  .discriminatedUnion('type', [
    JobStartedEvent,
    JobProgressEvent,
    JobMetricsEvent,
    JobLogEvent,
    JobCheckpointEvent,
    JobSampleEvent,
    JobSucceededEvent,
    JobFailedEvent,
    JobCanceledEvent,
  ])
  .describe('Event from a worker (POST to callback.events_url, signed)');
export type WorkerEvent = z.infer<typeof WorkerEvent>;

export const WORKER_EVENT_TYPES = [
  'job.started',
  'job.progress',
  'job.metrics',
  'job.log',
  'job.checkpoint',
  'job.sample',
  'job.succeeded',
  'job.failed',
  'job.canceled',
] as const satisfies readonly WorkerEvent['type'][];
// Compile-time completeness check: fails to type-check if a union member is missing above.
const everyEventTypeListed: [Exclude<WorkerEvent['type'], (typeof WORKER_EVENT_TYPES)[number]>] extends [never]
  ? true
  : false = true;
void everyEventTypeListed;
export const WorkerEventType = z.enum(WORKER_EVENT_TYPES).describe('Worker event type');
export type WorkerEventType = z.infer<typeof WorkerEventType>;

/** One event of a given type, e.g. `WorkerEventOf<'job.failed'>`. */
export type WorkerEventOf<T extends WorkerEventType> = Extract<WorkerEvent, { type: T }>;

/** Validates a parsed JSON value as a worker event; throws ZodError when it is not one. */
export function parseWorkerEvent(json: unknown): WorkerEvent {
  return WorkerEvent.parse(json);
}

/**
 * Validates and serialises an event. The returned string is the exact body to sign and send:
 * sign these bytes, never a re-serialisation of them.
 */
export function encodeEvent(event: WorkerEvent): string {
  return JSON.stringify(WorkerEvent.parse(event));
}
