CREATE TABLE "history_set_aside" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "history_set_aside_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"board_id" text NOT NULL,
	"events" jsonb NOT NULL,
	"stages" jsonb NOT NULL,
	"error" text NOT NULL,
	"attempts" integer NOT NULL,
	"set_aside_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "history_set_aside" ADD CONSTRAINT "history_set_aside_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "history_set_aside_board_idx" ON "history_set_aside" USING btree ("board_id");