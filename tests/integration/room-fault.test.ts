import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { storedDoc as storedIn } from '../helpers/stored-board.ts';
import { FAULTY_TITLE, THREAD_KILLER_TITLE } from '../helpers/faulty-engine.ts';

const titles = (doc: Y.Doc) => Object.values(readSnapshot(doc).cards).map((c) => c.title).sort();

describe.each(dbKinds())('one room failing is that room alone (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let owner: { id: string; cookie: string };
	const clients: SyncClient[] = [];
	const errors: unknown[] = [];
	const onError = (err: unknown) => errors.push(err);
	const storedDoc = (boardId: string) => storedIn(fd.app.ctx.db, boardId);

	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 200, engineExtensions: [new URL('../helpers/faulty-engine.ts', import.meta.url).href] });
		owner = await fd.user('Owner');
		process.on('uncaughtException', onError);
		process.on('unhandledRejection', onError);
	}, 60_000);

	afterAll(async () => {
		process.off('uncaughtException', onError);
		process.off('unhandledRejection', onError);
		for (const c of clients) c.destroy();
		await fd?.close();
	});

	it('an exception in a room observer closes that room (its clients told, its edit saved) and it reopens; another board never notices', async () => {
		const [broken, calm] = [await createBoard(fd.app.ctx.db, owner.id, 'Broken', new Date()), await createBoard(fd.app.ctx.db, owner.id, 'Calm', new Date())];
		const x = connectBoard(fd.url, broken, { cookie: owner.cookie });
		const y = connectBoard(fd.url, calm, { cookie: owner.cookie });
		clients.push(x, y);
		await Promise.all([x.synced(), y.synced()]);
		const xCmd = boardCommands(x.doc, { userId: owner.id, now: () => new Date() });
		const yCmd = boardCommands(y.doc, { userId: owner.id, now: () => new Date() });
		const firstRoom = fd.app.rooms.peek(broken)!;
		// A bug in one of the engine's observers (faulty-engine.ts), hit by this edit on that board only.
		xCmd.addCard(readSnapshot(x.doc).stages[0]!.id, FAULTY_TITLE);
		await waitFor('the broken board closed its sockets with "try again"', () => x.closeCodes.includes(1013));
		// The other board carries on throughout.
		yCmd.addCard(readSnapshot(y.doc).stages[0]!.id, 'Calm edit');
		await waitFor('the calm board stored its edit', async () => titles(await storedDoc(calm)).includes('Calm edit'));
		expect(y.closeCodes).toEqual([]);
		// What the broken room held was saved, and its client comes back to a fresh room with its card.
		await waitFor('the edit made when the bug hit is stored', async () => titles(await storedDoc(broken)).includes(FAULTY_TITLE));
		await waitFor('the client reconnected to a fresh room', () => {
			const room = fd.app.rooms.peek(broken);
			return room !== undefined && room !== firstRoom && room.connections.size === 1;
		});
		xCmd.addCard(readSnapshot(x.doc).stages[0]!.id, 'After reopening');
		await waitFor('the reopened board stores new edits', async () => titles(await storedDoc(broken)).includes('After reopening'));
		expect(errors).toEqual([]);
	});

	it('an engine thread that dies closes only the boards on it; they reopen on a fresh thread with nothing lost, and a board on the other thread never notices', async () => {
		const [doomed, calm] = [await createBoard(fd.app.ctx.db, owner.id, 'Doomed', new Date()), await createBoard(fd.app.ctx.db, owner.id, 'Calm too', new Date())];
		const y = connectBoard(fd.url, calm, { cookie: owner.cookie });
		await y.synced();
		const x = connectBoard(fd.url, doomed, { cookie: owner.cookie });
		clients.push(x, y);
		await x.synced();
		const [firstThread, calmThread] = [fd.app.rooms.peek(doomed)!.engineThread, fd.app.rooms.peek(calm)!.engineThread];
		// A new board goes to the thread with the fewest boards: with two threads, these two are apart.
		expect(firstThread).not.toBe(calmThread);
		const xCmd = boardCommands(x.doc, { userId: owner.id, now: () => new Date() });
		const yCmd = boardCommands(y.doc, { userId: owner.id, now: () => new Date() });
		xCmd.addCard(readSnapshot(x.doc).stages[0]!.id, THREAD_KILLER_TITLE);
		await waitFor('the doomed board closed its sockets with "try again"', () => x.closeCodes.includes(1013));
		yCmd.addCard(readSnapshot(y.doc).stages[0]!.id, 'Calm while a thread died');
		await waitFor('the calm board stored its edit', async () => titles(await storedDoc(calm)).includes('Calm while a thread died'));
		expect(y.closeCodes).toEqual([]);
		await waitFor('the card written as the thread died is stored', async () => titles(await storedDoc(doomed)).includes(THREAD_KILLER_TITLE));
		await waitFor('the client reconnected to a board on a fresh thread', () => {
			const room = fd.app.rooms.peek(doomed);
			return room !== undefined && room.connections.size === 1 && room.engineThread !== firstThread;
		});
		xCmd.addCard(readSnapshot(x.doc).stages[0]!.id, 'After the new thread');
		await waitFor('the reopened board stores new edits', async () => titles(await storedDoc(doomed)).includes('After the new thread'));
		expect(errors).toEqual([]);
	});
});
