-- card_flow now holds visits only, with figures worked out on write. Its rows are derived data: they are cleared
-- here and rebuilt from card_events when the server next starts (rebuildMissingCardFlow in src/lib/server/card-flow.ts).
DELETE FROM "card_flow";--> statement-breakpoint
DROP INDEX "card_flow_finished_idx";--> statement-breakpoint
DROP INDEX "card_flow_t_idx";--> statement-breakpoint
ALTER TABLE "card_flow" ADD COLUMN "deadline_t" bigint;--> statement-breakpoint
ALTER TABLE "card_flow" ADD COLUMN "finishing" boolean NOT NULL;--> statement-breakpoint
ALTER TABLE "card_flow" ADD COLUMN "pre_finish_ms" bigint;--> statement-breakpoint
ALTER TABLE "card_flow" ADD COLUMN "active_ms" bigint;--> statement-breakpoint
ALTER TABLE "card_flow" ADD COLUMN "wait_ms" bigint;--> statement-breakpoint
ALTER TABLE "card_flow" ADD COLUMN "counted" boolean NOT NULL;--> statement-breakpoint
ALTER TABLE "card_flow" ADD COLUMN "flow_end_t" bigint;--> statement-breakpoint
ALTER TABLE "card_flow" ADD COLUMN "start_day" integer NOT NULL;--> statement-breakpoint
ALTER TABLE "card_flow" ADD COLUMN "flow_end_day" integer;--> statement-breakpoint
CREATE INDEX "card_events_type_at_idx" ON "card_events" USING btree ("board_id","type","at");--> statement-breakpoint
CREATE INDEX "card_flow_finishing_idx" ON "card_flow" USING btree ("board_id","finished_t") WHERE "card_flow"."finishing";--> statement-breakpoint
CREATE INDEX "card_flow_late_idx" ON "card_flow" USING btree ("board_id","finished_t","to_id","pre_finish_ms") WHERE "card_flow"."finished_t" > "card_flow"."deadline_t" and "card_flow"."pre_finish_ms" is not null;--> statement-breakpoint
CREATE INDEX "card_flow_arrivals_idx" ON "card_flow" USING btree ("board_id","to_id","start_day","t") WHERE "card_flow"."counted";--> statement-breakpoint
CREATE INDEX "card_flow_departures_idx" ON "card_flow" USING btree ("board_id","to_id","flow_end_day","flow_end_t") WHERE "card_flow"."counted" and "card_flow"."flow_end_t" is not null;--> statement-breakpoint
CREATE INDEX "card_flow_visit_length_idx" ON "card_flow" USING btree ("board_id","to_id","end_t","t") WHERE "card_flow"."end_t" is not null;--> statement-breakpoint
CREATE INDEX "card_flow_moves_idx" ON "card_flow" USING btree ("board_id","from_id","to_id","t") WHERE "card_flow"."type" = 'moved';--> statement-breakpoint
ALTER TABLE "card_flow" DROP COLUMN "visit";