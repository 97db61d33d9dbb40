ALTER TABLE "lora_versions" ADD COLUMN "dataset_archive_key" text;--> statement-breakpoint
ALTER TABLE "lora_versions" ADD COLUMN "dataset_archive_sha256" text;--> statement-breakpoint
ALTER TABLE "lora_versions" ADD COLUMN "dataset_archive_bytes" bigint;--> statement-breakpoint
ALTER TABLE "lora_versions" ADD COLUMN "dataset_item_count" integer;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "dataset_hash" text;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "dataset_archive_sha256" text;