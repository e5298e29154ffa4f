import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { dbKinds, queryRows, type DbKind } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { refusal } from '../helpers/refusal.ts';
import { signUp } from '../../src/lib/server/accounts.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { boardMembers } from '../../src/lib/server/db/schema/boards.ts';
import { addTeamRole, setTeamRoleHolders } from '../../src/lib/server/boards/team-roles.ts';
import { addComment } from '../../src/lib/server/comments/service.ts';
import { createSavedView } from '../../src/lib/server/views/saved-views.ts';
import { statsForRequest } from '../../src/lib/server/stats-request.ts';
import { processReviewForRequest } from '../../src/lib/server/process-review/request.ts';
import { exportBoard } from '../../src/lib/server/board-export/export.ts';
import { parseBoardExport } from '../../src/lib/server/board-export/parse.ts';
import { restoreBoard } from '../../src/lib/server/board-export/restore.ts';
import type { BoardSnapshot } from '../../src/lib/board/types.ts';
import type { NamedCommand } from '../../src/lib/board/doc/named-commands.ts';

const PASSWORD = 'plum-orbit-cactus-91';
const other = (kind: DbKind): DbKind => (dbKinds().includes('postgres') ? (kind === 'pglite' ? 'postgres' : 'pglite') : kind);

/** A snapshot with user ids replaced by the people's emails, so boards on two servers compare. */
function byEmail(snapshot: BoardSnapshot, emails: ReadonlyMap<string, string>): unknown {
	return JSON.parse(JSON.stringify(snapshot), (_key, value: unknown) => (typeof value === 'string' && emails.has(value) ? emails.get(value) : value));
}

describe.each(dbKinds())('board export and restore (%s)', (kind) => {
	// The board's engine stamps history with the real clock: the fixture's times are real, milliseconds apart.
	const clock = { now: () => new Date() };
	// One instant for both boards' figures: the ageing of open work counts up to it.
	let at = new Date();
	const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
	let src: InProcessFlowdeck;
	let dst: InProcessFlowdeck;
	let boardId = '';
	const ids = { owner: '', eve: '', gone: '', dstOwner: '', dstEve: '' };
	const emails = new Map<string, string>();
	const run = (commands: NamedCommand[], actor = ids.owner) => src.app.rooms.applyAsServer(boardId, { kind: 'server', actorId: actor }, commands);

	beforeAll(async () => {
		const overrides = { pollJobs: false, searchBackfill: false };
		[src, dst] = await Promise.all([startInProcess(kind, { unloadGraceMs: 100 }, overrides), startInProcess(other(kind), { unloadGraceMs: 100 }, overrides)]);
		const now = clock.now();
		const db = src.app.ctx.db;
		ids.owner = await signUp(db, { name: 'Olga Owner', email: 'olga@example.com', password: PASSWORD }, now);
		ids.eve = await signUp(db, { name: 'Eve Editor', email: 'eve@example.com', password: PASSWORD }, now);
		ids.gone = await signUp(db, { name: 'Gus Gone', email: 'gus@example.com', password: PASSWORD }, now);
		// On the other server: Olga and Eve have accounts (other ids) and share a board; Gus has none.
		ids.dstOwner = await signUp(dst.app.ctx.db, { name: 'Olga Owner', email: 'OLGA@example.com', password: PASSWORD }, now);
		ids.dstEve = await signUp(dst.app.ctx.db, { name: 'Eve Editor', email: 'eve@example.com', password: PASSWORD }, now);
		const shared = await createBoard(dst.app.ctx.db, ids.dstOwner, 'Where we met', now);
		await dst.app.ctx.db.insert(boardMembers).values({ boardId: shared, userId: ids.dstEve, role: 'editor', joinedAt: now });
		for (const [a, b] of [[ids.owner, ids.dstOwner], [ids.eve, ids.dstEve]] as const) {
			emails.set(a, a === ids.owner ? 'olga' : 'eve');
			emails.set(b, b === ids.dstOwner ? 'olga' : 'eve');
		}

		boardId = await createBoard(db, ids.owner, 'Campaigns', now);
		await db.insert(boardMembers).values([
			{ boardId, userId: ids.eve, role: 'editor', joinedAt: now },
			{ boardId, userId: ids.gone, role: 'editor', joinedAt: now }
		]);
		const writer = await addTeamRole(db, boardId, ids.owner, 'Writer', now, src.app.ctx.teamRoles);
		await setTeamRoleHolders(db, boardId, ids.owner, writer, [ids.eve, ids.gone], src.app.ctx.teamRoles);
		const { stages } = await src.app.rooms.readBoard(boardId, { kind: 'workflow' });
		const [backlog, todo, doing, review, done] = stages.map((s) => s.id) as [string, string, string, string, string];
		await run([{ name: 'setWipLimit', args: [doing, 3, 'hard'] }, { name: 'addExitCriterion', args: [review, 'Legal said yes'] }]);
		const cards: string[] = [];
		for (let i = 0; i < 8; i++) {
			const [id] = (await run([{ name: 'addCard', args: [i % 2 ? backlog : todo, `Post ${i + 1}`] }], i % 3 ? ids.owner : ids.eve)) as [string];
			cards.push(id);
			await run([
				{ name: 'setLabels', args: [id, [{ name: 'Blog', color: 'sky' }]] },
				{ name: 'addOwner', args: [id, i % 2 ? ids.eve : ids.gone] },
				{ name: 'setDue', args: [id, `2026-03-${String(10 + i).padStart(2, '0')}`] },
				{ name: 'setTarget', args: [id, `2026-03-${String(12 + i).padStart(2, '0')}`] },
				{ name: 'addChecklistItem', args: [id, 'Spell-checked'] },
				{ name: 'setDescription', args: [id, `Draft **${i}**`] }
			]);
		}
		// Work flows: most cards go through doing and review to done; one sent back, one blocked, one archived.
		for (const [n, id] of cards.slice(0, 6).entries()) {
			await run([{ name: 'moveCard', args: [id, doing, 0] }], n % 2 ? ids.eve : ids.owner);
			if (n === 4) continue;
			// One card is sent back once: rework the process review counts.
			if (n === 1) await run([{ name: 'moveCard', args: [id, todo, 0] }, { name: 'moveCard', args: [id, doing, 0] }]);
			const [criterion] = (await src.app.rooms.readBoard(boardId, { kind: 'workflow' })).stages.find((s) => s.id === review)!.exitCriteria;
			await run([{ name: 'moveCard', args: [id, review, 0] }]);
			await run([{ name: 'setExitCheck', args: [id, review, criterion!.id, true] }]);
			if (n !== 3) await run([{ name: 'moveCard', args: [id, done, 0] }]);
		}
		await run([{ name: 'setBlocked', args: [cards[6]!, 'Waiting for the photos'] }]);
		await run([{ name: 'setArchived', args: [cards[7]!, true] }]);
		await addComment(src.app.ctx, boardId, ids.eve, cards[0]!, { body: 'Looks good to me' });
		await addComment(src.app.ctx, boardId, ids.gone, cards[0]!, { body: 'I was here once' });
		await createSavedView(db, boardId, ids.owner, { name: 'Blog work', query: 'label:Blog', shared: true }, clock.now());
		// What Flowdeck told people about the board: the process's hand-off, a reminder, a mention (a person's doing).
		const tell = (userId: string, kind: 'assigned' | 'due_soon' | 'mention', ruleId: string | null, card = cards[0]!) =>
			src.app.ctx.notify({ userId, boardId, cardId: card, kind, title: `About ${card}`, ruleId });
		await tell(ids.eve, 'assigned', 'process');
		await tell(ids.gone, 'due_soon', null, cards[1]);
		await tell(ids.owner, 'mention', null);
	}, 120_000);

	afterAll(async () => {
		await Promise.all([src?.close(), dst?.close()]);
	});

	const exported = async () => {
		const data = await exportBoard(src.app.ctx.db, src.app.ctx.documents, boardId, ids.owner, clock.now(), '0.1.0');
		return JSON.stringify(data);
	};
	/**
	 * The stats and the process review of a board, whole: the automation share included, which also counts the
	 * notifications Flowdeck sent people about the board (the export carries when and about what, not to whom).
	 */
	const figures = async (fd: InProcessFlowdeck, board: string, userId: string) => {
		const params = new URLSearchParams({ from: day(-10), to: day(1) });
		const stats = await statsForRequest(fd.app.ctx.db, fd.app.ctx.documents, board, userId, params, at);
		const review = await processReviewForRequest(fd.app.ctx.db, fd.app.ctx.documents, board, userId, params, at);
		return { stats, review };
	};

	it('a restore on the same server makes a new board with the same snapshot, stats and process figures', async () => {
		const text = await exported();
		const restored = await restoreBoard(src.app.ctx.db, ids.owner, parseBoardExport(text), clock.now());
		expect(restored).toMatchObject({ name: 'Campaigns', cards: 8, peopleFound: 3, peopleMissing: 0 });
		expect(restored.boardId).not.toBe(boardId);
		const [before, after] = await Promise.all([src.app.rooms.readBoard(boardId, { kind: 'export' }), src.app.rooms.readBoard(restored.boardId, { kind: 'export' })]);
		expect(after.snapshot).toEqual(before.snapshot);
		at = new Date();
		const [a, b] = await Promise.all([figures(src, boardId, ids.owner), figures(src, restored.boardId, ids.owner)]);
		// Pins the fixture: four cards finished and three notifications counted, so equal figures are not equal emptiness.
		expect(a.stats.leadTime?.count).toBe(4);
		expect(a.stats.automation.byProcess).toBeGreaterThanOrEqual(2);
		expect(a.stats.automation.byPeople).toBeGreaterThan(0);
		expect(b).toEqual(a);
		const derived = (board: string) => queryRows<{ n: number }>(src.app.database, sql`select (select count(*) from card_flow where board_id = ${board})::int + (select count(*) from stage_attempts where board_id = ${board})::int as n`);
		expect(await derived(restored.boardId)).toEqual(await derived(boardId));
	});

	it('a restore on another server maps people by email: same snapshot and stats, history and comments with the new ids, Gus as a stand-in', async () => {
		const text = await exported();
		const restored = await restoreBoard(dst.app.ctx.db, ids.dstOwner, parseBoardExport(text), clock.now());
		expect(restored).toMatchObject({ peopleFound: 2, peopleMissing: 1 });
		const [before, after] = await Promise.all([src.app.rooms.readBoard(boardId, { kind: 'export' }), dst.app.rooms.readBoard(restored.boardId, { kind: 'export' })]);
		// Gus has no account here: his card ownerships and his team role are gone; everything else is the same.
		const withoutGus = JSON.parse(JSON.stringify(before.snapshot).replaceAll(`,"${ids.gone}"`, '').replaceAll(`"${ids.gone}",`, '').replaceAll(`"${ids.gone}"`, '')) as BoardSnapshot;
		for (const card of Object.values(withoutGus.cards)) card.owners = card.owners.filter(Boolean);
		for (const list of [...Object.values(withoutGus.cardsByStage), withoutGus.archived]) for (const card of list) card.owners = card.owners.filter(Boolean);
		expect(byEmail(after.snapshot, emails)).toEqual(byEmail(withoutGus, emails));
		at = new Date();
		const [a, b] = await Promise.all([figures(src, boardId, ids.owner), figures(dst, restored.boardId, ids.dstOwner)]);
		expect(a.stats.leadTime?.count).toBe(4);
		expect(byEmail(b as unknown as BoardSnapshot, emails)).toEqual(byEmail(a as unknown as BoardSnapshot, emails));
		const members = await queryRows<{ user_id: string; role: string }>(dst.app.database, sql`select user_id, role from board_members where board_id = ${restored.boardId} order by role`);
		expect(members).toEqual([
			{ user_id: ids.dstEve, role: 'editor' },
			{ user_id: ids.dstOwner, role: 'owner' }
		]);
		const holders = await queryRows<{ user_id: string }>(dst.app.database, sql`select user_id from board_team_role_holders where board_id = ${restored.boardId}`);
		expect(holders).toEqual([{ user_id: ids.dstEve }]);
		const comments = await queryRows<{ author_id: string; body: string }>(dst.app.database, sql`select author_id, body from card_comments where board_id = ${restored.boardId} order by created_at, body`);
		expect(comments.map((c) => c.body).sort()).toEqual(['I was here once', 'Looks good to me']);
		expect(comments.find((c) => c.body === 'Looks good to me')?.author_id).toBe(ids.dstEve);
		// Gus's comment keeps a stand-in author: no account of this server, not his old id.
		const gus = comments.find((c) => c.body === 'I was here once')!.author_id;
		expect([ids.gone, ids.dstEve, ids.dstOwner]).not.toContain(gus);
		const actors = await queryRows<{ actor_id: string | null }>(dst.app.database, sql`select distinct actor_id from card_events where board_id = ${restored.boardId} order by actor_id`);
		expect(actors.map((r) => r.actor_id).sort()).toEqual([ids.dstEve, ids.dstOwner].sort());
		const views = await queryRows<{ owner_id: string; name: string; shared: boolean }>(dst.app.database, sql`select owner_id, name, shared from saved_views where board_id = ${restored.boardId}`);
		expect(views).toEqual([{ owner_id: ids.dstOwner, name: 'Blog work', shared: true }]);
	});

	it('refuses a newer format, a cut-short file, something else and a damaged one, creating nothing', async () => {
		const text = await exported();
		const boardsBefore = await queryRows<{ n: number }>(dst.app.database, sql`select count(*)::int as n from boards`);
		const newer = JSON.stringify({ ...(JSON.parse(text) as object), version: 7 });
		const cases: [string, RegExp][] = [
			[newer, /^This export comes from a newer Flowdeck \(format version 7\); this server reads up to 1\. Upgrade this server first\.$/],
			[text.slice(0, Math.floor(text.length * 0.6)), /not complete JSON .*cut short/],
			['{"name":"Trello board","cards":[]}', /not a Flowdeck board export/],
			[text.replace(/("events":\[\{[^}]*?"at":)"[^"]+"/, '$1"yesterday"'), /damaged at events\[0\]\.at/],
			[text.replace(/"state":"[^"]+"/, '"state":"AAAA"'), /board document in this export is damaged/]
		];
		for (const [file, message] of cases) {
			const err = await refusal(async () => restoreBoard(dst.app.ctx.db, ids.dstOwner, parseBoardExport(file), clock.now()));
			expect(err.code).toBe('invalid_input');
			expect(err.message).toMatch(message);
		}
		expect(await queryRows<{ n: number }>(dst.app.database, sql`select count(*)::int as n from boards`)).toEqual(boardsBefore);
	});

	it('a non-member cannot export the board (not found)', async () => {
		const stranger = await src.user('Stranger');
		const err = await refusal(() => exportBoard(src.app.ctx.db, src.app.ctx.documents, boardId, stranger.id, clock.now(), '0.1.0'));
		expect(err.code).toBe('not_found');
	});
});
