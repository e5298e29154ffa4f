import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { placeOf, upgradeBoard } from '../../src/lib/board/doc/places.ts';
import { boardMaps, SCHEMA_VERSION, seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { LOCAL, SEED } from '../../src/lib/board/doc/origins.ts';
import { mulberry32 } from '../helpers/prng.ts';

const at = (iso: string) => () => new Date(iso);

/** Exchanges full state both ways, as two clients reconnecting would. */
function sync(a: Y.Doc, b: Y.Doc): void {
	const fromA = Y.encodeStateAsUpdate(a);
	const fromB = Y.encodeStateAsUpdate(b);
	Y.applyUpdate(b, fromA);
	Y.applyUpdate(a, fromB);
}

describe('card places', () => {
	it('keeps one live entry per card after concurrent moves, once both sides have heard each other', () => {
		const a = new Y.Doc();
		seedBoard(a);
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		const cmdA = boardCommands(a, { userId: 'ann', now: at('2026-01-05T09:00:00Z') });
		const cmdB = boardCommands(b, { userId: 'bob', now: at('2026-01-05T10:00:00Z') });
		const stages = readSnapshot(a).stages.map((s) => s.id);
		const ids = ['One', 'Two', 'Three'].map((t) => cmdA.addCard(stages[0]!, t));
		sync(a, b);
		for (const id of ids) {
			cmdA.moveCard(id, stages[1]!, 0);
			cmdB.moveCard(id, stages[2]!, 0);
		}
		sync(a, b);
		// The losing entries are deleted by the side that notices; that deletion travels like any edit.
		sync(a, b);
		expect(boardMaps(a).places.length).toBe(3);
		expect(boardMaps(b).places.toJSON()).toEqual(boardMaps(a).places.toJSON());
		for (const id of ids) expect(placeOf(b, id)).toEqual(placeOf(a, id));
		expect(readSnapshot(a)).toEqual(readSnapshot(b));
	});

	it('commands in one transaction see each other: cards added together keep their order, a card moved twice has one entry', () => {
		const doc = new Y.Doc();
		seedBoard(doc);
		const cmd = boardCommands(doc, { userId: 'ann', now: at('2026-01-05T09:00:00Z') });
		const [todo, doing] = readSnapshot(doc).stages.slice(1, 3).map((s) => s.id);
		let ids: string[] = [];
		doc.transact(() => {
			ids = ['One', 'Two', 'Three'].map((t) => cmd.addCard(todo!, t));
			cmd.moveCard(ids[0]!, doing!, 0);
			cmd.moveCard(ids[0]!, todo!, 2);
		});
		expect(readSnapshot(doc).cardsByStage[todo!]!.map((c) => c.title)).toEqual(['Two', 'Three', 'One']);
		expect(new Set(readSnapshot(doc).cardsByStage[todo!]!.map((c) => c.rank)).size).toBe(3);
		expect(boardMaps(doc).places.length).toBe(3);
		// A fresh replica (its own index built from the array) reads the same.
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		expect(readSnapshot(copy)).toEqual(readSnapshot(doc));
	});

	it('stays within 150 bytes per card (the 1.5 MB budget for 10,000 cards) after five moves per card', () => {
		const doc = new Y.Doc();
		seedBoard(doc);
		const cmd = boardCommands(doc, { userId: 'user-with-a-16ch', now: at('2026-01-05T09:00:00Z') });
		const stages = readSnapshot(doc).stages.map((s) => s.id);
		const rng = mulberry32(7);
		const ids = Array.from({ length: 400 }, (_, i) => cmd.addCard(rng.pick(stages), `Card ${i}: draft the campaign brief`));
		for (let i = 0; i < 2_000; i++) cmd.moveCard(rng.pick(ids), rng.pick(stages), rng.int(0, 100));
		const bytes = Y.encodeStateAsUpdate(doc).byteLength;
		expect(bytes / ids.length).toBeLessThan(150);
	});
});

describe('undoing moves', () => {
	it('undo puts a moved card back in its stage at its rank, redo moves it again, and both reach the other side', () => {
		const a = new Y.Doc();
		seedBoard(a);
		const b = new Y.Doc();
		const cmd = boardCommands(a, { userId: 'ann', now: at('2026-01-05T09:00:00Z') }, LOCAL);
		const maps = boardMaps(a);
		const undo = new Y.UndoManager([maps.cards, maps.places], { trackedOrigins: new Set([LOCAL]), captureTimeout: 0 });
		const [todo, doing] = readSnapshot(a).stages.slice(1, 3).map((s) => s.id);
		const ids = ['One', 'Two'].map((t) => cmd.addCard(todo!, t));
		undo.stopCapturing();
		const before = readSnapshot(a);
		cmd.moveCard(ids[0]!, doing!, 0);
		undo.undo();
		expect(readSnapshot(a)).toEqual(before);
		sync(a, b);
		expect(readSnapshot(b).cardsByStage[todo!]!.map((c) => c.title)).toEqual(['One', 'Two']);
		undo.redo();
		sync(a, b);
		expect(readSnapshot(b).cards[ids[0]!]!.stageId).toBe(doing);
		expect(boardMaps(b).places.length).toBe(2);
	});
});

describe('upgrading a schema 1 board', () => {
	/** A board as schema 1 wrote it: each card's place in its own map. */
	function schemaOneBoard() {
		const doc = new Y.Doc();
		const { meta, stages, cards } = boardMaps(doc);
		doc.transact(() => {
			meta.set('schemaVersion', 1);
			for (const [id, name, rank] of [['s1', 'To do', 'a0'], ['s2', 'Done', 'a1']] as const) {
				const stage = new Y.Map<unknown>();
				for (const [k, v] of Object.entries({ id, name, rank, kind: id === 's2' ? 'done' : 'queue', wipLimit: null, wipMode: 'soft' })) stage.set(k, v);
				stage.set('exitCriteria', new Y.Array());
				stages.set(id, stage);
			}
			for (const [id, stageId, rank, movedAt] of [['c1', 's1', 'a0', '2026-02-01T10:00:00.000Z'], ['c2', 's1', 'a1', '2026-02-02T10:00:00.000Z'], ['c3', 's2', 'a0', '2026-02-03T10:00:00.000Z']] as const) {
				const card = new Y.Map<unknown>();
				for (const [k, v] of Object.entries({ id, title: `Card ${id}`, stageId, rank, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'u1', movedAt, movedBy: 'u1' })) card.set(k, v);
				cards.set(id, card);
			}
		});
		return doc;
	}

	it('reads the old layout, then moves every place into `places` in one transaction without changing what anyone sees', () => {
		const doc = schemaOneBoard();
		const before = readSnapshot(doc);
		expect(before.cardsByStage['s1']!.map((c) => c.id)).toEqual(['c1', 'c2']);
		expect(before.cards['c3']).toMatchObject({ stageId: 's2', movedAt: '2026-02-03T10:00:00.000Z' });
		const origins: unknown[] = [];
		doc.on('afterTransaction', (tr: Y.Transaction) => tr.changed.size > 0 && origins.push(tr.origin));
		expect(upgradeBoard(doc, SEED)).toBe(true);
		expect(origins).toEqual([SEED]);
		expect(boardMaps(doc).meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
		expect(boardMaps(doc).places.length).toBe(3);
		expect(readSnapshot(doc)).toEqual(before);
		expect(upgradeBoard(doc, SEED)).toBe(false);
	});

	it('after the upgrade, commands move upgraded cards like any other', () => {
		const doc = schemaOneBoard();
		upgradeBoard(doc, SEED);
		const cmd = boardCommands(doc, { userId: 'u2', now: at('2026-03-01T09:00:00Z') });
		expect(cmd.moveCard('c1', 's2', 0)).toBeNull();
		expect(readSnapshot(doc).cardsByStage['s2']!.map((c) => c.id)).toEqual(['c1', 'c3']);
		expect(readSnapshot(doc).cards['c1']!.movedAt).toBe('2026-03-01T09:00:00.000Z');
	});

	it('leaves new and current boards alone', () => {
		expect(upgradeBoard(new Y.Doc(), SEED)).toBe(false);
		const doc = new Y.Doc();
		seedBoard(doc);
		expect(upgradeBoard(doc, SEED)).toBe(false);
	});
});
