import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '../db/client.ts';
import { inCards } from '../card-subset.ts';
import { replayStays } from '../process/card-stays.ts';
import { deadlineSql } from '../card-flow.ts';
import { latenessBreakdown, reviewMissedCard, type LatenessBreakdown, type MissedCard, type MissedCardInput, type ReviewStep } from '../../board/metrics/deadlines/missed.ts';
import { isCalendarDate } from '../../board/limits.ts';
import type { Range } from '../../board/metrics/flow.ts';
import type { WorkflowReading } from '../../../../server/engine/board-reading.ts';

/** The missed-deadline review of a range: its late cards (latest first by lateness) and who and what account for it. */
export interface MissedDeadlines {
	/** Cards finished in the range that had a target date when they finished. */
	withTarget: number;
	late: MissedCard[];
	breakdown: LatenessBreakdown;
}

/** The most a zone is ahead of UTC (UTC+14): a target day never ends earlier than 14 hours before its UTC end. */
const LATEST_ZONE_MS = 14 * 3_600_000;

type EventRow = { card_id: string; type: string; at: string | Date; to_stage_id: string | null; data: Record<string, unknown> | null };

/** The board's steps as the review reads them, in workflow order. */
export function reviewSteps(workflow: Pick<WorkflowReading, 'stages'>): ReviewStep[] {
	return workflow.stages.flatMap((s) => (s.step ? [{ stageId: s.id, name: s.name, ownerRole: s.step.ownerRole, offset: s.step.offset, unit: s.step.unit, approval: s.step.approval !== null }] : []));
}

/** Replays one card's events (time order, from any point) into what the review needs, given when it finished. */
function cardInput(cardId: string, title: string, finishedAt: number, events: readonly EventRow[]): MissedCardInput | null {
	// History starts over at the card's latest creation, as stays and stats replay it.
	let start = 0;
	events.forEach((e, i) => {
		if (e.type === 'created') start = i;
	});
	const own = events.slice(start);
	let target: string | null = null;
	const blocked: { from: number; to: number | null }[] = [];
	const decisions: { stageId: string; at: number }[] = [];
	for (const e of own) {
		const at = new Date(e.at).getTime();
		const data = e.data ?? {};
		if (e.type === 'target_changed' && at <= finishedAt) target = typeof data.target === 'string' ? data.target : null;
		else if (e.type === 'blocked' && (blocked.length === 0 || blocked.at(-1)!.to !== null)) blocked.push({ from: at, to: null });
		else if (e.type === 'unblocked' && blocked.at(-1)?.to === null) blocked.at(-1)!.to = at;
		else if (e.type === 'signoff_decided') decisions.push({ stageId: e.to_stage_id ?? String(data.stageId), at });
	}
	if (target === null || !isCalendarDate(target)) return null;
	const stays = replayStays(own.map((e) => ({ type: e.type, at: new Date(e.at), toStageId: e.to_stage_id, data: e.data ?? {} }))).map((s) => ({
		stageId: s.stageId,
		enteredAt: s.enteredAt.getTime(),
		leftAt: s.leftAt?.getTime() ?? null,
		owners: s.owners
	}));
	return { cardId, title, target, finishedAt, stays, blocked, decisions };
}

/**
 * The missed-deadline review of a board over `range` (epoch ms, end exclusive): every card that first reached done in
 * the range after the end of its target day (in the board's time zone), where its time went against the plan, and the
 * steps, roles and people that account for the lateness, largest first. `workflow` is the board's live workflow (its
 * steps and time zone); history gives the rest.
 */
export async function missedDeadlineReview(db: Db, boardId: string, range: Range, workflow: Pick<WorkflowReading, 'stages' | 'process'>): Promise<MissedDeadlines> {
	// The finished cards, each with the target date in force when it finished (in its latest life, as the replay
	// reads it): a real date makes a card count; only cards done after that day's end in the latest zone (UTC+14) can be
	// late, and only their history is read.
	const finished = await selectRows<{ card_id: string; finished_t: string | number; title: string | null; candidate: boolean | null }>(
		db,
		sql`with f as (
				select card_id, finished_t, created_t, title from card_flow
				where board_id = ${boardId} and finishing and finished_t >= ${range.from} and finished_t < ${range.to}
			), targets as (
				select distinct on (e.card_id) e.card_id, ${deadlineSql(sql`(e.data->>'target')`)} as deadline
				from card_events e join f on f.card_id = e.card_id
				where e.board_id = ${boardId} and e.type = 'target_changed' and (date_part('epoch', e.at) * 1000)::bigint between f.created_t and f.finished_t
				order by e.card_id, e.at desc, e.id desc
			)
			select f.card_id, f.finished_t, f.title, f.finished_t > t.deadline - ${LATEST_ZONE_MS} as candidate
			from f join targets t using (card_id) where t.deadline is not null`
	);
	const empty: MissedDeadlines = { withTarget: finished.length, late: [], breakdown: latenessBreakdown([]) };
	const candidates = finished.filter((f) => f.candidate);
	if (candidates.length === 0) return empty;
	const events = await selectRows<EventRow>(
		db,
		sql`select card_id, type, at, to_stage_id, data from card_events
			where board_id = ${boardId}${inCards(candidates.map((f) => f.card_id))}
				and type in ('created', 'moved', 'archived', 'deleted', 'restored', 'owner_added', 'owner_removed', 'blocked', 'unblocked', 'target_changed', 'signoff_decided')
			order by card_id, at, id`
	);
	const byCard = new Map<string, EventRow[]>();
	for (const e of events) {
		const list = byCard.get(e.card_id) ?? [];
		list.push(e);
		byCard.set(e.card_id, list);
	}
	const steps = reviewSteps(workflow);
	const late: MissedCard[] = [];
	for (const f of candidates) {
		const input = cardInput(f.card_id, f.title ?? '', Number(f.finished_t), byCard.get(f.card_id) ?? []);
		if (!input) continue;
		const review = reviewMissedCard(input, steps, workflow.process.timeZone);
		if (review) late.push(review);
	}
	late.sort((a, b) => b.lateMs - a.lateMs || a.cardId.localeCompare(b.cardId));
	return { withTarget: finished.length, late, breakdown: latenessBreakdown(late) };
}
