// What the webhook routes answer; the route wrapper parses each answer with these on the way out.
import { JobStatus } from '@lora-studio/protocol';
import { z } from 'zod';

export const WorkerEventReceipt = z
  .object({
    received: z.literal(true),
    job_id: z.string().describe('The job the event belongs to'),
    event_id: z.number().int().describe('Id of the stored event'),
    status: JobStatus.describe('Job status after the event'),
  })
  .describe('Event stored (409 means it was already delivered)');

export const ReplicateWebhookReceipt = z
  .object({
    received: z.literal(true),
    job_id: z.string().optional().describe('Our job for this training; absent when the training is unknown'),
    status: JobStatus.optional().describe('Job status after the webhook'),
    ignored: z.string().optional().describe('Why a late, out-of-order or unknown delivery changed nothing'),
  })
  .describe('Webhook accepted (ignored deliveries are 200 too, so Replicate stops retrying)');
