CREATE TABLE "stage_attempts" (
	"board_id" text NOT NULL,
	"card_id" text NOT NULL,
	"stage_id" text NOT NULL,
	"entered_t" bigint NOT NULL,
	"left_t" bigint NOT NULL,
	"sent_back" boolean NOT NULL,
	"checked" jsonb NOT NULL,
	"target_day" integer,
	CONSTRAINT "stage_attempts_board_id_card_id_stage_id_pk" PRIMARY KEY("board_id","card_id","stage_id")
);
--> statement-breakpoint
ALTER TABLE "stage_attempts" ADD CONSTRAINT "stage_attempts_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stage_attempts_left_idx" ON "stage_attempts" USING btree ("board_id","left_t","stage_id","entered_t","sent_back","target_day","checked");