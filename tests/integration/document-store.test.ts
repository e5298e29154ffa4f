import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createScratchPostgres, dbKinds, migrationsFolder, openTestDatabase, queryRows } from '../helpers/db.ts';
import { waitFor } from '../helpers/sync-client.ts';
import { FakeClock } from '../helpers/clock.ts';
import { openDatabase, type Database } from '../../src/lib/server/db/client.ts';
import { signUp } from '../../src/lib/server/accounts.ts';
import { createBoard, deleteBoard } from '../../src/lib/server/boards/boards.ts';
import { drizzleDocumentStore } from '../../server/persistence/drizzle-document-store.ts';
import { BoardGoneError, type DocumentStore } from '../../server/persistence/document-store.ts';
import { advanceFence, StaleOwnerError } from '../../server/persistence/owner-fence.ts';
import { EnginePool } from '../../server/engine/engine-pool.ts';
import { persistenceExtension } from '../../server/persistence/persistence-extension.ts';
import { Room } from '../../server/sync/room.ts';
import { DEFAULT_SYNC_OPTIONS } from '../../server/sync/options.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';

describe.each(dbKinds())('document store on %s', (kind) => {
	let database: Database;
	let store: DocumentStore;
	const clock = new FakeClock();
	let userId = '';

	beforeAll(async () => {
		database = await openTestDatabase(kind);
		store = drizzleDocumentStore(database.db, clock);
		userId = await signUp(database.db, { name: 'Ada', email: 'ada@example.com', password: 'plum-orbit-cactus-91' }, clock.now());
	});
	afterAll(() => database?.close());

	it('refuses every write of an owner whose fencing token another instance overtook, and stores nothing of it', async () => {
		const boardId = await createBoard(database.db, userId, 'Fenced', clock.now());
		const tokens = new Map<string, number>();
		const stale: string[] = [];
		const fenced = drizzleDocumentStore(database.db, clock, { current: (b) => tokens.get(b) ?? null, stale: (b) => stale.push(b) });
		// Not owned here: nothing is written.
		await expect(fenced.append(boardId, Uint8Array.of(1))).rejects.toBeInstanceOf(StaleOwnerError);
		tokens.set(boardId, 1);
		expect(await advanceFence(database.db, boardId, 1)).toBe(true);
		await fenced.write(boardId, Uint8Array.of(2), []);
		// Another instance claims the board with token 2: the old owner's writes and compaction are refused.
		expect(await advanceFence(database.db, boardId, 2)).toBe(true);
		await expect(fenced.write(boardId, Uint8Array.of(3), [])).rejects.toBeInstanceOf(StaleOwnerError);
		await expect(fenced.append(boardId, Uint8Array.of(4))).rejects.toBeInstanceOf(StaleOwnerError);
		await expect(fenced.compact(boardId, Uint8Array.of(5), Number.MAX_SAFE_INTEGER)).rejects.toBeInstanceOf(StaleOwnerError);
		expect(stale).toEqual([boardId, boardId, boardId, boardId]);
		expect(await advanceFence(database.db, boardId, 1)).toBe(false);
		expect((await store.load(boardId)).updates.map((u) => Array.from(u))).toEqual([[2]]);
		// The new owner's token works.
		tokens.set(boardId, 2);
		await fenced.append(boardId, Uint8Array.of(6));
		expect((await store.load(boardId)).updates.map((u) => Array.from(u))).toEqual([[2], [6]]);
	});

	it('round-trips binary updates byte for byte, in write order', async () => {
		const boardId = await createBoard(database.db, userId, 'Bytes', clock.now());
		expect(await store.load(boardId)).toEqual({ snapshot: null, updates: [], lastUpdateId: null });
		// Every byte value, a NUL, and a view into the middle of a larger buffer.
		const all = Uint8Array.from({ length: 256 }, (_, i) => i);
		const view = new Uint8Array(all.buffer, 10, 5);
		const first = await store.append(boardId, all);
		const second = await store.append(boardId, view);
		expect(second).toBeGreaterThan(first);
		const loaded = await store.load(boardId);
		expect(loaded.updates.map((u) => Array.from(u))).toEqual([Array.from(all), [10, 11, 12, 13, 14]]);
		expect(loaded.updates[0]).toBeInstanceOf(Uint8Array);
		expect(loaded.lastUpdateId).toBe(second);
	});

	it('compaction writes the snapshot and deletes only the updates it covers', async () => {
		const boardId = await createBoard(database.db, userId, 'Compact', clock.now());
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		doc.getMap('m').set('a', 1);
		doc.getMap('m').set('b', 2);
		const ids = [];
		for (const u of updates) ids.push(await store.append(boardId, u));
		await store.compact(boardId, Y.encodeStateAsUpdate(doc), ids[0]!);
		doc.getMap('m').set('c', 3);
		await store.append(boardId, updates[2]!);
		const loaded = await store.load(boardId);
		expect(loaded.snapshot).not.toBeNull();
		expect(loaded.updates).toHaveLength(2);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, loaded.snapshot!);
		for (const u of loaded.updates) Y.applyUpdate(copy, u);
		expect(copy.getMap('m').toJSON()).toEqual({ a: 1, b: 2, c: 3 });
		// A second compaction replaces the snapshot rather than failing on the primary key.
		await store.compact(boardId, Y.encodeStateAsUpdate(doc), loaded.lastUpdateId!);
		expect((await store.load(boardId)).updates).toHaveLength(0);
	});

	it('a room loads a board stored as a snapshot plus later rows, and one stored as a snapshot alone', async () => {
		const boardId = await createBoard(database.db, userId, 'Snapshot and rows', clock.now());
		const doc = new Y.Doc();
		seedBoard(doc);
		const cmd = boardCommands(doc, { userId, now: () => clock.now() });
		const todo = readSnapshot(doc).stages[1]!.id;
		cmd.addCard(todo, 'In the snapshot');
		const id = await store.append(boardId, Y.encodeStateAsUpdate(doc));
		await store.compact(boardId, Y.encodeStateAsUpdate(doc), id);
		const before = Y.encodeStateVector(doc);
		cmd.addCard(todo, 'In a later row');
		await store.append(boardId, Y.encodeStateAsUpdate(doc, before));
		const engines = new EnginePool(2, () => {});
		const deps = { store, options: DEFAULT_SYNC_OPTIONS, log: () => {}, onUnloaded: () => {}, engines, extensions: [persistenceExtension(store, DEFAULT_SYNC_OPTIONS)] };
		const titles = async (room: Room) => Object.values(readSnapshot((await room.inspect()).doc).cards).map((c) => c.title).sort();
		const both = await Room.load(boardId, deps);
		expect(await titles(both)).toEqual(['In a later row', 'In the snapshot']);
		expect((await both.inspect()).pendingBytes).toBe(0);
		await both.flush();
		await both.compactStored();
		both.dispose();
		// Folded into one snapshot: a cold room integrates it on first use, or within a quarter second unasked.
		const loaded = await store.load(boardId);
		expect({ snapshot: loaded.snapshot !== null, rows: loaded.updates.length }).toEqual({ snapshot: true, rows: 0 });
		const cold = await Room.load(boardId, deps);
		expect(await titles(cold)).toEqual(['In a later row', 'In the snapshot']);
		cold.dispose();
		await engines.close();
	});

	it('deleting a board deletes its document; writing to a deleted board says so', async () => {
		const boardId = await createBoard(database.db, userId, 'Doomed', clock.now());
		await store.append(boardId, new Uint8Array([1, 2, 3]));
		await store.compact(boardId, new Uint8Array([4]), 0);
		await deleteBoard(database.db, boardId, userId, 'Doomed');
		const rows = await queryRows<{ n: number }>(database, sql`select count(*)::int as n from board_updates where board_id = ${boardId}`);
		expect(rows[0]!.n).toBe(0);
		await expect(store.append(boardId, new Uint8Array([1]))).rejects.toBeInstanceOf(BoardGoneError);
		await expect(store.compact(boardId, new Uint8Array([1]), 1)).rejects.toBeInstanceOf(BoardGoneError);
	});
});

// Two servers can share a PostgreSQL database; one may fold a board's rows into a snapshot while the other loads
// that board. Under read committed a commit can land between the load's two reads; the load must still get it all.
describe.skipIf(!dbKinds().includes('postgres'))('document store on postgres, with another server compacting', () => {
	it('a compaction committed between the two reads of a load loses nothing', async () => {
		const scratch = await createScratchPostgres();
		const database = await openDatabase({ url: scratch.url }, migrationsFolder);
		const other = postgres(scratch.url, { max: 1, onnotice: () => {} });
		let result: unknown = null;
		try {
			const clock = new FakeClock();
			const store = drizzleDocumentStore(database.db, clock);
			const userId = await signUp(database.db, { name: 'Ada', email: 'ada@example.com', password: 'plum-orbit-cactus-91' }, clock.now());
			const boardId = await createBoard(database.db, userId, 'Shared', clock.now());
			const doc = new Y.Doc();
			doc.on('update', (u: Uint8Array) => void store.append(boardId, u));
			doc.getMap('m').set('a', 1);
			doc.getMap('m').set('b', 2);
			await waitFor('both rows stored', async () => (await store.load(boardId)).updates.length === 2);
			// The other server holds the rows' table while it compacts, so the load's read of it waits for the commit.
			await other.begin(async (tx) => {
				await tx`lock table board_updates in access exclusive mode`;
				const loading = store.load(boardId);
				await new Promise((resolve) => setTimeout(resolve, 300));
				await tx`insert into board_snapshots (board_id, data, updated_at) values (${boardId}, ${Buffer.from(Y.encodeStateAsUpdate(doc))}, now())`;
				await tx`delete from board_updates where board_id = ${boardId}`;
				void loading.then((loaded) => {
					const copy = new Y.Doc();
					if (loaded.snapshot) Y.applyUpdate(copy, loaded.snapshot);
					for (const u of loaded.updates) Y.applyUpdate(copy, u);
					result = copy.getMap('m').toJSON();
				});
			});
			await waitFor('the load finished', () => result !== null);
			expect(result).toEqual({ a: 1, b: 2 });
		} finally {
			await other.end();
			await database.close();
			await scratch.drop();
		}
	});
});
