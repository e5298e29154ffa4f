CREATE TABLE "board_team_role_holders" (
	"role_id" text NOT NULL,
	"board_id" text NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "board_team_role_holders_role_id_user_id_pk" PRIMARY KEY("role_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "board_team_roles" (
	"id" text PRIMARY KEY NOT NULL,
	"board_id" text NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "boards" ADD COLUMN "process_owner_id" text;--> statement-breakpoint
ALTER TABLE "board_team_role_holders" ADD CONSTRAINT "board_team_role_holders_role_id_board_team_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."board_team_roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_team_role_holders" ADD CONSTRAINT "board_team_role_holders_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_team_role_holders" ADD CONSTRAINT "board_team_role_holders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_team_roles" ADD CONSTRAINT "board_team_roles_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "board_team_role_holders_board_idx" ON "board_team_role_holders" USING btree ("board_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "board_team_roles_board_name_idx" ON "board_team_roles" USING btree ("board_id","name");--> statement-breakpoint
ALTER TABLE "boards" ADD CONSTRAINT "boards_process_owner_id_users_id_fk" FOREIGN KEY ("process_owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;