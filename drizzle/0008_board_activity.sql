CREATE TABLE "board_activity" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "board_activity_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"board_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" text,
	"kind" text NOT NULL,
	"card_id" text,
	"stage_id" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"group_key" text
);
--> statement-breakpoint
ALTER TABLE "history_set_aside" ADD COLUMN "activity" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "board_activity" ADD CONSTRAINT "board_activity_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "board_activity_board_at_idx" ON "board_activity" USING btree ("board_id","at","id");--> statement-breakpoint
CREATE INDEX "board_activity_actor_idx" ON "board_activity" USING btree ("board_id","actor_id","at");--> statement-breakpoint
CREATE INDEX "board_activity_card_idx" ON "board_activity" USING btree ("board_id","card_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "board_activity_group_idx" ON "board_activity" USING btree ("board_id","group_key");