CREATE TABLE "board_owner_fences" (
	"board_id" text PRIMARY KEY NOT NULL,
	"fence" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "board_owner_fences" ADD CONSTRAINT "board_owner_fences_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;