import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { readAutomationShare } from '../../src/lib/server/automation-share.ts';
import type { ServerOrigin } from '../../src/lib/board/doc/origins.ts';

describe.each(dbKinds())('the automation share from recorded history (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let client: SyncClient;
	afterAll(async () => {
		client?.destroy();
		await fd?.close();
	});
	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 100 });
	}, 60_000);

	it('counts what a rule and the process did against what a person did', async () => {
		const alex = await fd.user('Alex');
		const sam = await fd.user('Sam');
		const boardId = await createBoard(fd.app.ctx.db, alex.id, 'Launch', new Date());
		client = connectBoard(fd.url, boardId, { cookie: alex.cookie });
		await client.synced();
		// A person: a card, an owner, a due date and a move (3 counted actions; the creation is not counted).
		const cmd = boardCommands(client.doc, { userId: alex.id, now: () => new Date() });
		const [todo, doing] = readSnapshot(client.doc).stages.map((s) => s.id);
		const card = cmd.addCard(todo!, 'Webinar follow-up');
		cmd.addOwner(card, alex.id);
		cmd.setDue(card, '2030-01-10');
		cmd.moveCard(card, doing!, 0);
		await waitFor('the server has the move', async () => (await fd.app.rooms.readBoard(boardId, { kind: 'card', cardId: card })).card?.stageId === doing);
		// A rule: assigns Sam and moves the card back (2 actions), through the server command path with its origin.
		const rule: ServerOrigin = { kind: 'automation', actorId: null, rule: { id: 'rule-assign-designer', depth: 0 } };
		await fd.app.rooms.applyAsServer(boardId, rule, [
			{ name: 'addOwner', args: [card, sam.id] },
			{ name: 'moveCard', args: [card, todo!, 0] }
		]);
		// Notifications: a reminder from the process and a rule's message (2 more, both automated).
		await fd.app.ctx.notify({ userId: sam.id, kind: 'due_soon', title: 'Due in 24 h', boardId, cardId: card, key: `reminder:${card}:card:due_soon:24` });
		await fd.app.ctx.notify({ userId: sam.id, kind: 'rule_message', title: 'Please review', boardId, cardId: card, ruleId: 'rule-assign-designer' });

		const day = 86_400_000;
		const range = { from: Date.now() - day, to: Date.now() + day };
		const share = await waitFor('the person’s three actions are stored', async () => {
			const s = await readAutomationShare(fd.app.ctx.db, boardId, range);
			return s.total === 7 ? s : null;
		});
		expect(share).toMatchObject({ total: 7, byRules: 3, byProcess: 1, byPeople: 3 });
		expect(share.share).toBeCloseTo(4 / 7);
		expect(share.weekly.reduce((n, w) => n + w.total, 0)).toBe(7);
	});
});
