import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LABEL_COLORS } from '../../src/lib/board/defaults.ts';
import { boardCommands, CommandError } from '../../src/lib/board/doc/commands.ts';
import { serverCardCommands } from '../../src/lib/board/doc/card-removal.ts';
import { LOCAL } from '../../src/lib/board/doc/origins.ts';
import { placeOf } from '../../src/lib/board/doc/places.ts';
import { boardMaps, seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { buildTimelines, stageAt, type FlowEvent } from '../../src/lib/board/metrics/history.ts';
import { isRecordedActivity, recordHistory, type RecordedChange } from '../../server/history/recorder.ts';

const SERVER = Object.freeze({ kind: 'server' as const, actorId: null });

/** A seeded board with a card that has every part a browser writes, the board store's undo manager, and history. */
function setup() {
	const doc = new Y.Doc();
	seedBoard(doc);
	const recorded: RecordedChange[] = [];
	recordHistory(doc, { events: (e) => recorded.push(...e), stages: () => {} }, (origin) => (origin === LOCAL ? 'ann' : null), () => new Date('2026-05-01T10:00:00Z'));
	const cmd = boardCommands(doc, { userId: 'ann', now: () => new Date('2026-05-01T09:00:00Z') }, LOCAL);
	const stage = (name: string) => readSnapshot(doc).stages.find((s) => s.name === name)!.id;
	const maps = boardMaps(doc);
	// As src/lib/sync/board-store.svelte.ts builds it.
	const undo = new Y.UndoManager([maps.stages, maps.cards, maps.places, maps.checklists, maps.owners, maps.exitChecks, maps.descriptions, maps.stepDues], { trackedOrigins: new Set([LOCAL]), captureTimeout: 0 });
	cmd.addCard(stage('To do'), 'Before');
	const card = cmd.addCard(stage('To do'), 'Launch post');
	cmd.addCard(stage('To do'), 'After');
	const criterion = cmd.addExitCriterion(stage('To do'), 'Brief approved');
	const item = cmd.addChecklistItem(card, 'Proofread');
	cmd.setChecklistDone(card, item, true);
	cmd.addOwner(card, 'bob');
	cmd.setDue(card, '2026-06-01');
	cmd.setLabels(card, [{ name: 'seo', color: LABEL_COLORS[0] }]);
	cmd.setDescription(card, 'The **whole** plan.');
	cmd.setStepDue(card, stage('Review'), '2026-05-20');
	cmd.setExitCheck(card, stage('To do'), criterion, true);
	const settle = () => new Promise((r) => setTimeout(r, 0));
	return { doc, cmd, card, stage, undo, recorded, settle, maps };
}

describe('deleting a card', () => {
	it('removes the card and every entry a browser keeps under its id, in one transaction', () => {
		const { doc, cmd, card, maps } = setup();
		let transactions = 0;
		// Only transactions that changed something (y-utility's place index opens an empty one after a change of places).
		doc.on('afterTransaction', (tr: Y.Transaction) => (transactions += tr.changed.size > 0 ? 1 : 0));
		cmd.deleteCard(card);
		expect(transactions).toBe(1);
		expect(readSnapshot(doc).cards[card]).toBeUndefined();
		expect(placeOf(doc, card)).toBeUndefined();
		for (const root of [maps.checklists, maps.owners, maps.stepDues]) expect([...root.keys()].filter((k) => k.startsWith(`${card}/`))).toEqual([]);
		expect(maps.descriptions.has(card)).toBe(false);
		expect(readSnapshot(doc).cardsByStage[readSnapshot(doc).stages[1]!.id]!.map((c) => c.title)).toEqual(['Before', 'After']);
	});

	it('comes back whole with one undo: title, place, checklist, owners, dates, labels, description', () => {
		const { doc, cmd, card, undo } = setup();
		const before = readSnapshot(doc);
		cmd.deleteCard(card);
		undo.undo();
		const after = readSnapshot(doc);
		expect(after.cards[card]).toEqual(before.cards[card]);
		expect(after.cardsByStage).toEqual(before.cardsByStage);
		expect(after.cards[card]).toMatchObject({ title: 'Launch post', due: '2026-06-01', description: 'The **whole** plan.', owners: ['bob'] });
	});

	it('refuses a card that is not on the board, changing nothing', () => {
		const { doc, cmd, card } = setup();
		cmd.deleteCard(card);
		let updates = 0;
		doc.on('update', () => updates++);
		expect(() => cmd.deleteCard(card)).toThrow(CommandError);
		expect(() => cmd.deleteCard(card)).toThrow('That card no longer exists.');
		expect(updates).toBe(0);
	});

	it('history: `deleted` with the title and stage, then `restored` on undo, and nothing about its parts', async () => {
		const { cmd, card, stage, undo, recorded, settle } = setup();
		await settle();
		recorded.length = 0;
		cmd.deleteCard(card);
		await settle();
		undo.undo();
		await settle();
		expect(recorded.filter((c) => !isRecordedActivity(c)).map((c) => c.type)).toEqual(['deleted', 'restored']);
		expect(recorded.filter(isRecordedActivity)).toEqual([]);
		expect(recorded[0]).toMatchObject({ cardId: card, actorId: 'ann', fromStageId: stage('To do'), data: { title: 'Launch post' } });
		expect(recorded[1]).toMatchObject({ cardId: card, toStageId: stage('To do') });
	});

	it('keeps its exit checks for an undo; the server purges them only once the card is gone', () => {
		const { doc, cmd, card, maps } = setup();
		const server = serverCardCommands(doc, { userId: 'x', now: () => new Date() }, SERVER);
		expect(() => server.purgeDeletedCard(card)).toThrow('That card is on the board');
		cmd.deleteCard(card);
		expect([...maps.exitChecks.keys()].some((k) => k.startsWith(`${card}/`))).toBe(true);
		expect(server.purgeDeletedCard(card)).toBe(true);
		expect([...maps.exitChecks.keys()].some((k) => k.startsWith(`${card}/`))).toBe(false);
		expect(server.purgeDeletedCard(card)).toBe(false);
	});
});

describe('flow metrics of a deleted card', () => {
	const stages = [
		{ id: 'todo', name: 'To do', kind: 'queue' as const, order: 0 },
		{ id: 'done', name: 'Done', kind: 'done' as const, order: 1 }
	];

	it('is out of the figures from its deletion until restored, like an archived card', () => {
		const events: FlowEvent[] = [
			{ type: 'created', cardId: 'c', at: 0, stageId: 'todo' },
			{ type: 'deleted', cardId: 'c', at: 10 },
			{ type: 'restored', cardId: 'c', at: 20 }
		];
		const [card] = buildTimelines(events, stages);
		expect([stageAt(card!, 5), stageAt(card!, 15), stageAt(card!, 25)]).toEqual(['todo', null, 'todo']);
	});

	it('finished work deleted from a done stage keeps counting there', () => {
		const events: FlowEvent[] = [
			{ type: 'created', cardId: 'c', at: 0, stageId: 'todo' },
			{ type: 'moved', cardId: 'c', at: 5, fromStageId: 'todo', toStageId: 'done' },
			{ type: 'deleted', cardId: 'c', at: 10 }
		];
		const [card] = buildTimelines(events, stages);
		expect(stageAt(card!, 15)).toBe('done');
		expect(card!.finishedAt).toBe(5);
	});
});
