import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { drizzleDocumentStore } from '../../server/persistence/drizzle-document-store.ts';
import { systemClock } from '../../src/lib/server/clock.ts';

/** A small cap so the test reaches it in a dozen cards. */
const CAP = 200_000;
const longText = (n: number, seed: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i * 7 + seed) % 26))).join('');

describe.each(dbKinds())('a board has a size cap, and storage shrinks when content is deleted (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let owner: { id: string; cookie: string }, edna: { id: string; cookie: string };
	const clients: SyncClient[] = [];
	const join = (cookie: string, boardId: string) => {
		const c = connectBoard(fd.url, boardId, { cookie });
		clients.push(c);
		return c;
	};
	/** Bytes the database holds for a board: its snapshot and the rows after it. */
	async function storedBytes(boardId: string): Promise<number> {
		const { snapshot, updates } = await drizzleDocumentStore(fd.app.ctx.db, systemClock).load(boardId);
		return (snapshot?.length ?? 0) + updates.reduce((sum, u) => sum + u.length, 0);
	}

	beforeAll(async () => {
		fd = await startInProcess(kind, { maxDocumentBytes: CAP, unloadGraceMs: 200, inputBytesPerSecond: 0, inputFramesPerSecond: 0 });
		[owner, edna] = [await fd.user('Owner'), await fd.user('Edna')];
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await fd?.close();
	});

	it('refuses the write that would pass the cap (4413, with a notice to its writer only); deleting makes room again; compaction gives the space back', async () => {
		const boardId = await createBoard(fd.app.ctx.db, owner.id, 'Big', new Date());
		const { token } = await createInvite(fd.app.ctx.db, boardId, owner.id, { role: 'editor', days: 7 }, new Date());
		await acceptInvite(fd.app.ctx.db, token, edna.id, new Date());
		const writer = join(owner.cookie, boardId);
		const other = join(edna.cookie, boardId);
		await Promise.all([writer.synced(), other.synced()]);
		const cmd = boardCommands(writer.doc, { userId: owner.id, now: () => new Date() });
		const stage = readSnapshot(writer.doc).stages[0]!.id;
		const kept: string[] = [];
		for (let i = 0; i < 15 && writer.closeCodes.length === 0; i++) {
			// One transaction, one update: a card is either kept whole or refused whole.
			let id = '';
			writer.doc.transact(() => {
				id = cmd.addCard(stage, `Card ${i}`);
				cmd.setDescription(id, longText(19_000, i));
			});
			await waitFor(`card ${i} arrived or the writer was refused`, () => Object.keys(readSnapshot(other.doc).cards).includes(id) || writer.closeCodes.length > 0);
			if (writer.closeCodes.length === 0) kept.push(id);
		}
		expect(writer.closeCodes[0]).toBe(4413);
		expect(writer.notices.some((n) => n.type === 'limit' && /size limit/.test(n.message))).toBe(true);
		expect(other.closeCodes).toEqual([]);
		expect(other.notices).toEqual([]);
		expect(kept.length).toBeGreaterThanOrEqual(5);
		writer.destroy();
		await fd.app.rooms.peek(boardId)!.flush();
		const peak = await storedBytes(boardId);
		expect(peak).toBeGreaterThan(CAP * 0.7);

		// Someone makes room: the long descriptions go, and a new card fits again.
		const editorCmd = boardCommands(other.doc, { userId: edna.id, now: () => new Date() });
		for (const id of kept) editorCmd.setDescription(id, '');
		const fits = editorCmd.addCard(stage, 'Fits after the clean-up');
		editorCmd.setDescription(fits, longText(19_000, 99));
		const check = join(owner.cookie, boardId);
		await check.synced();
		await waitFor('the new card reached others', () => readSnapshot(check.doc).cards[fits]?.description.length === 19_000);
		expect(other.closeCodes).toEqual([]);

		// Once the room unloads it folds its rows into a snapshot of the live document: the deleted text is gone.
		other.destroy();
		check.destroy();
		await waitFor('the room unloaded', () => !fd.app.rooms.has(boardId), 15_000);
		const after = await storedBytes(boardId);
		console.log(`[${kind}] board size: peak stored ${peak} bytes, after deleting and compacting ${after} bytes`);
		expect(after).toBeLessThan(peak / 3);
		const reopened = join(owner.cookie, boardId);
		await reopened.synced();
		expect(Object.keys(readSnapshot(reopened.doc).cards).length).toBe(kept.length + 1);
		expect(Y.encodeStateAsUpdate(reopened.doc).length).toBeLessThan(CAP / 3);
	});
});
