import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/lib/server/db/client.ts';
import { boards } from '../../src/lib/server/db/schema/boards.ts';
import { insertCardEvents, readCardEvents, readStages, upsertStages } from '../../src/lib/server/history.ts';
import { processReview } from '../../src/lib/server/process-review/index.ts';
import { reviewSteps } from '../../src/lib/server/process-review/plan-actual.ts';
import { rebuildMissingStageAttempts } from '../../src/lib/server/stage-attempts.ts';
import { stageAttempts, type ReviewEvent } from '../../src/lib/board/metrics/process/attempts.ts';
import { compliance } from '../../src/lib/board/metrics/process/compliance.ts';
import { planVsActual } from '../../src/lib/board/metrics/process/plan-actual.ts';
import { efficiencyAgainst } from '../../src/lib/board/metrics/process/efficiency.ts';
import { buildTimelines, type FlowEvent } from '../../src/lib/board/metrics/history.ts';
import { cardTimes, type Range } from '../../src/lib/board/metrics/flow.ts';
import type { StageKind } from '../../src/lib/board/types.ts';
import { dbKinds, openTestDatabase, queryRows } from '../helpers/db.ts';
import { generateFlowHistory, type FlowHistory } from '../helpers/flow-history.ts';
import { liveBoard } from '../helpers/process-board.ts';
import { mulberry32 } from '../helpers/prng.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-11-20T15:30:00.000Z');
const BOARD = 'board-attempts';
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

/** The review's replay of the board's whole history, straight from card_events: what the stored rows must equal. */
async function replayed(database: Database) {
	const stages = (await readStages(database.db, BOARD)).map((s, order) => ({ id: s.stageId, name: s.name, kind: s.kind as StageKind, order }));
	const events = (await readCardEvents(database.db, BOARD)).flatMap((e): ReviewEvent[] => {
		const base = { cardId: e.cardId, at: e.at.getTime() };
		if (e.type === 'created' && e.toStageId) return [{ ...base, type: 'created', stageId: e.toStageId }];
		if (e.type === 'moved' && e.fromStageId && e.toStageId) return [{ ...base, type: 'moved', fromStageId: e.fromStageId, toStageId: e.toStageId, checklist: e.data.checklist as { done: number; total: number } | undefined }];
		if (e.type === 'exit_checked' && e.toStageId) return [{ ...base, type: 'exit_checked', stageId: e.toStageId, criterionId: String(e.data.criterionId) }];
		if (e.type === 'target_changed') return [{ ...base, type: 'target_changed', target: (e.data.target as string | null) ?? null }];
		return [];
	});
	return { stages, events };
}

/** The stored attempts, as `stageAttempts` gives them (criteria aside), sorted. */
async function storedAttempts(database: Database) {
	const rows = await queryRows<{ card_id: string; stage_id: string; entered_t: string; left_t: string; sent_back: boolean; checked: string[]; target_day: number | null }>(
		database,
		sql`select * from stage_attempts where board_id = ${BOARD} order by card_id, stage_id`
	);
	return rows.map((r) => ({
		cardId: r.card_id,
		stageId: r.stage_id,
		enteredAt: Number(r.entered_t),
		leftAt: Number(r.left_t),
		checked: [...r.checked].sort(),
		sentBack: r.sent_back,
		target: r.target_day === null ? null : new Date(r.target_day * DAY).toISOString().slice(0, 10)
	}));
}

async function expectStoredEqualReplay(database: Database) {
	const { stages, events } = await replayed(database);
	const expected = stageAttempts(events, stages, new Map())
		.map(({ criteriaMet: _, ...a }) => ({ ...a, checked: [...a.checked].sort() }))
		.sort((a, b) => a.cardId.localeCompare(b.cardId) || a.stageId.localeCompare(b.stageId));
	expect(expected.length).toBeGreaterThan(500);
	expect(await storedAttempts(database)).toEqual(expected);
}

// The process review counts `stage_attempts`, kept as history is written: it must hold exactly what the review's
// replay of the events gives, batch after shuffled batch and after the workflow is reordered, and the figures read
// from it must equal the in-memory review of the same history.
describe.each(dbKinds())('stage attempts kept on write (%s)', (kind) => {
	let database: Database;
	let history: FlowHistory;

	beforeAll(async () => {
		database = await openTestDatabase(kind);
		history = generateFlowHistory({ boardId: BOARD, seed: 17, events: 4_000, end: NOW.getTime(), days: 150, targets: true });
		// Exit checks of a second criterion on some cards, so a stage's criteria are met by some and missed by others.
		const rng = mulberry32(9);
		const extra = history.events.filter((e) => e.type === 'exit_checked' && rng.chance(0.5)).map((e) => ({ ...e, at: new Date(e.at.getTime() - 1_000), data: { criterionId: 'style-ok' } }));
		await database.db.insert(boards).values({ id: BOARD, name: 'Attempts', createdBy: null, createdAt: history.stages[0]!.at });
		await upsertStages(database.db, history.stages);
		// Shuffled batches: a card's events arrive out of order, across batches.
		const events = [...history.events, ...extra];
		const batches: (typeof events)[] = [];
		for (let i = 0; i < events.length; i += 300) batches.push(events.slice(i, i + 300));
		for (let i = batches.length - 1; i > 0; i--) {
			const j = Math.floor(rng.next() * (i + 1));
			[batches[i], batches[j]] = [batches[j]!, batches[i]!];
		}
		for (const batch of batches) await insertCardEvents(database.db, batch);
	});

	afterAll(async () => {
		await database?.close();
	});

	it('holds what the replay of the whole history gives', async () => {
		await expectStoredEqualReplay(database);
	});

	it('gives the same review as the in-memory replay, criteria and time zone of now included', async () => {
		const board = liveBoard(history);
		board.stages.find((s) => s.name === 'Review')!.exitCriteria.push({ id: 'style-ok', text: 'Style guide followed' });
		const timeZone = 'America/New_York';
		const { stages, events } = await replayed(database);
		const criteria = new Map(board.stages.map((s) => [s.id, s.exitCriteria.map((c) => c.id)]));
		const attempts = stageAttempts(events, stages, criteria);
		const timelines = buildTimelines(events.filter((e): e is FlowEvent => e.type === 'created' || e.type === 'moved'), stages);
		const today = Math.floor(NOW.getTime() / DAY) * DAY;
		const ranges: Range[] = [
			{ from: today - 29 * DAY, to: today + DAY },
			{ from: today - 150 * DAY, to: today + DAY }
		];
		for (const range of ranges) {
			const baseline = { from: range.from - (range.to - range.from), to: range.from };
			const review = await processReview(database.db, BOARD, range, { workflow: { stages: board.stages, timeZone } });
			const figures = compliance(attempts, timelines, range, stages.map((s) => s.id));
			expect(asJson(review.compliance)).toEqual(asJson({ ...figures, perStage: figures.perStage.map((s) => ({ ...s, name: stages.find((x) => x.id === s.stageId)!.name })) }));
			expect(review.compliance.exits).toBeGreaterThan(100);
			expect(review.compliance.clean).toBeLessThan(review.compliance.exits);
			expect(review.planVsActual.steps).toEqual(planVsActual(attempts, reviewSteps(board.stages), range, timeZone));
			expect(review.planVsActual.steps.some((s) => s.planned > 0 && s.onTime < s.planned && s.onTime > 0)).toBe(true);
			const both = { from: Math.min(range.from, baseline.from), to: range.to };
			expect(review.efficiency).toEqual(efficiencyAgainst(cardTimes(timelines, both), range, baseline));
		}
	});

	it('follows a reordered workflow, and fills a board that has none', async () => {
		// Design before Review: moves from Review to Design are no longer forward, Design to Review are.
		const review = history.stages.find((s) => s.stageId === 'st-review')!;
		await upsertStages(database.db, [{ ...review, rank: 'a3x', at: new Date(NOW.getTime() + 1000) }]);
		await expectStoredEqualReplay(database);
		await database.db.execute(sql`delete from stage_attempts where board_id = ${BOARD}`);
		expect(await rebuildMissingStageAttempts(database.db)).toEqual([BOARD]);
		await expectStoredEqualReplay(database);
		expect(await rebuildMissingStageAttempts(database.db)).toEqual([]);
	});
});
