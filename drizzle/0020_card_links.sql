CREATE TABLE "card_links" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "card_links_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"from_board_id" text NOT NULL,
	"from_card_id" text NOT NULL,
	"to_board_id" text NOT NULL,
	"to_card_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"rule_id" text
);
--> statement-breakpoint
ALTER TABLE "card_links" ADD CONSTRAINT "card_links_from_board_id_boards_id_fk" FOREIGN KEY ("from_board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_links" ADD CONSTRAINT "card_links_to_board_id_boards_id_fk" FOREIGN KEY ("to_board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "card_links_to_idx" ON "card_links" USING btree ("to_board_id","created_at");--> statement-breakpoint
CREATE INDEX "card_links_from_idx" ON "card_links" USING btree ("from_board_id","created_at");