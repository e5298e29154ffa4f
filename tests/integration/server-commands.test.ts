import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { dbKinds, queryRows } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { storedDoc as storedIn } from '../helpers/stored-board.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { CommandRefusedError } from '../../server/sync/room.ts';

describe.each(dbKinds())('the server command path (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let owner: { id: string; cookie: string };
	const clients: SyncClient[] = [];
	const storedDoc = (boardId: string) => storedIn(fd.app.ctx.db, boardId);
	const titles = async (boardId: string) => Object.values(readSnapshot(await storedDoc(boardId)).cards).map((c) => c.title);
	const events = (boardId: string) =>
		queryRows<{ card_id: string; type: string; actor_id: string | null; to_stage_id: string | null }>(
			fd.app.database,
			sql`select card_id, type, actor_id, to_stage_id from card_events where board_id = ${boardId} order by id`
		);

	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 100 });
		owner = await fd.user('Owner');
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await fd?.close();
	});

	it('changes a board nobody has open, in one stored transaction with its actor in history, while another board’s client carries on', async () => {
		const idle = await createBoard(fd.app.ctx.db, owner.id, 'Idle', new Date());
		const busy = await createBoard(fd.app.ctx.db, owner.id, 'Busy', new Date());
		const other = connectBoard(fd.url, busy, { cookie: owner.cookie });
		clients.push(other);
		await other.synced();
		const cmd = boardCommands(other.doc, { userId: owner.id, now: () => new Date() });
		cmd.addCard(readSnapshot(other.doc).stages[0]!.id, 'Typed meanwhile');
		expect(fd.app.rooms.has(idle)).toBe(false);

		const rule = { kind: 'automation', actorId: owner.id } as const;
		const [stageId] = (await fd.app.rooms.applyAsServer(idle, rule, [{ name: 'addStage', args: ['Planned by a rule', 'active'] }])) as [string];
		const [cardId] = (await fd.app.rooms.applyAsServer(idle, rule, [{ name: 'addCard', args: [stageId, 'Made by the server'] }])) as [string];
		expect(cardId).toBeTruthy();
		// Resolved only once stored: the document and the history have it, with the server's actor.
		expect(await titles(idle)).toContain('Made by the server');
		const history = await events(idle);
		expect(history).toContainEqual({ card_id: cardId, type: 'created', actor_id: owner.id, to_stage_id: stageId });

		// A move the rules refuse is refused for the server too, with the rule's message, and nothing of it applied.
		const firstStage = readSnapshot(await storedDoc(idle)).stages[0]!.id;
		await fd.app.rooms.applyAsServer(idle, rule, [{ name: 'setWipLimit', args: [firstStage, 1, 'hard'] }, { name: 'addCard', args: [firstStage, 'Fills the stage'] }]);
		const refused = await fd.app.rooms.applyAsServer(idle, rule, [{ name: 'moveCard', args: [cardId, firstStage, 0] }]).catch((err: unknown) => err);
		expect(refused).toBeInstanceOf(CommandRefusedError);
		expect((refused as Error).message).toMatch(/WIP limit/);
		expect(readSnapshot(await storedDoc(idle)).cards[cardId]?.stageId).toBe(stageId);
		// A list stops at the first refused command and says which; those before it stay applied (Yjs cannot take a
		// transaction back), so a caller puts the checks first.
		const partly = await fd.app.rooms
			.applyAsServer(idle, rule, [{ name: 'addCard', args: [stageId, 'Before the refusal'] }, { name: 'setDue', args: ['no-such-card', null] }])
			.catch((err: unknown) => err);
		expect(partly).toBeInstanceOf(CommandRefusedError);
		expect((partly as CommandRefusedError).index).toBe(1);
		expect(await titles(idle)).toContain('Before the refusal');
		// Unknown commands and wrong arguments are refused.
		await expect(fd.app.rooms.applyAsServer(idle, rule, [{ name: 'dropTable' as 'addCard', args: [] }])).rejects.toThrow(/not one the server knows/);
		await expect(fd.app.rooms.applyAsServer(idle, rule, [{ name: 'addCard', args: [42] }])).rejects.toThrow(/wrong arguments/);

		// Someone opening the board now gets the server's changes; the other board never noticed.
		const reader = connectBoard(fd.url, idle, { cookie: owner.cookie });
		clients.push(reader);
		await reader.synced();
		expect(readSnapshot(reader.doc).cards[cardId]?.title).toBe('Made by the server');
		await waitFor('the other board stored its edit', async () => (await titles(busy)).includes('Typed meanwhile'));
		expect(other.closeCodes).toEqual([]);
	});

	it('a client on the board sees the server’s change live, attributed in history to the server’s actor', async () => {
		const board = await createBoard(fd.app.ctx.db, owner.id, 'Live', new Date());
		const watcher = connectBoard(fd.url, board, { cookie: owner.cookie });
		clients.push(watcher);
		await watcher.synced();
		const stage = readSnapshot(watcher.doc).stages[1]!.id;
		const [cardId] = (await fd.app.rooms.applyAsServer(board, { kind: 'server', actorId: owner.id }, [{ name: 'addCard', args: [stage, 'From the API'] }])) as [string];
		await waitFor('the watcher sees it', () => readSnapshot(watcher.doc).cards[cardId]?.title === 'From the API');
		expect(await events(board)).toContainEqual({ card_id: cardId, type: 'created', actor_id: owner.id, to_stage_id: stage });
	});
});
