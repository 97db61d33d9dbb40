// Every public API route, with the Zod schemas its handler uses. The OpenAPI document is
// generated from this list; a route added without an entry here is undocumented, so new
// routes add their line in the same commit.
import type { z } from 'zod';
import { CommitDatasetInput, DatasetList, DatasetView, InitDatasetInput, InitDatasetResult, ListDatasetsQuery, ValidateDatasetInput } from '@/server/datasets/schemas';
import { ApiKeyList, CreateApiKeyInput, CreatedApiKey } from '@/server/api-keys/schemas';
import { HealthReport } from '@/server/health/check';
import { Me } from '@/server/me/get-me';
import { CreateModelInput, ListModelsQuery, ModelList, ModelView, UpdateModelInput } from '@/server/models/schemas';
import { HeartbeatRequest, HeartbeatResponse, LeaseRequest, LeaseResponse, WorkerEvent } from '@lora-studio/protocol';
import { CreatedJob, CreateJobInput, EstimateJobInput, JobDetail, JobList, JobSamples, ListJobsQuery, LogsPage, LogsQuery, TextEstimate } from '@/server/jobs/schemas';
import { DeletedVersion, DownloadInput, DownloadLink, DownloadQuery, ListVersionsQuery, VersionList, VersionView } from '@/server/versions/schemas';
import { ActivateInput, ActivateResult, ActiveIdentityResponse } from '@/server/identity/schemas';
import { CompileApiInput, CompileResult, ProfileList } from '@/server/compile/schemas';
import { PackInput, PackLink } from '@/server/packs/schemas';

export interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  auth: 'user' | 'public' | 'worker' | 'signature';
  input?: z.ZodType; // JSON body for post/patch/put, query for get/delete
  output?: z.ZodType;
  status?: number;
}

export const API_ROUTES: RouteDoc[] = [
  { method: 'get', path: '/api/health', summary: 'Database and storage status', tag: 'System', auth: 'public', output: HealthReport },
  { method: 'get', path: '/api/me', summary: 'Who is calling, in which workspace and plan', tag: 'Account', auth: 'user', output: Me },
  { method: 'get', path: '/api/api-keys', summary: "The caller's API keys in this workspace", tag: 'Account', auth: 'user', output: ApiKeyList },
  { method: 'post', path: '/api/api-keys', summary: 'Create an API key (returned once)', tag: 'Account', auth: 'user', input: CreateApiKeyInput, output: CreatedApiKey, status: 201 },
  { method: 'delete', path: '/api/api-keys/{id}', summary: 'Revoke an API key', tag: 'Account', auth: 'user' },
  { method: 'get', path: '/api/lora/models', summary: 'List LoRAs', tag: 'LoRAs', auth: 'user', input: ListModelsQuery, output: ModelList },
  { method: 'post', path: '/api/lora/models', summary: 'Create a LoRA', tag: 'LoRAs', auth: 'user', input: CreateModelInput, output: ModelView, status: 201 },
  { method: 'get', path: '/api/lora/models/{id}', summary: 'Get a LoRA', tag: 'LoRAs', auth: 'user', output: ModelView },
  { method: 'patch', path: '/api/lora/models/{id}', summary: 'Update a LoRA', tag: 'LoRAs', auth: 'user', input: UpdateModelInput, output: ModelView },
  { method: 'delete', path: '/api/lora/models/{id}', summary: 'Delete a LoRA and purge its objects', tag: 'LoRAs', auth: 'user' },
  { method: 'get', path: '/api/lora/datasets', summary: 'List datasets', tag: 'Datasets', auth: 'user', input: ListDatasetsQuery, output: DatasetList },
  { method: 'post', path: '/api/lora/datasets/init', summary: 'Announce files and get signed upload targets', tag: 'Datasets', auth: 'user', input: InitDatasetInput, output: InitDatasetResult, status: 201 },
  { method: 'post', path: '/api/lora/datasets/commit', summary: 'Commit uploaded files (re-read, checked, cleaned, archived)', tag: 'Datasets', auth: 'user', input: CommitDatasetInput, output: DatasetView },
  { method: 'post', path: '/api/lora/datasets/validate', summary: 'Validate a dataset and store its quality report', tag: 'Datasets', auth: 'user', input: ValidateDatasetInput, output: DatasetView },
  { method: 'get', path: '/api/lora/datasets/{id}', summary: 'A dataset with its items and report', tag: 'Datasets', auth: 'user', output: DatasetView },
  { method: 'delete', path: '/api/lora/datasets/{id}', summary: 'Delete a dataset and purge its objects', tag: 'Datasets', auth: 'user' },
  { method: 'delete', path: '/api/lora/datasets/{id}/items/{itemId}', summary: 'Remove one photo from a dataset', tag: 'Datasets', auth: 'user', output: DatasetView },
  { method: 'get', path: '/api/lora/jobs', summary: 'List training jobs', tag: 'Training', auth: 'user', input: ListJobsQuery, output: JobList },
  { method: 'post', path: '/api/lora/jobs', summary: 'Start training a version (Idempotency-Key header and consent required; 200 on replay)', tag: 'Training', auth: 'user', input: CreateJobInput, output: CreatedJob, status: 201 },
  { method: 'post', path: '/api/lora/jobs/estimate', summary: 'Cost and duration estimate of a text LoRA run (preset + overrides, GPU type and count; planning figures)', tag: 'Training', auth: 'user', input: EstimateJobInput, output: TextEstimate },
  { method: 'get', path: '/api/lora/jobs/{id}', summary: 'A job with its version and latest progress', tag: 'Training', auth: 'user', output: JobDetail },
  { method: 'post', path: '/api/lora/jobs/{id}/cancel', summary: 'Cancel a job', tag: 'Training', auth: 'user', output: JobDetail },
  { method: 'post', path: '/api/lora/jobs/{id}/retry', summary: 'Retry a failed or canceled job as a new attempt', tag: 'Training', auth: 'user', output: JobDetail },
  { method: 'get', path: '/api/lora/jobs/{id}/logs', summary: 'Log lines, paginated by event id', tag: 'Training', auth: 'user', input: LogsQuery, output: LogsPage },
  { method: 'get', path: '/api/lora/jobs/{id}/samples', summary: 'Rendered samples by step, with short-lived signed URLs', tag: 'Training', auth: 'user', output: JobSamples },
  { method: 'get', path: '/api/lora/jobs/{id}/events', summary: 'Live job events (text/event-stream; Last-Event-ID resumes)', tag: 'Training', auth: 'user' },
  { method: 'post', path: '/api/workers/lease', summary: 'Lease a job (worker token; 204 when none)', tag: 'Workers', auth: 'worker', input: LeaseRequest, output: LeaseResponse },
  { method: 'post', path: '/api/workers/heartbeat', summary: 'Extend a lease; cancel: true when the user canceled', tag: 'Workers', auth: 'worker', input: HeartbeatRequest, output: HeartbeatResponse },
  { method: 'post', path: '/api/lora/webhook', summary: 'Signed worker event (Standard Webhooks, lora-job-id/lora-job-attempt headers)', tag: 'Workers', auth: 'signature', input: WorkerEvent },
  { method: 'post', path: '/api/lora/webhook/replicate', summary: "Replicate training webhook (signed with the account's webhook secret)", tag: 'Workers', auth: 'signature' },
  { method: 'get', path: '/api/lora/versions', summary: 'Versions of a LoRA, newest first', tag: 'Versions', auth: 'user', input: ListVersionsQuery, output: VersionList },
  { method: 'get', path: '/api/lora/versions/{id}', summary: 'One version', tag: 'Versions', auth: 'user', output: VersionView },
  { method: 'delete', path: '/api/lora/versions/{id}', summary: 'Delete a version and purge its weights, packs and job outputs', tag: 'Versions', auth: 'user', output: DeletedVersion },
  { method: 'post', path: '/api/lora/versions/{id}/download', summary: 'Short-lived signed URL to the weights (audited)', tag: 'Versions', auth: 'user', input: DownloadInput, output: DownloadLink },
  { method: 'get', path: '/api/lora/versions/{id}/download', summary: 'Download a file (302 to a signed URL) or ?file=all as a streamed zip with README.txt (audited)', tag: 'Versions', auth: 'user', input: DownloadQuery },
  { method: 'get', path: '/api/lora/activate', summary: 'The active identity ({ active: null } when none)', tag: 'Prompts', auth: 'user', output: ActiveIdentityResponse },
  { method: 'post', path: '/api/lora/activate', summary: "Activate a ready version (weight clamped to the base model's range)", tag: 'Prompts', auth: 'user', input: ActivateInput, output: ActivateResult },
  { method: 'delete', path: '/api/lora/activate', summary: 'Clear the active identity', tag: 'Prompts', auth: 'user' },
  { method: 'get', path: '/api/lora/compile/profiles', summary: 'Prompt profiles (target platforms), grouped', tag: 'Prompts', auth: 'user', output: ProfileList },
  { method: 'post', path: '/api/lora/compile', summary: 'Compile a prompt: final text, ordered blocks, warnings (inputs only; the final prompt is never accepted)', tag: 'Prompts', auth: 'user', input: CompileApiInput, output: CompileResult },
  { method: 'get', path: '/api/lora/packs', summary: 'Build a Character Pack zip (Sora, Veo, Grok) and get its signed link', tag: 'Prompts', auth: 'user', input: PackInput, output: PackLink },
  { method: 'post', path: '/api/lora/packs', summary: 'Build a Character Pack zip (JSON body)', tag: 'Prompts', auth: 'user', input: PackInput, output: PackLink },
];
