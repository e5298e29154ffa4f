CREATE TABLE "card_flow" (
	"board_id" text NOT NULL,
	"card_id" text NOT NULL,
	"event_id" bigint NOT NULL,
	"type" text NOT NULL,
	"t" bigint NOT NULL,
	"visit" boolean NOT NULL,
	"from_id" text NOT NULL,
	"to_id" text NOT NULL,
	"stage_kind" text,
	"checklist" jsonb,
	"end_t" bigint,
	"created_t" bigint NOT NULL,
	"finished_t" bigint,
	"started_t" bigint,
	"due" text,
	"title" text,
	"first_t" bigint,
	"first_id" bigint,
	"gone_t" bigint,
	"archived" boolean NOT NULL,
	CONSTRAINT "card_flow_board_id_card_id_event_id_pk" PRIMARY KEY("board_id","card_id","event_id")
);
--> statement-breakpoint
ALTER TABLE "card_flow" ADD CONSTRAINT "card_flow_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "card_flow_finished_idx" ON "card_flow" USING btree ("board_id","finished_t");--> statement-breakpoint
CREATE INDEX "card_flow_end_idx" ON "card_flow" USING btree ("board_id","end_t");--> statement-breakpoint
CREATE INDEX "card_flow_t_idx" ON "card_flow" USING btree ("board_id","t");--> statement-breakpoint
-- Backfill: every board's cards replayed from their events, as refreshCardFlow (src/lib/server/card-flow.ts) does
-- for one board, so existing boards keep their stats.
INSERT INTO "card_flow" ("board_id", "card_id", "event_id", "type", "t", "visit", "from_id", "to_id", "stage_kind", "checklist", "end_t", "created_t", "finished_t", "started_t", "due", "title", "first_t", "first_id", "gone_t", "archived")
WITH ev AS (
	SELECT id, board_id, card_id, type, (date_part('epoch', at) * 1000)::bigint AS t, visit, coalesce(from_stage_id, '') AS from_id, to_id, stage_kind,
		CASE type WHEN 'created' THEN coalesce(data->>'title', 'Untitled') WHEN 'due_changed' THEN data->>'due' END AS detail,
		CASE WHEN type = 'moved' AND stage_kind = 'done' THEN data->'checklist' END AS checklist
	FROM (
		SELECT ce.*, ce.type IN ('created', 'moved') AS visit, coalesce(ce.to_stage_id, '') AS to_id, CASE
			WHEN ce.type NOT IN ('created', 'moved') THEN NULL
			ELSE (SELECT s.kind FROM board_stages s WHERE s.board_id = ce.board_id AND s.stage_id = ce.to_stage_id AND s.kind IN ('done', 'active', 'wait'))
		END AS stage_kind
		FROM card_events ce
		WHERE ce.type IN ('created', 'moved', 'archived', 'restored', 'due_changed')
	) rows
), ordered AS (
	SELECT ev.*,
		count(*) FILTER (WHERE type = 'created') OVER later AS later_created,
		count(*) FILTER (WHERE type = 'due_changed') OVER later AS later_dues,
		count(*) FILTER (WHERE type IN ('archived', 'restored')) OVER later AS later_archives,
		min(t) FILTER (WHERE visit) OVER later AS end_t
	FROM ev
	WINDOW later AS (PARTITION BY board_id, card_id ORDER BY t DESC, id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
)
SELECT board_id, card_id, id, type, t, visit, from_id, to_id, stage_kind, checklist, end_t, created_t, finished_t, started_t, due, title, first_t, first_id,
	CASE WHEN archived_t IS NOT NULL AND (finished_t IS NULL OR finished_t > archived_t) THEN archived_t END AS gone_t,
	archived_t IS NOT NULL AS archived
FROM (
	SELECT id, board_id, card_id, type, t, visit, from_id, to_id, stage_kind, checklist, end_t, later_created,
		max(t) FILTER (WHERE type = 'created' AND later_created = 0) OVER card AS created_t,
		min(t) FILTER (WHERE type = 'created') OVER card AS first_t,
		min(id) FILTER (WHERE type = 'created') OVER card AS first_id,
		min(t) FILTER (WHERE later_created = 0 AND visit AND stage_kind = 'done') OVER card AS finished_t,
		min(t) FILTER (WHERE later_created = 0 AND visit AND stage_kind = 'active') OVER card AS started_t,
		max(t) FILTER (WHERE later_created = 0 AND type = 'archived' AND later_archives = 0) OVER card AS archived_t,
		max(detail) FILTER (WHERE later_created = 0 AND type = 'due_changed' AND later_dues = 0) OVER card AS due,
		max(detail) FILTER (WHERE type = 'created' AND later_created = 0) OVER card AS title
	FROM ordered
	WINDOW card AS (PARTITION BY board_id, card_id)
) e
WHERE later_created = 0 AND created_t IS NOT NULL;
