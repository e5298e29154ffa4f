import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { waitFor } from '../helpers/sync-client.ts';
import { readStages } from '../../src/lib/server/history.ts';
import { HistoryWriter } from '../../server/history/history-writer.ts';
import { mondayOf } from '../../src/lib/board/metrics/flow.ts';
import { TEMPLATE_FORMAT, TEMPLATE_VERSION } from '../../src/lib/board/templates/template.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { createBoardFromTemplate } from '../../src/lib/server/templates/new-board.ts';
import { getTemplate, saveTemplate } from '../../src/lib/server/templates/templates.ts';
import { processReviewForRequest } from '../../src/lib/server/process-review/request.ts';
import { missedForRequest } from '../../src/lib/server/process-review/deadlines-request.ts';
import { portfolioForRequest } from '../../src/lib/server/portfolio/request.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

const stage = (key: string, name: string, kind: string, exitCriteria: string[], offset: number | null) => ({ key, name, kind, wipLimit: null, wipMode: 'soft', exitCriteria, step: { ownerRole: null, offset, approval: null } });
/** Two processes: a reviewed post (working days) and a launch (calendar days). */
const templates = {
	post: {
		format: TEMPLATE_FORMAT,
		version: TEMPLATE_VERSION,
		name: 'Reviewed post',
		description: '',
		teamRoles: [],
		timeUnit: 'working',
		stages: [stage('brief', 'Brief', 'active', ['Goal stated', 'Audience named'], 12), stage('outline', 'Approve outline', 'active', [], 7), stage('write', 'Write', 'active', [], 2), stage('done', 'Published', 'done', [], null)],
		labels: [],
		checklist: []
	},
	launch: {
		format: TEMPLATE_FORMAT,
		version: TEMPLATE_VERSION,
		name: 'Launch',
		description: '',
		teamRoles: [],
		timeUnit: 'calendar',
		stages: [stage('plan', 'Plan', 'active', ['Budget agreed'], 5), stage('ship', 'Ship', 'active', [], 0), stage('done', 'Live', 'done', [], null)],
		labels: [],
		checklist: []
	}
};

describe.each(dbKinds())('the portfolio’s compliance and its figures per template (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	const people: Record<string, { id: string; cookie: string }> = {};
	const boardIds: Record<'a' | 'b' | 'c' | 'plain' | 'sams', string> = { a: '', b: '', c: '', plain: '', sams: '' };
	const templateIds = { post: '', launch: '' };
	const now = new Date();
	const monday = mondayOf(now.getTime() - 28 * DAY) + 10 * HOUR;
	const day = (t: number) => new Date(t).toISOString().slice(0, 10);
	const params = new URLSearchParams({ from: day(monday - 10 * DAY), to: day(now.getTime()) });

	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 100 });
		for (const name of ['Alex', 'Sam']) people[name] = await fd.user(name);
		const { db } = fd.app.ctx;
		const alex = people.Alex!.id;
		templateIds.post = await saveTemplate(db, alex, templates.post, now);
		templateIds.launch = await saveTemplate(db, alex, templates.launch, now);
		const fromTemplate = async (owner: string, name: string, template: keyof typeof templates) =>
			createBoardFromTemplate(db, owner, { name, template: (await getTemplate(db, templateIds[template])).template, timeZone: 'UTC', roleHolders: {}, templateId: templateIds[template] }, now);
		boardIds.a = await fromTemplate(alex, 'Blog A', 'post');
		boardIds.b = await fromTemplate(alex, 'Blog B', 'post');
		boardIds.c = await fromTemplate(alex, 'Launches', 'launch');
		boardIds.sams = await fromTemplate(people.Sam!.id, 'Sam’s blog', 'post');
		boardIds.plain = await createBoard(db, alex, 'Plain', now);

		// Back-dated history through the history writer, on each board's own stage and criterion ids.
		const write = async (boardId: string, cards: (ev: Ev, ids: Record<string, string>) => ReturnType<Ev>[]) => {
			const { stages } = await fd.app.rooms.readBoard(boardId, { kind: 'workflow' });
			const ids = Object.fromEntries(stages.map((s) => [s.name, s.id]));
			// The room stores its stages as it loads: the card_flow rows written with the events need their kinds.
			await waitFor('the room stored the board’s stages', async () => (await readStages(db, boardId)).length === stages.length || null);
			const writer = new HistoryWriter(db, boardId, () => {});
			const ev: Ev = (cardId, type, at, extra = {}) => ({ cardId, type, at: new Date(at), actorId: alex, fromStageId: null, toStageId: null, data: {}, ...extra });
			writer.events(cards(ev, ids));
			await writer.flush();
		};
		const created = (ev: Ev, card: string, stageId: string, target: string | null) => [
			ev(card, 'created', monday - 3 * DAY, { toStageId: stageId, data: { title: card } }),
			...(target ? [ev(card, 'target_changed', monday - 3 * DAY, { data: { target, previous: null } })] : [])
		];
		const check = (ev: Ev, card: string, stageId: string, ...criteria: number[]) => criteria.map((c) => ev(card, 'exit_checked', monday - DAY, { toStageId: stageId, data: { criterionId: `${stageId}c${c}` } }));
		const move = (ev: Ev, card: string, at: number, fromStageId: string, toStageId: string, direction = 'forward') => ev(card, 'moved', at, { fromStageId, toStageId, data: { direction } });
		const post = (ev: Ev, s: Record<string, string>, card: string, target: string | null, publishedAt: number) => [
			...created(ev, card, s.Brief!, target),
			...check(ev, card, s.Brief!, 0, 1),
			move(ev, card, monday, s.Brief!, s['Approve outline']!),
			move(ev, card, monday + 7 * DAY, s['Approve outline']!, s.Write!),
			move(ev, card, publishedAt, s.Write!, s.Published!)
		];
		// Blog A: A1 clean all the way (3 exits) and on time; A2 left Brief without "Audience named" and was sent back.
		await write(boardIds.a, (ev, s) => [
			...post(ev, s, 'A1', day(monday + 18 * DAY), monday + 10 * DAY),
			...created(ev, 'A2', s.Brief!, null),
			...check(ev, 'A2', s.Brief!, 0),
			move(ev, 'A2', monday, s.Brief!, s['Approve outline']!),
			move(ev, 'A2', monday + DAY, s['Approve outline']!, s.Brief!, 'backward'),
			move(ev, 'A2', monday + 2 * DAY, s.Brief!, s['Approve outline']!)
		]);
		// Blog B: B1 clean, but published two days after its target date; B2 clean out of Brief.
		await write(boardIds.b, (ev, s) => [
			...post(ev, s, 'B1', day(monday + 8 * DAY), monday + 10 * DAY + 5 * HOUR),
			...created(ev, 'B2', s.Brief!, null),
			...check(ev, 'B2', s.Brief!, 0, 1),
			move(ev, 'B2', monday, s.Brief!, s['Approve outline']!)
		]);
		// Launches: C1 clean and on time (2 exits); C2 left Plan without "Budget agreed".
		await write(boardIds.c, (ev, s) => [
			...created(ev, 'C1', s.Plan!, day(monday + 10 * DAY)),
			...check(ev, 'C1', s.Plan!, 0),
			move(ev, 'C1', monday, s.Plan!, s.Ship!),
			move(ev, 'C1', monday + 2 * DAY, s.Ship!, s.Live!),
			...created(ev, 'C2', s.Plan!, null),
			move(ev, 'C2', monday, s.Plan!, s.Ship!)
		]);
		// Sam's board from the same template: a late, unclean post Alex must not count.
		await write(boardIds.sams, (ev, s) => [...created(ev, 'S1', s.Brief!, day(monday)), move(ev, 'S1', monday, s.Brief!, s['Approve outline']!), move(ev, 'S1', monday + DAY, s['Approve outline']!, s.Published!)]);
	}, 90_000);

	afterAll(async () => {
		await fd?.close();
	});

	const alexsPortfolio = () => portfolioForRequest(fd.app.ctx.db, fd.app.rooms, people.Alex!.id, params, now);

	it('gives each board its compliance against its target, worked out by hand and equal to its own process review', async () => {
		const { boards } = await alexsPortfolio();
		const byName = Object.fromEntries(boards.map((b) => [b.name, b]));
		expect(Object.keys(byName).sort()).toEqual(['Blog A', 'Blog B', 'Launches', 'Plain']);
		expect(byName['Blog A']).toMatchObject({ compliance: 3 / 4, complianceExits: 4, complianceTarget: 0.95 });
		expect(byName['Blog B']).toMatchObject({ compliance: 1, complianceExits: 4 });
		expect(byName.Launches).toMatchObject({ compliance: 2 / 3, complianceExits: 3 });
		expect(byName.Plain).toMatchObject({ compliance: null, complianceExits: 0, complianceTarget: 0.95 });
		for (const board of boards) {
			const review = await processReviewForRequest(fd.app.ctx.db, fd.app.rooms, board.id, people.Alex!.id, params, now);
			expect({ name: board.name, rate: board.compliance, exits: board.complianceExits, target: board.complianceTarget }).toEqual({
				name: board.name,
				rate: review.compliance.rate,
				exits: review.compliance.exits,
				target: review.compliance.target
			});
		}
	});

	it('adds up the boards of each template the caller is on, as their own reviews give them', async () => {
		const { templates: rows } = await alexsPortfolio();
		// Two boards from "Reviewed post" (not Sam's), one from "Launch"; the plain board is in no row.
		expect(rows.map((t) => [t.name, t.boards])).toEqual([
			['Launch', 1],
			['Reviewed post', 2]
		]);
		const post = rows.find((t) => t.templateId === templateIds.post)!;
		// A 3 of 4 and B 4 of 4 clean: 7 of 8. B1 finished the day after its target date, A1 well before its own.
		expect(post).toMatchObject({ exits: 8, clean: 7, compliance: 7 / 8, withTarget: 2, late: 1 });
		expect(post.lateDaysP50).toBeGreaterThan(1);
		expect(post.lateDaysP50).toBeLessThan(2);
		expect(rows.find((t) => t.templateId === templateIds.launch)).toMatchObject({ exits: 3, clean: 2, withTarget: 1, late: 0, lateDaysP50: null });
		for (const row of rows) {
			const members = row.templateId === templateIds.post ? [boardIds.a, boardIds.b] : [boardIds.c];
			let planned = 0;
			let onTime = 0;
			let withTarget = 0;
			for (const boardId of members) {
				const review = await processReviewForRequest(fd.app.ctx.db, fd.app.rooms, boardId, people.Alex!.id, params, now);
				planned += review.planVsActual.steps.reduce((n, s) => n + s.planned, 0);
				onTime += review.planVsActual.steps.reduce((n, s) => n + s.onTime, 0);
				withTarget += (await missedForRequest(fd.app.ctx.db, fd.app.rooms, boardId, people.Alex!.id, params, now)).withTarget;
			}
			expect({ planned: row.stepsPlanned, onTime: row.stepsOnTime, withTarget: row.withTarget }).toEqual({ planned, onTime, withTarget });
			expect(row.stepsPlanned).toBeGreaterThan(0);
		}
		// Sam sees his own board's row only: one board, its one unclean exit and its late card.
		const sams = await portfolioForRequest(fd.app.ctx.db, fd.app.rooms, people.Sam!.id, params, now);
		expect(sams.templates).toMatchObject([{ name: 'Reviewed post', boards: 1, withTarget: 1, late: 1 }]);
	});
});

type Ev = (
	cardId: string,
	type: string,
	at: number,
	extra?: Record<string, unknown>
) => { cardId: string; type: string; at: Date; actorId: string; fromStageId: string | null; toStageId: string | null; data: Record<string, unknown> };
