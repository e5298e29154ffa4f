import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { concurrentInserts } from '../helpers/poison.ts';
import { storedDoc as storedIn } from '../helpers/stored-board.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { boardMaps } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { drizzleDocumentStore } from '../../server/persistence/drizzle-document-store.ts';
import { systemClock } from '../../src/lib/server/clock.ts';

/** A budget the crafted board surely exceeds: its crowds of concurrent inserts at one key take 100–700 ms to integrate here. */
const LOAD_BUDGET_MS = 25;

describe.each(dbKinds())('a board whose loads keep exceeding the budget opens read-only (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let owner: { id: string; cookie: string };
	const clients: SyncClient[] = [];
	const open = async (boardId: string) => {
		const c = connectBoard(fd.url, boardId, { cookie: owner.cookie });
		clients.push(c);
		await c.synced();
		return c;
	};
	const storedDoc = (boardId: string) => storedIn(fd.app.ctx.db, boardId);
	const unloaded = (boardId: string) => waitFor(`board ${boardId} unloaded`, () => !fd.app.rooms.has(boardId), 15_000);

	beforeAll(async () => {
		fd = await startInProcess(kind, { loadBudgetMs: LOAD_BUDGET_MS, unloadGraceMs: 100 });
		owner = await fd.user('Owner');
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await fd?.close();
	});

	it('after two slow loads the board is served as stored, never integrated, writes dropped with a notice; other boards are unaffected', async () => {
		const costly = await createBoard(fd.app.ctx.db, owner.id, 'Costly', new Date());
		const normal = await createBoard(fd.app.ctx.db, owner.id, 'Normal', new Date());
		const seeded = await open(costly);
		seeded.destroy();
		await unloaded(costly);
		// Stored before the server bounded concurrent inserts: thousands of cards under one key, costly to integrate.
		// Appended as rows before each load: a compacted snapshot of them can happen to integrate in a cheap order.
		const store = drizzleDocumentStore(fd.app.ctx.db, systemClock);
		for (let load = 1; load <= 2; load++) {
			// Each insert of a later crowd walks past every earlier one at that key: 2–5 million steps per load.
			if (load === 1) await store.append(costly, concurrentInserts(2_000, 1_000_000));
			await store.append(costly, concurrentInserts(1_000, 2_000_000 * load));
			const c = await open(costly);
			expect(boardMaps(c.doc).cards.has('x'), `load ${load}`).toBe(true);
			expect(c.notices.some((n) => /read-only/.test(n.message))).toBe(false);
			c.destroy();
			await unloaded(costly);
		}

		const reader = await open(costly);
		await waitFor('told the board is read-only', () => reader.notices.some((n) => n.type === 'read-only' && /read-only/.test(n.message)));
		// Everyone still sees the board as stored…
		expect(boardMaps(reader.doc).cards.has('x')).toBe(true);
		expect(readSnapshot(reader.doc).stages.length).toBe(5);
		// …but the server never integrated it.
		expect((await fd.app.rooms.peek(costly)!.inspect()).integrated).toBe(false);
		// A write is dropped: a newcomer does not get it, and nothing is stored.
		const before = await store.load(costly);
		boardCommands(reader.doc, { userId: owner.id, now: () => new Date() }).addCard(readSnapshot(reader.doc).stages[0]!.id, 'Not saved');
		const other = await open(normal);
		boardCommands(other.doc, { userId: owner.id, now: () => new Date() }).addCard(readSnapshot(other.doc).stages[0]!.id, 'Saved elsewhere');
		await waitFor('the other board stored its edit', async () => Object.values(readSnapshot(await storedDoc(normal)).cards).some((c) => c.title === 'Saved elsewhere'));
		const newcomer = await open(costly);
		expect(Object.values(readSnapshot(newcomer.doc).cards).map((c) => c.title)).not.toContain('Not saved');
		const after = await store.load(costly);
		expect(after.updates.length).toBe(before.updates.length);
		expect(reader.closeCodes).toEqual([]);
		expect(other.closeCodes).toEqual([]);
		// The stored state survives the read-only room's unload intact (its rows folded, nothing lost).
		for (const c of [reader, newcomer, other]) c.destroy();
		await unloaded(costly);
		const doc = await storedDoc(costly);
		expect(boardMaps(doc).cards.has('x')).toBe(true);
		expect(readSnapshot(doc).stages.length).toBe(5);
	});
});
