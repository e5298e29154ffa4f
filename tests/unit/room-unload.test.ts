import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Room } from '../../server/sync/room.ts';
import type { RoomExtension } from '../../server/sync/room-extension.ts';
import { persistenceExtension } from '../../server/persistence/persistence-extension.ts';
import { DEFAULT_SYNC_OPTIONS } from '../../server/sync/options.ts';
import type { DocumentStore, StoredDocument, WriteResult } from '../../server/persistence/document-store.ts';
import type { BoardChange } from '../../src/lib/board/changes.ts';
import type { Connection } from '../../server/sync/connection.ts';
import { EnginePool } from '../../server/engine/engine-pool.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';

/** A promise the test resolves by hand. */
function gate(): { promise: Promise<void>; open(): void } {
	let open!: () => void;
	const promise = new Promise<void>((resolve) => (open = resolve));
	return { promise, open };
}

const tick = (ms = 10) => new Promise((resolve) => setTimeout(resolve, ms));

/** An in-memory DocumentStore whose appends can be held. */
class MemoryStore implements DocumentStore {
	snapshot: Uint8Array | null = null;
	rows: { id: number; data: Uint8Array }[] = [];
	private nextId = 1;
	/** While set, an append waits for it; `appendStarted` opens when one does. */
	hold: Promise<void> | null = null;
	appendStarted = gate();

	async load(): Promise<StoredDocument> {
		return { snapshot: this.snapshot, updates: this.rows.map((r) => r.data), lastUpdateId: this.rows.at(-1)?.id ?? null };
	}
	async append(_boardId: string, update: Uint8Array): Promise<number> {
		if (this.hold) {
			this.appendStarted.open();
			await this.hold;
		}
		const id = this.nextId++;
		this.rows.push({ id, data: update });
		return id;
	}
	async write(boardId: string, update: Uint8Array | null, _changes: readonly BoardChange[]): Promise<WriteResult> {
		return { id: update ? await this.append(boardId, update) : null, historySetAside: null };
	}
	async compact(_boardId: string, fullState: Uint8Array, throughUpdateId: number): Promise<void> {
		this.snapshot = fullState;
		this.rows = this.rows.filter((r) => r.id > throughUpdateId);
	}
	/** The stored document as one doc. */
	doc(): Y.Doc {
		const doc = new Y.Doc();
		if (this.snapshot) Y.applyUpdate(doc, this.snapshot);
		for (const row of this.rows) Y.applyUpdate(doc, row.data);
		return doc;
	}
}

describe('Room unload', () => {
	it('a second unload that starts while the first waits for the history does not let the first dispose the room mid-write', async () => {
		const store = new MemoryStore();
		let historyFlush: () => Promise<void> = () => Promise.resolve();
		// A second extension whose flush the test holds (as a slow history write would be).
		const history: RoomExtension = { flush: () => historyFlush() };
		const options = { ...DEFAULT_SYNC_OPTIONS, unloadGraceMs: 1, batchMs: 1 };
		let atUnload: { snapshot: boolean; rows: number } | null = null;
		const room = await Room.load('board-1', {
			store,
			options,
			log: () => {},
			// On this thread: the test steps through the room's awaits one tick at a time.
			engines: new EnginePool(0, () => {}),
			extensions: [persistenceExtension(store, options), () => history],
			onUnloaded: () => (atUnload ??= { snapshot: store.snapshot !== null, rows: store.rows.length })
		});
		await room.flush(); // the seed is stored
		// A client's edits, applied as a socket's would be (the socket itself is not what this test is about).
		const client = (await room.inspect()).doc;
		const cmd = boardCommands(client, { userId: 'u1', now: () => new Date() });
		const socket = { id: 1, userId: 'u1', role: 'editor', workStarted() {}, workDone() {}, send() {}, close() {} } as unknown as Connection;
		const edit = (title: string) => {
			const before = Y.encodeStateVector(client);
			cmd.addCard(readSnapshot(client).stages[0]!.id, title);
			room.applyUpdate(socket, Y.encodeStateAsUpdate(client, before));
		};

		// Unload 1 starts (the last client left) and waits for the history's write.
		const historyHeld = gate();
		const historyCalled = gate();
		historyFlush = () => (historyCalled.open(), historyHeld.promise);
		room.retain();
		room.release();
		await historyCalled.promise;

		// A client joins, edits and leaves meanwhile: unload 2 starts and its write of that edit is slow.
		const appendHeld = gate();
		store.hold = appendHeld.promise;
		room.retain();
		edit('a');
		room.release();
		await store.appendStarted.promise;
		await tick(); // unload 2's timer fires: it waits for that write
		// Another edit from that client reached the doc while its first one was being written.
		edit('b');

		// The history write completes: unload 1 carries on while unload 2's write is still running.
		historyHeld.open();
		await tick();
		expect(room.closed, 'disposed while a write was running').toBe(false);

		store.hold = null;
		appendHeld.open();
		for (let i = 0; i < 100 && !room.closed; i++) await tick();
		expect(room.closed).toBe(true);
		// Everything written and folded into one snapshot before the room said it unloaded.
		expect(atUnload).toEqual({ snapshot: true, rows: 0 });
		expect(Object.values(readSnapshot(store.doc()).cards).map((c) => c.title).sort()).toEqual(['a', 'b']);
	});
});
