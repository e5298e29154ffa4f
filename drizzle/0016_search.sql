CREATE TABLE "search_entries" (
	"board_id" text NOT NULL,
	"card_id" text NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"document" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, coalesce("title", '')), 'A') || setweight(to_tsvector('simple'::regconfig, coalesce("body", '')), 'B')) STORED NOT NULL,
	CONSTRAINT "search_entries_board_id_source_source_id_pk" PRIMARY KEY("board_id","source","source_id")
);
--> statement-breakpoint
CREATE TABLE "search_indexed_boards" (
	"board_id" text PRIMARY KEY NOT NULL,
	"indexed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "search_entries" ADD CONSTRAINT "search_entries_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "search_indexed_boards" ADD CONSTRAINT "search_indexed_boards_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "search_entries_card_idx" ON "search_entries" USING btree ("board_id","card_id");--> statement-breakpoint
CREATE INDEX "search_entries_document_idx" ON "search_entries" USING gin ("document");