import type { LoraDataset } from '@/server/db/schema/index.ts';
import type { PlannedUpload } from '@/server/datasets/internal';

/** The one conversation file init announced, and (after commit) what the client claims about it. */
export interface TextPlannedUpload extends PlannedUpload {
  /** Set when the file is uploaded in parts: the storage upload id and the part layout. */
  multipart?: { upload_id: string; part_size: number; parts: number };
  /** The client's sha256, recorded by commit; validation compares the stored bytes with it. */
  client_sha256?: string;
}

/** lora_datasets.upload_plan of a text dataset. */
export interface TextUploadPlan {
  files: TextPlannedUpload[];
  base_model: string;
  context_length: number;
}

/** The text plan, or null when the row does not hold one (an image dataset). */
export function textPlanOf(d: LoraDataset): TextUploadPlan | null {
  const p = d.uploadPlan as Partial<TextUploadPlan> | null;
  if (d.modality !== 'text' || !p || !Array.isArray(p.files) || p.files.length !== 1 || typeof p.base_model !== 'string' || typeof p.context_length !== 'number') return null;
  return p as TextUploadPlan;
}
