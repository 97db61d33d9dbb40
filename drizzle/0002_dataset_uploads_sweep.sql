ALTER TABLE "lora_datasets" ADD COLUMN "uploads_sweep_at" timestamp with time zone;--> statement-breakpoint
-- Datasets committed before this release kept every raw upload (with its EXIF/GPS): sweep them once.
UPDATE "lora_datasets" SET "uploads_sweep_at" = now() WHERE "modality" = 'image' AND "deleted_at" IS NULL;
