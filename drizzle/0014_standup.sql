CREATE TABLE "standups" (
	"id" text PRIMARY KEY NOT NULL,
	"board_id" text NOT NULL,
	"facilitator_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"abandoned_at" timestamp with time zone,
	"summary" jsonb
);
--> statement-breakpoint
ALTER TABLE "standups" ADD CONSTRAINT "standups_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "standups_board_started_idx" ON "standups" USING btree ("board_id","started_at");--> statement-breakpoint
CREATE INDEX "standups_board_ended_idx" ON "standups" USING btree ("board_id","ended_at");