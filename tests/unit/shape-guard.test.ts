import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { assertUpdateShape, checkWithPending } from '../../server/sync/shape-guard.ts';
import { MAX_CONCURRENT_AT_ONE_SPOT, assertUpdateV1 } from '../../server/sync/update-guard.ts';
import { ProtocolError } from '../../server/sync/protocol.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { findUnreadable, healBoard } from '../../src/lib/board/doc/heal.ts';
import { boardMaps, seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { placesOf } from '../../src/lib/board/doc/places.ts';
import { POISONS, concurrentInserts, poisonUpdate } from '../helpers/poison.ts';

const actor = { userId: 'u1', now: () => new Date('2026-03-01T10:00:00Z') };

/** The guards' verdict (bytes, then shape, as the server runs them): null when they let the update through, else the message. */
function verdict(doc: Y.Doc, update: Uint8Array): string | null {
	try {
		assertUpdateV1(update);
		assertUpdateShape(doc, update);
		return null;
	} catch (err) {
		if (!(err instanceof ProtocolError) || err.closeCode !== 1007) throw err;
		return err.message;
	}
}

/** A fresh document holding a copy of `doc` with every poison written into it (as stored before the server checked types). */
function poisonedCopy(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	for (const poison of POISONS) Y.applyUpdate(copy, poisonUpdate(copy, poison));
	return copy;
}

/** A board with every kind of content: stages with criteria and limits, cards with all their parts, moves, an archive. */
function fullBoard(doc = new Y.Doc()): Y.Doc {
	seedBoard(doc);
	const cmd = boardCommands(doc, actor);
	const stages = readSnapshot(doc).stages;
	const [backlog, todo, doing] = stages.map((s) => s.id);
	cmd.addExitCriterion(todo!, 'Brief approved');
	cmd.setWipLimit(doing!, 3, 'hard');
	const a = cmd.addCard(backlog!, 'Blog post ✓ 😀');
	const b = cmd.addCard(backlog!, 'Campaign');
	cmd.setDescription(a, 'First draft\nwith **markdown**');
	cmd.setDue(a, '2026-12-31');
	cmd.setLabels(a, [{ name: 'seo', color: 'emerald' }]);
	cmd.setBlocked(b, 'Waiting on legal');
	cmd.addOwner(a, 'u1');
	const item = cmd.addChecklistItem(a, 'Keywords');
	cmd.setChecklistDone(a, item, true);
	const criterion = readSnapshot(doc).stages[1]!.exitCriteria[0]!.id;
	cmd.setExitCheck(a, todo!, criterion, true);
	cmd.moveCard(a, todo!, 0);
	cmd.setArchived(b, true);
	cmd.addStage('Published', 'done');
	return doc;
}

describe('shape guard', () => {
	it('lets through every update real board edits make: each edit, the whole state, and merged runs', () => {
		const client = new Y.Doc();
		const updates: Uint8Array[] = [];
		client.on('update', (u: Uint8Array) => updates.push(u));
		fullBoard(client);
		const server = new Y.Doc();
		for (const update of updates) {
			expect(verdict(server, update)).toBeNull();
			Y.applyUpdate(server, update);
		}
		expect(verdict(new Y.Doc(), Y.encodeStateAsUpdate(client))).toBeNull();
		expect(verdict(new Y.Doc(), Y.mergeUpdates(updates))).toBeNull();
	});

	it.each(POISONS.map((p) => [p.what, p] as const))('refuses %s before Yjs sees it', (_what, poison) => {
		const server = fullBoard();
		const update = poisonUpdate(server, poison);
		const before = Y.encodeStateVector(server);
		expect(verdict(server, update)).toMatch(/^Update rejected: /);
		// Checking applied nothing.
		expect(Y.encodeStateVector(server)).toEqual(before);
	});

	it('refuses a poison hidden among good edits in one update', () => {
		const server = fullBoard();
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
		const sv = Y.encodeStateVector(client);
		const cmd = boardCommands(client, actor);
		cmd.addCard(readSnapshot(client).stages[0]!.id, 'Fine card');
		boardMaps(client).owners.set('x/y', 3);
		cmd.addCard(readSnapshot(client).stages[0]!.id, 'Another fine card');
		expect(verdict(server, Y.encodeStateAsUpdate(client, sv))).toMatch(/owners/);
	});

	it('refuses thousands of concurrent inserts at one spot in milliseconds, and lets a handful through', () => {
		const server = fullBoard();
		const crafted = concurrentInserts(4_000);
		const started = performance.now();
		expect(verdict(server, crafted)).toMatch(/concurrent inserts/);
		expect(performance.now() - started).toBeLessThan(1_000);
		expect(verdict(server, concurrentInserts(MAX_CONCURRENT_AT_ONE_SPOT))).toBeNull();
	});

	it('refuses a fresh write to a key that already holds a crowd of concurrent values, however they arrived', () => {
		const server = fullBoard();
		// 64 per update, as the spot bound allows: each update alone passes, and together they crowd one key.
		for (let round = 0; round < 3; round++) {
			const crowd = concurrentInserts(MAX_CONCURRENT_AT_ONE_SPOT, 2_000_000 + round * 1_000);
			expect(verdict(server, crowd), `round ${round}`).toBeNull();
			Y.applyUpdate(server, crowd);
		}
		expect(verdict(server, concurrentInserts(1, 3_000_000))).toMatch(/concurrent values/);
		// A client that has seen the key overwrites it with a left neighbour: no walk, no refusal.
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
		const sv = Y.encodeStateVector(client);
		const card = new Y.Map<unknown>();
		card.set('title', 'Replaces the crowd');
		boardMaps(client).cards.set('x', card);
		boardCommands(client, actor).addCard(readSnapshot(client).stages[0]!.id, 'A new key is fine');
		expect(verdict(server, Y.encodeStateAsUpdate(client, sv))).toBeNull();
	});

	it('lets an update through whose neighbours have not arrived, and checks it when they do', () => {
		const server = fullBoard();
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
		const sv = Y.encodeStateVector(client);
		// First a card the server will not see yet, then a bad value next to it (its parent is only known through the first).
		boardMaps(client).cards.set('late', new Y.Map());
		const first = Y.encodeStateAsUpdate(client, sv);
		const sv2 = Y.encodeStateVector(client);
		(boardMaps(client).cards.get('late') as Y.Map<unknown>).set('title', 99);
		const second = Y.encodeStateAsUpdate(client, sv2);
		// The second alone: its parent is unknown, so Yjs would keep it pending.
		expect(verdict(server, second)).toBeNull();
		Y.applyUpdate(server, second);
		expect(server.store.pendingStructs).not.toBeNull();
		// The first is fine on its own, but with the pending part it would integrate a number title.
		expect(checkWithPending(server, first)).toBe('drop-pending');
	});
});

describe('heal', () => {
	it('removes every unreadable entry of a poisoned board in one transaction, and every reader can read it afterwards', () => {
		const cards = Object.keys(readSnapshot(fullBoard()).cards).length;
		const doc = poisonedCopy(fullBoard());
		expect(findUnreadable(doc).length).toBeGreaterThanOrEqual(12);
		let transactions = 0;
		doc.on('afterTransaction', () => transactions++);
		const removed = healBoard(doc);
		expect(transactions).toBe(1);
		expect(removed.map((r) => r.where)).toEqual(expect.arrayContaining(['stages["x"]', 'cards["x"]', 'cards["n"]', 'descriptions["x"]', 'checklists["c/i"]']));
		expect(findUnreadable(doc)).toEqual([]);
		const snap = readSnapshot(doc);
		expect(Object.keys(snap.cards).length).toBeGreaterThanOrEqual(cards);
		expect(snap.stages.length).toBeGreaterThanOrEqual(5);
		expect(() => placesOf(doc)).not.toThrow();
		expect(healBoard(doc)).toEqual([]);
	});

	it('the browser snapshot reads a poisoned copy without throwing, skipping what it cannot read', () => {
		const doc = poisonedCopy(fullBoard());
		const snap = readSnapshot(doc);
		expect(Object.values(snap.cards).some((c) => c.title === 'Blog post ✓ 😀')).toBe(true);
		expect(snap.cards['x']).toBeUndefined();
		expect(snap.cards['labelled']?.labels).toEqual([]);
	});
});
