CREATE TABLE "board_stages" (
	"board_id" text NOT NULL,
	"stage_id" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"rank" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "board_stages_board_id_stage_id_pk" PRIMARY KEY("board_id","stage_id")
);
--> statement-breakpoint
CREATE TABLE "card_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "card_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"board_id" text NOT NULL,
	"card_id" text NOT NULL,
	"type" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" text,
	"from_stage_id" text,
	"to_stage_id" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "board_stages" ADD CONSTRAINT "board_stages_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_events" ADD CONSTRAINT "card_events_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "card_events_board_at_idx" ON "card_events" USING btree ("board_id","at");--> statement-breakpoint
CREATE INDEX "card_events_card_idx" ON "card_events" USING btree ("board_id","card_id");