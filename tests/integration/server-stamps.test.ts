import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { dbKinds, queryRows } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { storedDoc } from '../helpers/stored-board.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { boardMaps, cardKey } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { exitCheckKey } from '../../src/lib/board/policy.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';

const FORGED = { by: 'someone-else', at: '2020-01-01T00:00:00.000Z' };

describe.each(dbKinds())('who signed off and when is the server’s to say (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let owner: { id: string; cookie: string };
	const clients: SyncClient[] = [];

	beforeAll(async () => {
		fd = await startInProcess(kind);
		owner = await fd.user('Owner');
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await fd?.close();
	});

	it('a forged {by, at} on an exit check and on a block is replaced by the socket’s user and the server’s clock, for everyone and in storage', async () => {
		const boardId = await createBoard(fd.app.ctx.db, owner.id, 'Sign-offs', new Date());
		const [writer, watcher] = [connectBoard(fd.url, boardId, { cookie: owner.cookie }), connectBoard(fd.url, boardId, { cookie: owner.cookie })];
		clients.push(writer, watcher);
		await Promise.all([writer.synced(), watcher.synced()]);
		const cmd = boardCommands(writer.doc, { userId: owner.id, now: () => new Date() });
		const stage = readSnapshot(writer.doc).stages[1]!.id;
		const criterion = cmd.addExitCriterion(stage, 'Reviewed by legal');
		const cardId = cmd.addCard(stage, 'Press release');
		await waitFor('the watcher has the card', () => readSnapshot(watcher.doc).cards[cardId]);

		const started = Date.now();
		// A modified client: it claims someone else signed off, long ago, and blocked the card.
		const maps = boardMaps(writer.doc);
		const checkKey = cardKey(cardId, exitCheckKey(stage, criterion));
		writer.doc.transact(() => {
			maps.exitChecks.set(checkKey, FORGED);
			(maps.cards.get(cardId) as Y.Map<unknown>).set('blocked', { reason: 'Waiting for legal', ...FORGED });
		});
		const stamped = (doc: Y.Doc) => {
			const check = boardMaps(doc).exitChecks.get(checkKey) as { by: string; at: string } | undefined;
			const blocked = (boardMaps(doc).cards.get(cardId) as Y.Map<unknown> | undefined)?.get('blocked') as { reason: string; by: string; at: string } | undefined;
			return check?.by === owner.id && blocked?.by === owner.id ? { check, blocked } : null;
		};
		const seen = (await waitFor('the watcher sees the server’s stamps', () => stamped(watcher.doc)))!;
		for (const at of [seen.check.at, seen.blocked.at]) {
			expect(Date.parse(at)).toBeGreaterThanOrEqual(started - 1_000);
			expect(Date.parse(at)).toBeLessThanOrEqual(Date.now() + 1_000);
		}
		expect(seen.blocked.reason).toBe('Waiting for legal');
		// The writer's own copy is corrected too, and so is what is stored.
		await waitFor('the writer’s copy is corrected', () => stamped(writer.doc));
		await waitFor('stored with the stamps', async () => stamped(await storedDoc(fd.app.ctx.db, boardId)));
		// History names the socket's user, once each.
		const events = (await waitFor('history has the sign-off and the block', async () => {
			const rows = await queryRows<{ type: string; actor_id: string }>(fd.app.database, sql`select type, actor_id from card_events where board_id = ${boardId} and card_id = ${cardId} and type in ('exit_checked', 'blocked')`);
			return rows.length >= 2 ? rows : null;
		}))!;
		expect(events.map((e) => e.type).sort()).toEqual(['blocked', 'exit_checked']);
		expect(events.every((e) => e.actor_id === owner.id)).toBe(true);
		expect(writer.closeCodes).toEqual([]);
	});
});
