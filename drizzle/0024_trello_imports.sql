CREATE TABLE "trello_imports" (
	"board_id" text PRIMARY KEY NOT NULL,
	"trello_board_id" text NOT NULL,
	"file_hash" text NOT NULL,
	"imported_by" text,
	"imported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "trello_imports" ADD CONSTRAINT "trello_imports_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trello_imports" ADD CONSTRAINT "trello_imports_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "trello_imports_source_idx" ON "trello_imports" USING btree ("trello_board_id");