// Realistic recorded history for a board, generated directly in the recorder's row shape (card_events and
// board_stages), so the stats code can be measured and cross-checked at sizes no test could click through.
import type { Db } from '../../src/lib/server/db/client.ts';
import { boards } from '../../src/lib/server/db/schema/boards.ts';
import { insertCardEvents, upsertStages, type CardEventRow, type StageRow } from '../../src/lib/server/history.ts';
import { mulberry32, type Rng } from './prng.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One stage of the generated workflow; `deletedAfter` (share of the span) marks a stage deleted part-way. */
interface StagePlan {
	id: string;
	name: string;
	kind: 'queue' | 'active' | 'wait' | 'done';
	rank: string;
	/** Mean hours a card stays before moving on. */
	meanHours: number;
	deletedAfter?: number;
	/** Share of cards that pass through this stage (optional steps). */
	visitShare?: number;
}

// Ranks are fractional-indexing keys: "Zz" sorts before "a0" only in code-unit ("C") order, as in the app.
const WORKFLOW: StagePlan[] = [
	{ id: 'st-ideas', name: 'Ideas', kind: 'queue', rank: 'Zz', meanHours: 60 },
	{ id: 'st-outline', name: 'Outline', kind: 'queue', rank: 'a0', meanHours: 24 },
	{ id: 'st-drafting', name: 'Drafting', kind: 'active', rank: 'a1', meanHours: 40 },
	{ id: 'st-legal', name: 'Legal check', kind: 'wait', rank: 'a1V', meanHours: 30, deletedAfter: 0.45, visitShare: 0.6 },
	{ id: 'st-review', name: 'Review', kind: 'wait', rank: 'a2', meanHours: 28 },
	{ id: 'st-design', name: 'Design', kind: 'active', rank: 'a3', meanHours: 18 },
	{ id: 'st-qa', name: 'Old QA', kind: 'active', rank: 'a3V', meanHours: 10, deletedAfter: 0.2 },
	{ id: 'st-scheduled', name: 'Scheduled', kind: 'wait', rank: 'a4', meanHours: 30 },
	{ id: 'st-published', name: 'Published', kind: 'done', rank: 'a5', meanHours: 0 }
];

/** What `generateFlowHistory` makes: the board's stage rows and its events, oldest first. */
export interface FlowHistory {
	stages: StageRow[];
	events: CardEventRow[];
	cards: number;
}

/** Options: the board, a seed, roughly how many events (at least), and the span of days ending at `end`. */
export interface FlowHistoryOptions {
	boardId: string;
	seed: number;
	events: number;
	end: number;
	days: number;
	actors?: string[];
	/** Give 70 % of cards a target (publish) date when they are created, as the process review reads them. */
	targets?: boolean;
}

/** A skewed duration around `mean` hours (most work is quick, some takes far longer), at least 6 minutes. */
function duration(rng: Rng, mean: number): number {
	const skew = -Math.log(1 - rng.next() * 0.999);
	return Math.max(0.1, mean * (0.25 + 0.75 * skew)) * HOUR;
}

/**
 * Cards created at random working-day times over `days` days, each moving through the stages (optional ones
 * sometimes skipped, deleted ones only before their deletion), sent back from Review now and then, blocked and
 * unblocked, owners, due dates (some moved), checklists, exit checks, soft-WIP breaches, and archiving (mostly
 * finished cards, some abandoned, a few restored). Deterministic for a seed; stops adding cards once the event
 * count reaches `events`.
 */
export function generateFlowHistory(options: FlowHistoryOptions): FlowHistory {
	const rng = mulberry32(options.seed);
	const { boardId, end } = options;
	const start = end - options.days * DAY;
	const actors = options.actors ?? ['u-maya', 'u-leo', 'u-priya', 'u-sam', null];
	const deletedAt = (s: StagePlan) => (s.deletedAfter === undefined ? null : start + s.deletedAfter * (end - start));
	const events: CardEventRow[] = [];
	const push = (cardId: string, type: string, at: number, extra: Partial<CardEventRow> = {}) => {
		if (at >= end) return false;
		events.push({ boardId, cardId, type, at: new Date(Math.round(at)), actorId: rng.pick(actors), fromStageId: null, toStageId: null, data: {}, ...extra });
		return true;
	};
	const order = new Map(WORKFLOW.map((s, i) => [s.id, i]));
	// Targets draw from a generator of their own, so a history without them stays exactly what it was.
	const planRng = mulberry32(options.seed + 1);
	let cards = 0;
	while (events.length < options.events) {
		const cardId = `card-${cards.toString(36).padStart(4, '0')}`;
		cards++;
		let t = start + rng.next() * (end - start);
		// Work happens on working days: Saturday and Sunday arrivals slide to Monday morning.
		const weekday = new Date(t).getUTCDay();
		if (weekday === 0 || weekday === 6) t = Math.floor(t / DAY) * DAY + (weekday === 6 ? 2 : 1) * DAY + 9 * HOUR;
		if (t >= end) continue;
		const total = rng.int(0, 5);
		let due = rng.chance(0.6) ? new Date(t + rng.int(4, 30) * DAY).toISOString().slice(0, 10) : null;
		push(cardId, 'created', t, { toStageId: WORKFLOW[0]!.id, data: { title: `Card ${cards} ${rng.pick(['SEO guide', 'Case study', 'Newsletter', 'Launch post', 'Webinar recap'])}` } });
		push(cardId, 'owner_added', t + 60_000, { data: { userId: rng.pick(['u-maya', 'u-leo', 'u-priya']) } });
		if (due) push(cardId, 'due_changed', t + 120_000, { data: { due, previous: null } });
		if (options.targets && planRng.chance(0.7) && t + 90_000 < end) {
			const target = new Date(t + planRng.int(8, 24) * DAY).toISOString().slice(0, 10);
			events.push({ boardId, cardId, type: 'target_changed', at: new Date(Math.round(t + 90_000)), actorId: null, fromStageId: null, toStageId: null, data: { target, previous: null } });
		}
		let at = 0;
		let done = 0;
		const path = WORKFLOW.filter((s) => s.visitShare === undefined || rng.chance(s.visitShare));
		let here = 0;
		let finished = false;
		while (here < path.length - 1) {
			const stage = path[here]!;
			t += duration(rng, stage.meanHours) * (stage.kind === 'active' && rng.chance(0.1) ? 4 : 1);
			let next = here + 1;
			// Skip stages that were deleted by then (the card moves on past them).
			while (next < path.length - 1 && deletedAt(path[next]!) !== null && t >= deletedAt(path[next]!)!) next++;
			// A stage being deleted sends its cards on at that moment.
			const leaving = deletedAt(stage);
			if (leaving !== null && t > leaving) t = leaving;
			if (stage.name === 'Review' && rng.chance(0.2)) next = path.findIndex((s) => s.name === 'Drafting');
			if (stage.kind === 'active' && rng.chance(0.15)) {
				const blockedAt = t - rng.next() * duration(rng, stage.meanHours) * 0.5;
				push(cardId, 'blocked', blockedAt, { data: { reason: 'Waiting for input' } });
				push(cardId, 'unblocked', Math.min(t - 1000, blockedAt + rng.next() * 20 * HOUR));
			}
			const to = path[next]!;
			if (to.kind === 'done' || rng.chance(0.3)) done = Math.min(total, done + rng.int(1, total || 1));
			if (to.kind === 'done' && done === total && total > 0 && !push(cardId, 'checklist_completed', t - 30_000, { data: { total } })) break;
			if (stage.name === 'Review' && next > here) push(cardId, 'exit_checked', t - 10_000, { toStageId: stage.id, data: { criterionId: 'legal-ok' } });
			const direction = order.get(to.id)! > order.get(stage.id)! ? 'forward' : 'backward';
			if (!push(cardId, 'moved', t, { fromStageId: stage.id, toStageId: to.id, data: { direction, checklist: { done, total } } })) break;
			if (to.kind === 'active' && rng.chance(0.04)) push(cardId, 'wip_breach', t, { toStageId: to.id, data: { limit: 5, count: 6, over: 1 } });
			if (due && rng.chance(0.05)) {
				const moved = new Date(Date.parse(`${due}T00:00:00Z`) + rng.int(1, 10) * DAY).toISOString().slice(0, 10);
				push(cardId, 'due_changed', t + 5_000, { data: { due: moved, previous: due } });
				due = moved;
			}
			at = t;
			here = next;
			finished = to.kind === 'done';
		}
		const where = path[here]!.id;
		if (finished && rng.chance(0.6)) {
			const archived = at + rng.int(1, 20) * DAY;
			push(cardId, 'archived', archived, { toStageId: where });
			if (rng.chance(0.03)) push(cardId, 'restored', archived + rng.int(1, 5) * DAY, { toStageId: where });
		} else if (!finished && rng.chance(0.08)) {
			// Abandoned work: archived while unfinished, occasionally brought back.
			const archived = t + rng.int(1, 40) * DAY;
			push(cardId, 'archived', archived, { toStageId: where });
			if (rng.chance(0.2)) push(cardId, 'restored', archived + rng.int(1, 10) * DAY, { toStageId: where });
		}
	}
	// Stored oldest first, as the recorder writes them (ids then follow time).
	events.sort((a, b) => a.at.getTime() - b.at.getTime());
	const stages: StageRow[] = WORKFLOW.map((s) => {
		const gone = deletedAt(s);
		return { boardId, stageId: s.id, name: s.name, kind: s.kind, rank: s.rank, deleted: gone !== null, at: new Date(gone ?? start) };
	});
	return { stages, events, cards };
}

/** Creates the board row and writes the stages and events in bulk (chunks that fit one statement's parameters). */
export async function insertFlowHistory(db: Db, history: FlowHistory, boardName = 'Generated history'): Promise<void> {
	const boardId = history.stages[0]!.boardId;
	await db.insert(boards).values({ id: boardId, name: boardName, createdBy: null, createdAt: history.stages[0]!.at });
	await upsertStages(db, history.stages);
	// 8 parameters per row; PostgreSQL allows 65,535 per statement.
	for (let i = 0; i < history.events.length; i += 5_000) await insertCardEvents(db, history.events.slice(i, i + 5_000));
}
