ALTER TABLE "boards" ADD COLUMN "compliance_target_percent" integer DEFAULT 95 NOT NULL;--> statement-breakpoint
ALTER TABLE "boards" ADD COLUMN "template_id" text;