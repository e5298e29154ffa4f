import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { storedDoc } from '../helpers/stored-board.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { changeMemberRole } from '../../src/lib/server/boards/members.ts';

describe.each(dbKinds())('a role change acts at once (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let owner: { id: string; cookie: string };
	let ed: { id: string; cookie: string };
	const clients: SyncClient[] = [];
	const join = async (boardId: string, who: { cookie: string }) => {
		const c = connectBoard(fd.url, boardId, { cookie: who.cookie });
		clients.push(c);
		await c.synced();
		return c;
	};
	const titles = (doc: Parameters<typeof readSnapshot>[0]) => Object.values(readSnapshot(doc).cards).map((c) => c.title);

	beforeAll(async () => {
		fd = await startInProcess(kind);
		owner = await fd.user('Owner');
		ed = await fd.user('Ed');
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await fd?.close();
	});

	it('a demoted editor is told within a second; what they write afterwards never reaches anyone or the database, not even after a later promotion', async () => {
		const boardId = await createBoard(fd.app.ctx.db, owner.id, 'Roles', new Date());
		const { token } = await createInvite(fd.app.ctx.db, boardId, owner.id, { role: 'editor', days: 1 }, new Date());
		await acceptInvite(fd.app.ctx.db, token, ed.id, new Date());
		const [watcher, editor] = [await join(boardId, owner), await join(boardId, ed)];
		const stage = readSnapshot(editor.doc).stages[0]!.id;
		const cmd = boardCommands(editor.doc, { userId: ed.id, now: () => new Date() });
		cmd.addCard(stage, 'Written as an editor');
		await waitFor('the watcher has it', () => titles(watcher.doc).includes('Written as an editor'));

		const demoted = performance.now();
		await changeMemberRole(fd.app.ctx.db, boardId, owner.id, ed.id, 'viewer');
		fd.app.ctx.access.membershipChanged(boardId, ed.id);
		await waitFor('told of the demotion', () => editor.notices.some((n) => n.type === 'role' && n.role === 'viewer'), 1_000);
		const toldMs = performance.now() - demoted;
		// A browser that kept going (a stale tab, a modified client) writes anyway.
		cmd.addCard(stage, 'Written as a viewer');
		// The server has answered everything sent before this card once the watcher has it.
		const probe = boardCommands(watcher.doc, { userId: owner.id, now: () => new Date() }).addCard(stage, 'Probe 1');
		await waitFor('the probe arrived at the editor', () => readSnapshot(editor.doc).cards[probe]);
		expect(titles(watcher.doc)).not.toContain('Written as a viewer');

		// Promoted again: the editor's client syncs its whole state (as after any reconnect), old write included.
		await changeMemberRole(fd.app.ctx.db, boardId, owner.id, ed.id, 'editor');
		fd.app.ctx.access.membershipChanged(boardId, ed.id);
		await waitFor('told of the promotion', () => editor.notices.some((n) => n.type === 'role' && n.role === 'editor' && n.message !== ''), 1_000);
		editor.provider.disconnect();
		editor.provider.connect();
		await waitFor('told its old write was not saved', () => editor.notices.some((n) => /could only view this board were not saved/.test(n.message)), 5_000);
		// What an editor writes from a fresh start (as the browser does after a demotion) arrives as usual.
		const fresh = await join(boardId, ed);
		boardCommands(fresh.doc, { userId: ed.id, now: () => new Date() }).addCard(stage, 'Written as an editor again');
		await waitFor('the watcher has the new card', () => titles(watcher.doc).includes('Written as an editor again'));
		await fd.app.rooms.peek(boardId)!.flush();
		expect(titles(watcher.doc)).not.toContain('Written as a viewer');
		expect(titles(await storedDoc(fd.app.ctx.db, boardId))).not.toContain('Written as a viewer');
		expect(titles(await storedDoc(fd.app.ctx.db, boardId))).toContain('Written as an editor again');
		console.log(`[${kind}] demotion → role notice at the browser in ${Math.round(toldMs)} ms`);
	});
});
