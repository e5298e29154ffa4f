CREATE TABLE "card_risk_levels" (
	"board_id" text NOT NULL,
	"card_id" text NOT NULL,
	"level" text NOT NULL,
	"chance" real NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "card_risk_levels_board_id_card_id_pk" PRIMARY KEY("board_id","card_id")
);
--> statement-breakpoint
ALTER TABLE "card_risk_levels" ADD CONSTRAINT "card_risk_levels_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;