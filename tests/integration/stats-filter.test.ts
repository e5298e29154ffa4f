import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { insertCardEvents, readCardEvents, readStages, upsertStages } from '../../src/lib/server/history.ts';
import { boardStats, parseStatsQuery } from '../../src/lib/server/stats.ts';
import { statsForRequest } from '../../src/lib/server/stats-request.ts';
import { notifications } from '../../src/lib/server/db/schema/notifications.ts';
import { FilterQueryError } from '../../src/lib/server/filter/card-filter.ts';

const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

/** What a refused filter says: its message and place, or 'accepted'. */
const refusalOf = (p: Promise<unknown>) =>
	p.then(
		() => 'accepted' as const,
		(err: unknown) => (err instanceof FilterQueryError ? { message: err.message, start: err.start, end: err.end } : err)
	);

describe.each(dbKinds())('stats restricted by the filter language (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let client: SyncClient;
	let boardId = '';
	let owner: { id: string; cookie: string };
	const ids: Record<string, string> = {};

	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 100 });
		const { db } = fd.app.ctx;
		owner = await fd.user('Owner');
		const sam = await fd.user('Sam');
		boardId = await createBoard(db, owner.id, 'Content', new Date());
		const { token } = await createInvite(db, boardId, owner.id, { role: 'editor', days: 7 }, new Date());
		await acceptInvite(db, token, sam.id, new Date());

		// Real edits from a real sync client, recorded by the server's history as they would be from a browser.
		client = connectBoard(fd.url, boardId, { cookie: owner.cookie });
		await client.synced();
		const cmd = boardCommands(client.doc, { userId: owner.id, now: () => new Date() });
		const stage = (name: string) => readSnapshot(client.doc).stages.find((s) => s.name === name)!.id;
		const card = (title: string, label: string | null, ownerId: string | null, path: string[]) => {
			const id = cmd.addCard(stage('To do'), title);
			if (label) cmd.setLabels(id, [{ name: label, color: 'sky' }]);
			if (ownerId) cmd.addOwner(id, ownerId);
			for (const to of path) expect(cmd.moveCard(id, stage(to), 0)).toBeNull();
			return id;
		};
		ids.audit = card('SEO audit', 'SEO', sam.id, ['In progress', 'Done']);
		ids.brief = card('SEO brief', 'seo', null, ['In progress']);
		ids.social = card('Social post', 'Social', sam.id, ['Done']);
		ids.letter = card('Newsletter', null, null, ['In progress', 'To do']);
		const moves = 6;
		await waitFor('the history has every move', async () => (await readCardEvents(db, boardId)).filter((e) => e.type === 'moved').length === moves);
		// Sam heard about both assignments: the automation share counts those notifications too.
		await waitFor('Sam was notified twice', async () => (await db.select().from(notifications).where(eq(notifications.boardId, boardId))).length === 2);
	}, 60_000);

	afterAll(async () => {
		client?.destroy();
		await fd?.close();
	});

	/** The stats of a new board whose history is exactly these cards' history on the test board. */
	async function statsOfJust(cardIds: string[], params: URLSearchParams, now: Date) {
		const { db } = fd.app.ctx;
		const copyId = await createBoard(db, owner.id, 'Just those cards', new Date());
		await upsertStages(
			db,
			(await readStages(db, boardId)).map((s) => ({ boardId: copyId, stageId: s.stageId, name: s.name, kind: s.kind, rank: s.rank, deleted: s.deletedAt !== null, at: s.updatedAt }))
		);
		const events = (await readCardEvents(db, boardId)).filter((e) => cardIds.includes(e.cardId));
		await insertCardEvents(
			db,
			events.map((e) => ({ boardId: copyId, cardId: e.cardId, type: e.type, at: e.at, actorId: e.actorId, fromStageId: e.fromStageId, toStageId: e.toStageId, data: e.data as Record<string, unknown>, ruleId: e.ruleId }))
		);
		const told = (await db.select().from(notifications).where(eq(notifications.boardId, boardId))).filter((n) => n.cardId !== null && cardIds.includes(n.cardId));
		if (told.length > 0) await db.insert(notifications).values(told.map(({ id: _id, ...n }) => ({ ...n, boardId: copyId, key: null })));
		return boardStats(db, copyId, parseStatsQuery(params, now), now);
	}

	it.each([
		['label:seo', ['audit', 'brief']],
		['owner:@sam', ['audit', 'social']],
		['-label:seo is:done', ['social']]
	])('%s: every figure equals the figure recomputed over just the matching cards', async (q, expected) => {
		const { db, documents } = fd.app.ctx;
		const now = new Date();
		const { filter, ...filtered } = await statsForRequest(db, documents, boardId, owner.id, new URLSearchParams({ q }), now);
		const matching = expected.map((name) => ids[name]!);
		expect(filter).toEqual({ query: q, cards: expected.length });
		const just = await statsOfJust(matching, new URLSearchParams(), now);
		expect(asJson(filtered)).toEqual(asJson(just));
		// And it is a restriction: the figures differ from the whole board's.
		const whole = await statsForRequest(db, documents, boardId, owner.id, new URLSearchParams(), now);
		expect(whole.filter).toBeNull();
		expect(whole.leadTime.count).toBe(2);
		expect(filtered.leadTime.cards.map((c) => c.cardId).sort()).toEqual(matching.filter((id) => id === ids.audit || id === ids.social).sort());
		expect(filtered.ageing.map((c) => c.cardId).sort()).toEqual(matching.filter((id) => id === ids.brief).sort());
	});

	it('a bad filter is refused with its place, and nothing is computed or changed', async () => {
		const { db, documents } = fd.app.ctx;
		const before = (await readCardEvents(db, boardId)).length;
		const ask = (q: string) => refusalOf(statsForRequest(db, documents, boardId, owner.id, new URLSearchParams({ q, from: '2026-01-01', to: '2026-01-31' }), new Date()));
		expect(await ask('label:seo lable:x')).toMatchObject({ start: 10, end: 16, message: expect.stringContaining('Unknown field “lable”') });
		expect(await ask('label:nope')).toEqual({ message: 'No card on this board has the label “nope”.', start: 0, end: 10 });
		expect(await ask('owner:@nobody')).toMatchObject({ start: 0, end: 13 });
		expect(await ask('"open quote')).toMatchObject({ start: 0, end: 11, message: 'This quote is never closed.' });
		// Leading spaces (as typed in a field) keep the place right.
		expect(await ask('  stage:Nowhere')).toMatchObject({ start: 2, end: 15 });
		expect((await readCardEvents(db, boardId)).length).toBe(before);
		// A bad date is still refused first, as before (no filter work for a request that cannot be answered).
		expect(await refusalOf(statsForRequest(db, documents, boardId, owner.id, new URLSearchParams({ q: 'lable:x', from: '2026-02-30' }), new Date()))).not.toBe('accepted');
	});

	it('a filter matching nothing gives empty figures; one the viewer cannot see is not found', async () => {
		const { db, documents } = fd.app.ctx;
		const none = await statsForRequest(db, documents, boardId, owner.id, new URLSearchParams({ q: 'label:seo label:social is:blocked' }), new Date());
		expect(none.filter).toEqual({ query: 'label:seo label:social is:blocked', cards: 0 });
		expect(none.leadTime.count).toBe(0);
		expect(none.ageing).toEqual([]);
		const outsider = await fd.user('Outsider');
		const refused = await statsForRequest(db, documents, boardId, outsider.id, new URLSearchParams({ q: 'label:seo' }), new Date()).catch((err: unknown) => err);
		expect(refused).toMatchObject({ code: 'not_found' });
	});
});
