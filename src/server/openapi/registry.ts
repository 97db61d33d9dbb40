// Every public API route, with the Zod schemas its handler uses. The OpenAPI document is
// generated from this list; a route added without an entry here is undocumented, so new
// routes add their line in the same commit.
import type { z } from 'zod';
import { CommitDatasetInput, DatasetList, DatasetView, InitDatasetInput, InitDatasetResult, ListDatasetsQuery, ValidateDatasetInput } from '@/server/datasets/schemas';
import { ApiKeyList, CreateApiKeyInput, CreatedApiKey } from '@/server/api-keys/schemas';
import { HealthReport } from '@/server/health/check';
import { Me } from '@/server/me/get-me';
import { CreateModelInput, ListModelsQuery, ModelList, ModelView, UpdateModelInput } from '@/server/models/schemas';

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
];
