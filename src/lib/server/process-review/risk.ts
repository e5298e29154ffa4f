import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '../db/client.ts';
import { dayEndIn } from '../../board/metrics/deadlines/day-end.ts';
import { allowances, chanceOnTime, riskLevel, seedOf, type RiskLevel, type StageAhead } from '../../board/metrics/deadlines/risk.ts';
import type { CardsReading } from '../../../../server/engine/board-reading.ts';

/** How far back the board's past stays are sampled from. */
const HISTORY_DAYS = 180;
const DAY = 86_400_000;

/** One open card's chance of reaching done by its target date. */
export interface CardRisk {
	cardId: string;
	title: string;
	stageId: string;
	stageName: string;
	owners: string[];
	target: string;
	/** Share of the Monte Carlo's trials that finished by the end of the target day (0–1). */
	chance: number;
	level: RiskLevel;
}

/** The board's past stays per stage (ms, ascending), from visits that ended in the last HISTORY_DAYS. */
export async function pastStays(db: Db, boardId: string, now: number): Promise<Map<string, number[]>> {
	const rows = await selectRows<{ to_id: string; lengths: (string | number)[] }>(
		db,
		sql`select to_id, array_agg(end_t - t) as lengths from card_flow
			where board_id = ${boardId} and end_t is not null and end_t > ${now - HISTORY_DAYS * DAY} and end_t <= ${now}
			group by to_id`
	);
	return new Map(rows.map((r) => [r.to_id, r.lengths.map(Number).sort((a, b) => a - b)]));
}

/**
 * Each open card's chance of finishing by its target date, riskiest first (see docs/process-deadlines.md): live cards
 * outside done stages with a target date, from a seeded Monte Carlo over the board's past stays in the stages still
 * ahead of them (their step allowance where there are too few). `board` is the live document's reading.
 */
export function risksOf(board: Pick<CardsReading, 'stages' | 'process' | 'cards'>, stays: ReadonlyMap<string, readonly number[]>, now: number): CardRisk[] {
	const { stages } = board;
	const allowed = allowances(stages.flatMap((s) => (s.step ? [{ stageId: s.id, name: s.name, ownerRole: s.step.ownerRole, offset: s.step.offset, unit: s.step.unit }] : [])));
	// The stages from each stage up to the first done stage after it: what a card there still has to pass through.
	const aheadOf = new Map<string, StageAhead[]>();
	stages.forEach((stage, i) => {
		if (stage.kind === 'done') return;
		const ahead: StageAhead[] = [];
		for (const s of stages.slice(i)) {
			if (s.kind === 'done') break;
			ahead.push({ stageId: s.id, samples: stays.get(s.id) ?? [], allowanceMs: allowed.get(s.id) ?? null });
		}
		aheadOf.set(stage.id, ahead);
	});
	const risks: CardRisk[] = [];
	for (const card of board.cards) {
		const ahead = aheadOf.get(card.stageId);
		if (card.archived || !card.target || !ahead) continue;
		const chance = chanceOnTime({ now, deadline: dayEndIn(card.target.day, board.process.timeZone), ahead, elapsedMs: Math.max(0, now - Date.parse(card.movedAt)), seed: seedOf(card.id) });
		const stageName = stages.find((s) => s.id === card.stageId)?.name ?? '';
		risks.push({ cardId: card.id, title: card.title, stageId: card.stageId, stageName, owners: [...card.owners], target: card.target.day, chance, level: riskLevel(chance) });
	}
	return risks.sort((a, b) => a.chance - b.chance || a.target.localeCompare(b.target) || a.cardId.localeCompare(b.cardId));
}

/** The delivery risk of every open card with a target date on the board, riskiest first. */
export async function deliveryRisk(db: Db, boardId: string, now: Date, board: Pick<CardsReading, 'stages' | 'process' | 'cards'>): Promise<CardRisk[]> {
	return risksOf(board, await pastStays(db, boardId, now.getTime()), now.getTime());
}
