import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { storedDoc } from '../helpers/stored-board.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { boardMaps, cardKey } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { LIMITS } from '../../src/lib/board/limits.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';

describe.each(dbKinds())('the server enforces what a board may hold (%s)', (kind) => {
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

	it('content a well-behaved client could not write is undone for everyone and in storage, and the writer is told why; honest edits in the same board stay', async () => {
		const boardId = await createBoard(fd.app.ctx.db, owner.id, 'Limits', new Date());
		const [writer, watcher] = [connectBoard(fd.url, boardId, { cookie: owner.cookie }), connectBoard(fd.url, boardId, { cookie: owner.cookie })];
		clients.push(writer, watcher);
		await Promise.all([writer.synced(), watcher.synced()]);
		const cmd = boardCommands(writer.doc, { userId: owner.id, now: () => new Date() });
		const stage = readSnapshot(writer.doc).stages[0]!.id;
		const cardId = cmd.addCard(stage, 'Launch plan');
		cmd.setDue(cardId, '2026-12-31');
		cmd.setLabels(cardId, [{ name: 'seo', color: 'sky' }]);
		await waitFor('the watcher has the card', () => readSnapshot(watcher.doc).cards[cardId]?.due === '2026-12-31');

		// A modified client writes straight into its document, past every limit.
		const maps = boardMaps(writer.doc);
		const card = maps.cards.get(cardId) as Y.Map<unknown>;
		writer.doc.transact(() => {
			card.set('title', 'x'.repeat(300_000));
			card.set('labels', Array.from({ length: 500 }, (_, i) => ({ name: `l${i}`, color: 'sky' })));
			card.set('due', '2026-02-30');
			for (let i = 0; i < 150; i++) {
				const item = new Y.Map<unknown>();
				const id = `item${i}`;
				for (const [k, v] of Object.entries({ id, cardId, text: `step ${i}`, done: false, rank: `a${String(i).padStart(3, '0')}` })) item.set(k, v);
				maps.checklists.set(cardKey(cardId, id), item);
			}
			maps.owners.set(cardKey(cardId, 'someone'), 'someone-else');
			const text = new Y.Text();
			text.insert(0, 'd'.repeat(LIMITS.description + 5_000));
			maps.descriptions.set(cardId, text);
		});
		writer.doc.transact(() => card.set('labels', [{ name: 'seo', color: 'hotpink' }]));
		const honest = cmd.addCard(stage, 'An honest card');

		const settled = (doc: Y.Doc) => {
			const seen = readSnapshot(doc).cards[cardId];
			return seen?.title === 'Launch plan' && seen.checklist.length === LIMITS.checklistItemsPerCard && seen.description.length === LIMITS.description && readSnapshot(doc).cards[honest] ? seen : null;
		};
		const seen = (await waitFor('the watcher sees the board within its limits', () => settled(watcher.doc)))!;
		expect(seen.due).toBe('2026-12-31');
		expect(seen.labels).toEqual([{ name: 'seo', color: 'sky' }]);
		expect(seen.owners).toEqual([]);
		await waitFor('the writer’s own copy is corrected', () => settled(writer.doc));
		await waitFor('stored within the limits', async () => settled(await storedDoc(fd.app.ctx.db, boardId)));
		const told = writer.notices.map((n) => n.message).join('\n');
		for (const reason of [/card title can be at most 200/, /at most 20 labels/, /real calendar date/, /at most 100 checklist items/, /description can be at most 20000/, /owner entry/]) expect(told).toMatch(reason);
		expect(watcher.notices.filter((n) => n.type === 'refused')).toEqual([]);
		expect(writer.closeCodes).toEqual([]);
	});

	it('a board keeps to its stage count and a stage to its exit criteria', async () => {
		const boardId = await createBoard(fd.app.ctx.db, owner.id, 'Many stages', new Date());
		const writer = connectBoard(fd.url, boardId, { cookie: owner.cookie });
		clients.push(writer);
		await writer.synced();
		const { stages } = boardMaps(writer.doc);
		const first = readSnapshot(writer.doc).stages[0]!.id;
		writer.doc.transact(() => {
			for (let i = 0; i < 60; i++) {
				const stage = new Y.Map<unknown>();
				for (const [k, v] of Object.entries({ id: `s${i}`, name: `Stage ${i}`, rank: `b${String(i).padStart(3, '0')}`, kind: 'active', wipLimit: null, wipMode: 'soft' })) stage.set(k, v);
				stage.set('exitCriteria', new Y.Array());
				stages.set(`s${i}`, stage);
			}
			(stages.get(first) as Y.Map<unknown>).set('name', 'n'.repeat(500));
		});
		const criteria = (stages.get(first) as Y.Map<unknown>).get('exitCriteria') as Y.Array<unknown>;
		writer.doc.transact(() => criteria.push(Array.from({ length: 30 }, (_, i) => ({ id: `c${i}`, text: `criterion ${i}` }))));
		const check = async () => {
			const snap = readSnapshot(await storedDoc(fd.app.ctx.db, boardId));
			const firstStage = snap.stages.find((s) => s.id === first);
			return snap.stages.length === LIMITS.stages && firstStage && firstStage.name.length <= LIMITS.shortText && firstStage.exitCriteria.length === LIMITS.exitCriteriaPerStage;
		};
		await waitFor('stored with 50 stages and 20 criteria', check);
		const told = writer.notices.map((n) => n.message).join('\n');
		expect(told).toMatch(/at most 50 stages/);
		expect(told).toMatch(/at most 20 exit criteria/);
		expect(told).toMatch(/stage name can be at most 200/);
	});
});
