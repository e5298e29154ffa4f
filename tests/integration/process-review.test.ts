import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { HistoryWriter } from '../../server/history/history-writer.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { mondayOf } from '../../src/lib/board/metrics/flow.ts';
import { TEMPLATE_FORMAT, TEMPLATE_VERSION } from '../../src/lib/board/templates/template.ts';
import { boardMembers, boards } from '../../src/lib/server/db/schema/boards.ts';
import { DomainError } from '../../src/lib/server/errors.ts';
import { readAutomationShare } from '../../src/lib/server/automation-share.ts';
import { createBoardFromTemplate } from '../../src/lib/server/templates/new-board.ts';
import { getTemplate, saveTemplate } from '../../src/lib/server/templates/templates.ts';
import { processReviewForRequest } from '../../src/lib/server/process-review/request.ts';
import { applyAllowance } from '../../src/lib/server/process-review/plan-actual.ts';
import { setComplianceTarget } from '../../src/lib/server/process-review/compliance.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A small working-day process: Brief (two criteria, due 12 working days before the target), Approve outline (7), Write (2). */
const template = {
	format: TEMPLATE_FORMAT,
	version: TEMPLATE_VERSION,
	name: 'Reviewed post',
	description: '',
	teamRoles: [],
	timeUnit: 'working',
	stages: [
		{ key: 'brief', name: 'Brief', kind: 'active', wipLimit: null, wipMode: 'soft', exitCriteria: ['Goal stated', 'Audience named'], step: { ownerRole: null, offset: 12, approval: null } },
		{ key: 'outline', name: 'Approve outline', kind: 'active', wipLimit: null, wipMode: 'soft', exitCriteria: [], step: { ownerRole: null, offset: 7, approval: null } },
		{ key: 'write', name: 'Write', kind: 'active', wipLimit: null, wipMode: 'soft', exitCriteria: [], step: { ownerRole: null, offset: 2, approval: null } },
		{ key: 'done', name: 'Published', kind: 'done', wipLimit: null, wipMode: 'soft', exitCriteria: [], step: { ownerRole: null, offset: null, approval: null } }
	],
	labels: [],
	checklist: []
};

/** Rejects with a DomainError of this code (and changes nothing: the caller checks). */
async function refusedWith(code: DomainError['code'], run: () => Promise<unknown>): Promise<string> {
	const err = await run().then(
		() => null,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(DomainError);
	expect((err as DomainError).code).toBe(code);
	return (err as DomainError).message;
}

describe.each(dbKinds())('the process review from recorded history (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let client: SyncClient;
	const people: Record<string, { id: string; cookie: string }> = {};
	let boardId = '';
	let templateId = '';
	const ids: Record<string, string> = {};
	const now = new Date();
	// A Monday four weeks back, 10:00 UTC: three back-dated cards leave Brief then and Approve outline 7, 7 and 5 working days later.
	const monday = mondayOf(now.getTime() - 28 * DAY) + 10 * HOUR;
	const params = new URLSearchParams({ from: new Date(monday - 10 * DAY).toISOString().slice(0, 10), to: now.toISOString().slice(0, 10) });
	const review = (userId = people.Alex!.id) => processReviewForRequest(fd.app.ctx.db, fd.app.rooms, boardId, userId, params, new Date());

	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 100 });
		for (const name of ['Alex', 'Sam', 'Outsider']) people[name] = await fd.user(name);
		const { db } = fd.app.ctx;
		templateId = await saveTemplate(db, people.Alex!.id, template, now);
		boardId = await createBoardFromTemplate(db, people.Alex!.id, { name: 'Blog', template: (await getTemplate(db, templateId)).template, timeZone: 'UTC', roleHolders: {}, templateId }, now);
		await db.insert(boardMembers).values({ boardId, userId: people.Sam!.id, role: 'editor', joinedAt: now });
		const { stages } = await fd.app.rooms.readBoard(boardId, { kind: 'workflow' });
		for (const s of stages) ids[s.name] = s.id;

		// The back-dated part, through the history writer: K1 and K2 take 7 working days in Approve outline, K3 5.
		const writer = new HistoryWriter(db, boardId, () => {});
		const ev = (cardId: string, type: string, at: number, extra: Record<string, unknown> = {}) => ({ cardId, type, at: new Date(at), actorId: people.Alex!.id, fromStageId: null, toStageId: null, data: {}, ...extra });
		const target = new Date(monday + 18 * DAY).toISOString().slice(0, 10); // Approve outline is due 7 working days before: monday + 9
		for (const [card, leftAfterDays, withTarget] of [['K1', 9, true], ['K2', 9, true], ['K3', 7, false]] as const) {
			writer.events([
				ev(card, 'created', monday - 3 * DAY, { toStageId: ids.Brief, data: { title: card } }),
				...(withTarget ? [ev(card, 'target_changed', monday - 3 * DAY, { data: { target, previous: null } })] : []),
				ev(card, 'exit_checked', monday - DAY, { toStageId: ids.Brief, data: { criterionId: `${ids.Brief}c0` } }),
				ev(card, 'exit_checked', monday - DAY, { toStageId: ids.Brief, data: { criterionId: `${ids.Brief}c1` } }),
				ev(card, 'moved', monday, { fromStageId: ids.Brief, toStageId: ids['Approve outline'], data: { direction: 'forward' } }),
				ev(card, 'moved', monday + leftAfterDays * DAY + 5 * HOUR, { fromStageId: ids['Approve outline'], toStageId: ids.Write, data: { direction: 'forward' } })
			]);
		}
		await writer.flush();

		// The live part, through a real sync client: one card leaves Brief cleanly; the other is refused, then leaves and is sent back.
		client = connectBoard(fd.url, boardId, { cookie: people.Alex!.cookie });
		await client.synced();
		const cmd = boardCommands(client.doc, { userId: people.Alex!.id, now: () => new Date() });
		const clean = cmd.addCard(ids.Brief!, 'Clean exit');
		cmd.setExitCheck(clean, ids.Brief!, `${ids.Brief}c0`, true);
		cmd.setExitCheck(clean, ids.Brief!, `${ids.Brief}c1`, true);
		expect(cmd.moveCard(clean, ids['Approve outline']!, 0)).toBeNull();
		const redo = cmd.addCard(ids.Brief!, 'Sent back');
		cmd.setExitCheck(redo, ids.Brief!, `${ids.Brief}c0`, true);
		expect(cmd.moveCard(redo, ids['Approve outline']!, 0)).toMatchObject({ code: 'exit_criteria' });
		cmd.setExitCheck(redo, ids.Brief!, `${ids.Brief}c1`, true);
		expect(cmd.moveCard(redo, ids['Approve outline']!, 0)).toBeNull();
		expect(cmd.moveCard(redo, ids.Brief!, 0)).toBeNull();
		expect(cmd.moveCard(redo, ids['Approve outline']!, 0)).toBeNull();
	}, 90_000);

	afterAll(async () => {
		client?.destroy();
		await fd?.close();
	});

	it('counts first attempts per stage: 7 of 8 clean, the card sent back into Brief is not', async () => {
		const answer = await waitFor('the live moves are in history', async () => {
			const r = await review();
			return r.compliance.exits === 8 ? r : null;
		});
		expect(answer.compliance).toMatchObject({ exits: 8, clean: 7, sentBack: 1, criteriaMissed: 0, target: 0.95, met: false });
		expect(answer.compliance.perStage.map((s) => [s.name, s.exits, s.clean])).toEqual([
			['Brief', 5, 4],
			['Approve outline', 3, 3]
		]);
		expect(answer.compliance.weekly.reduce((n, w) => n + w.exits, 0)).toBe(8);
		expect(answer.template).toEqual({ id: templateId, name: 'Reviewed post' });
		expect(answer.mayChange).toBe(true);
	});

	it('counts only the cards the board filter matches now (q)', async () => {
		const filtered = await processReviewForRequest(fd.app.ctx.db, fd.app.rooms, boardId, people.Alex!.id, new URLSearchParams([...params, ['q', '"Sent back"']]), new Date());
		expect(filtered.filter).toEqual({ query: '"Sent back"', cards: 1 });
		expect(filtered.compliance).toMatchObject({ exits: 1, clean: 0, sentBack: 1 });
		expect(filtered.planVsActual.steps.map((s) => [s.name, s.left])).toEqual([
			['Brief', 1],
			['Approve outline', 0],
			['Write', 0]
		]);
	});

	it('compares Approve outline with its plan and suggests 7 working days instead of 5', async () => {
		const { planVsActual } = await review();
		const outline = planVsActual.steps.find((s) => s.name === 'Approve outline')!;
		expect(outline).toMatchObject({ left: 3, planned: 2, onTime: 2, p50: 7, p85: 7, allowance: 5, unit: 'working' });
		expect(outline.suggestion).toEqual({ days: 7, message: '“Approve outline” takes 7 working days at p85; the plan allows 5 — change it to 7?' });
	});

	it('gives every month of the range and an automation trend that adds up to the stats’ share', async () => {
		const { efficiency, automation, range } = await review();
		const months = efficiency.monthly.map((m) => m.month);
		expect([months[0], months.at(-1)]).toEqual([range.from.slice(0, 7), range.to.slice(0, 7)]);
		expect(efficiency.baseline.to).toBe(new Date(Date.parse(`${range.from}T00:00:00Z`) - DAY).toISOString().slice(0, 10));
		const whole = await readAutomationShare(fd.app.ctx.db, boardId, { from: Date.parse(`${range.from}T00:00:00Z`), to: Date.parse(`${range.to}T00:00:00Z`) + DAY });
		expect(automation.monthly.reduce((n, m) => n + m.total, 0)).toBe(whole.total);
		expect(whole.total).toBeGreaterThan(0);
	});

	it('lets only the owners and the process owner change the target, with validation', async () => {
		const { db } = fd.app.ctx;
		expect(await refusedWith('forbidden', () => setComplianceTarget(db, boardId, people.Sam!.id, { percent: 90 }))).toContain('process owner');
		await refusedWith('not_found', () => setComplianceTarget(db, boardId, people.Outsider!.id, { percent: 90 }));
		expect(await refusedWith('invalid_input', () => setComplianceTarget(db, boardId, people.Alex!.id, { percent: 120 }))).toBe('The target cannot be more than 100 %.');
		await refusedWith('invalid_input', () => setComplianceTarget(db, boardId, people.Alex!.id, { percent: 'ninety' }));
		expect((await review()).compliance.target).toBe(0.95);
		// Sam becomes the process owner: now Sam may.
		await db.update(boards).set({ processOwnerId: people.Sam!.id }).where(eq(boards.id, boardId));
		expect(await setComplianceTarget(db, boardId, people.Sam!.id, { percent: 85 })).toBe(85);
		const after = await review(people.Sam!.id);
		expect(after.compliance).toMatchObject({ target: 0.85, met: true });
		expect(after.mayChange).toBe(true);
		await db.update(boards).set({ processOwnerId: people.Alex!.id }).where(eq(boards.id, boardId));
		expect((await review(people.Sam!.id)).mayChange).toBe(false);
		await refusedWith('not_found', () => review(people.Outsider!.id));
	});

	it('applies a suggestion to the board and to the owner’s template in one click; others are refused', async () => {
		const { db } = fd.app.ctx;
		const rooms = fd.app.rooms;
		const body = { stageId: ids['Approve outline'], days: 7 };
		await refusedWith('forbidden', () => applyAllowance(db, rooms, boardId, people.Sam!.id, body, new Date()));
		await refusedWith('not_found', () => applyAllowance(db, rooms, boardId, people.Outsider!.id, body, new Date()));
		expect(await refusedWith('invalid_input', () => applyAllowance(db, rooms, boardId, people.Alex!.id, { stageId: ids.Brief, days: 3 }, new Date()))).toContain('no allowance');
		const offsets = async () => (await rooms.readBoard(boardId, { kind: 'workflow' })).stages.map((s) => s.step?.offset ?? null);
		expect(await offsets()).toEqual([12, 7, 2, null]);

		const applied = await applyAllowance(db, rooms, boardId, people.Alex!.id, body, new Date());
		expect(applied).toEqual({ changed: [{ stageId: ids.Brief, offset: 14 }], template: { name: 'Reviewed post', updated: true, reason: null } });
		expect(await offsets()).toEqual([14, 7, 2, null]);
		expect((await getTemplate(db, templateId)).template.stages.map((s) => s.step.offset)).toEqual([14, 7, 2, null]);
		const outline = (await review()).planVsActual.steps.find((s) => s.name === 'Approve outline')!;
		expect(outline).toMatchObject({ allowance: 7, suggestion: null });
	});
});
