DROP INDEX "card_flow_end_idx";--> statement-breakpoint
ALTER TABLE "card_flow" ADD COLUMN "due_moved" boolean;--> statement-breakpoint
CREATE INDEX "card_flow_now_idx" ON "card_flow" USING btree ("board_id","flow_end_t");--> statement-breakpoint
ALTER TABLE "card_flow" DROP COLUMN "gone_t";