import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { readCardEvents } from '../../src/lib/server/history.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';

describe.each(dbKinds())('offline edits in the flow history (%s)', (kind) => {
	let flowdeck: InProcessFlowdeck;
	const open: SyncClient[] = [];

	beforeAll(async () => {
		flowdeck = await startInProcess(kind);
	}, 60_000);

	afterAll(async () => {
		for (const c of open) c.destroy();
		await flowdeck?.close();
	});

	it('a move made offline is stamped when the server receives it, with the socket’s user as actor', async () => {
		const { db } = flowdeck.app.ctx;
		const user = await flowdeck.user('Editor');
		const boardId = await createBoard(db, user.id, 'Offline', new Date());
		const client = connectBoard(flowdeck.url, boardId, { cookie: user.cookie });
		open.push(client);
		await client.synced();
		// The client's own clock: a recorder that trusted the arrival time written into the document would use it.
		const cmd = boardCommands(client.doc, { userId: 'claimed-by-client', now: () => new Date() });
		const stage = (name: string) => readSnapshot(client.doc).stages.find((s) => s.name === name)!.id;
		const card = cmd.addCard(stage('Backlog'), 'Written on a train');
		const events = () => readCardEvents(db, boardId).then((rows) => rows.filter((e) => e.cardId === card));
		await waitFor('the card’s creation stored', async () => (await events()).length === 1);

		client.provider.disconnect();
		await waitFor('the socket closed', () => !client.provider.wsconnected);
		const offlineAt = Date.now();
		cmd.moveCard(card, stage('In progress'), 0);
		await new Promise((r) => setTimeout(r, 1_500));
		expect((await events()).map((e) => e.type)).toEqual(['created']);

		const reconnectAt = Date.now();
		client.provider.connect();
		const moved = (await waitFor('the offline move stored', async () => (await events()).find((e) => e.type === 'moved')))!;
		expect(moved.at.getTime()).toBeGreaterThanOrEqual(reconnectAt);
		expect(moved.at.getTime() - offlineAt).toBeGreaterThanOrEqual(1_500);
		expect(moved.actorId).toBe(user.id);
		expect(moved.toStageId).toBe(stage('In progress'));
	});
});
