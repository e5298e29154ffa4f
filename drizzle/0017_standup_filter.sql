ALTER TABLE "standups" ADD COLUMN "query" text;--> statement-breakpoint
ALTER TABLE "standups" ADD COLUMN "card_ids" jsonb;