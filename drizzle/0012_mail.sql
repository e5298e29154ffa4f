ALTER TABLE "mail_log" ADD COLUMN "job_key" text;--> statement-breakpoint
ALTER TABLE "mail_log" ADD COLUMN "user_id" text REFERENCES "users"("id") ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE "mail_log" ADD COLUMN "notification_id" bigint REFERENCES "notifications"("id") ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE "mail_log" ADD COLUMN "digest_id" bigint;--> statement-breakpoint
CREATE UNIQUE INDEX "mail_log_job_key_idx" ON "mail_log" USING btree ("job_key");--> statement-breakpoint
CREATE INDEX "mail_log_user_status_idx" ON "mail_log" USING btree ("user_id","status");--> statement-breakpoint
CREATE TABLE "app_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
