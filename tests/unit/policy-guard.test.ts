import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { guardPolicy, type Refusal } from '../../server/sync/policy-guard.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { boardMaps, mapAt, seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { placeOf, placesOf } from '../../src/lib/board/doc/places.ts';
import { POLICY, originKind } from '../../src/lib/board/doc/origins.ts';

const actor = { userId: 'u1', now: () => new Date('2026-03-01T10:00:00Z') };

/** A server doc with the guard, and a client doc whose edits reach it as a connection's transactions. */
function setup() {
	const server = new Y.Doc();
	seedBoard(server);
	const refusals: Refusal[] = [];
	const origins: unknown[] = [];
	server.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));
	guardPolicy(server, (r) => refusals.push(r), (m, e) => {
		throw new Error(`${m}: ${String(e)}`);
	});
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
	const conn = { kind: 'remote' as const };
	/** Runs `edit` on the client, ships the resulting update to the server as one connection frame, and syncs back. */
	const send = (edit: (doc: Y.Doc) => void) => {
		const sv = Y.encodeStateVector(server);
		edit(client);
		Y.applyUpdate(server, Y.encodeStateAsUpdate(client, sv), conn);
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
	};
	const ids = readSnapshot(server).stages.map((s) => s.id);
	const stage = { backlog: ids[0]!, todo: ids[1]!, doing: ids[2]!, review: ids[3]!, done: ids[4]! };
	return { server, client, send, refusals, origins, conn, stage, cmd: boardCommands(server, actor, POLICY) };
}
const stageOf = (doc: Y.Doc, id: string) => placeOf(doc, id)?.stageId;
const rankOf = (doc: Y.Doc, id: string) => placeOf(doc, id)?.rank;
/** A move written straight into the document, without the command's checks (what a modified client could send). */
const rawMove = (id: string, to: string) => (doc: Y.Doc) => doc.transact(() => placesOf(doc).set(id, { ...placeOf(doc, id)!, stageId: to }));

describe('the server’s policy safety net', () => {
	it('of several cards moved into a stage at once, only those that fit stay; the rest go back with their rank', () => {
		const { server, client, send, refusals, stage, cmd, conn } = setup();
		cmd.setWipLimit(stage.doing, 2, 'hard');
		cmd.addCard(stage.doing, 'Already there');
		const ids = ['One', 'Two', 'Three'].map((t) => cmd.addCard(stage.todo, t));
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
		const ranks = ids.map((id) => rankOf(server, id));
		send((doc) => doc.transact(() => ids.forEach((id) => rawMove(id, stage.doing)(doc))));
		expect(ids.map((id) => stageOf(server, id))).toEqual([stage.doing, stage.todo, stage.todo]);
		expect(ids.map((id) => stageOf(client, id))).toEqual([stage.doing, stage.todo, stage.todo]);
		expect(ids.slice(1).map((id) => rankOf(server, id))).toEqual(ranks.slice(1));
		expect(refusals.map((r) => [r.cardId, r.refusal.code, r.origin])).toEqual([
			[ids[1], 'wip_limit', conn],
			[ids[2], 'wip_limit', conn]
		]);
	});

	it('restores the whole place (stage, rank, arrival time) of a refused move, under the POLICY origin', () => {
		const { server, client, send, stage, cmd, origins } = setup();
		cmd.addExitCriterion(stage.todo, 'Brief approved');
		const id = cmd.addCard(stage.todo, 'Campaign');
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
		const before = placeOf(server, id);
		// What a client without the command's check would write.
		send((doc) => doc.transact(() => placesOf(doc).set(id, { stageId: stage.doing, rank: 'zz', enteredAt: Date.parse('2026-03-01T11:00:00Z') })));
		expect(placeOf(server, id)).toEqual(before);
		expect(placeOf(client, id)).toEqual(before);
		expect(originKind(origins.at(-1))).toBe('policy');
	});

	it('allows swaps between full stages, backward moves past criteria, moves out of a deleted stage, and archived cards', () => {
		const { server, client, send, refusals, stage, cmd } = setup();
		cmd.setWipLimit(stage.todo, 1, 'hard');
		cmd.setWipLimit(stage.doing, 1, 'hard');
		cmd.addExitCriterion(stage.doing, 'Reviewed');
		const a = cmd.addCard(stage.todo, 'A');
		const b = cmd.addCard(stage.doing, 'B');
		const archived = cmd.addCard(stage.backlog, 'Old');
		cmd.setArchived(archived, true);
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
		// B goes backward (criteria do not apply), A forward into the slot B left.
		send((doc) => doc.transact(() => {
			rawMove(b, stage.todo)(doc);
			rawMove(a, stage.doing)(doc);
		}));
		expect([stageOf(server, a), stageOf(server, b)]).toEqual([stage.doing, stage.todo]);
		send(rawMove(archived, stage.doing));
		expect(stageOf(server, archived)).toBe(stage.doing);
		const c = cmd.addCard(stage.review, 'C');
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
		send((doc) => boardCommands(doc, actor).deleteStage(stage.review, stage.doing));
		expect(stageOf(server, c)).toBe(stage.doing);
		expect(refusals).toEqual([]);
	});

	it('sends a card restored into a full stage back to the archive', () => {
		const { server, client, send, refusals, stage, cmd } = setup();
		const old = cmd.addCard(stage.doing, 'Old work');
		cmd.setArchived(old, true);
		cmd.setWipLimit(stage.doing, 1, 'hard');
		cmd.addCard(stage.doing, 'Current work');
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
		send((doc) => doc.transact(() => mapAt(boardMaps(doc).cards, old)!.set('archived', false)));
		expect(mapAt(boardMaps(server).cards, old)!.get('archived')).toBe(true);
		expect(mapAt(boardMaps(client).cards, old)!.get('archived')).toBe(true);
		expect(refusals.map((r) => [r.cardId, r.refusal.code])).toEqual([[old, 'wip_limit']]);
	});

	it('moves a new card written into a full stage to the first stage with room, and ignores the server’s own edits', () => {
		const { server, send, refusals, stage, cmd } = setup();
		cmd.setWipLimit(stage.backlog, 1, 'hard');
		cmd.setWipLimit(stage.doing, 1, 'hard');
		cmd.addCard(stage.backlog, 'Fills the backlog');
		cmd.addCard(stage.doing, 'Fills doing');
		// The server's own (non-remote) transactions are not second-guessed.
		server.transact(() => rawMove(cmd.addCard(stage.todo, 'Server'), stage.doing)(server), POLICY);
		expect(refusals).toEqual([]);
		send((doc) => {
			const doc2 = boardMaps(doc);
			Y.applyUpdate(doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(doc)));
			const card = new Y.Map<unknown>();
			doc.transact(() => {
				card.set('title', 'Sneaked in');
				doc2.cards.set('new1', card);
				placesOf(doc).set('new1', { stageId: stage.doing, rank: 'a0', enteredAt: 0 });
			});
		});
		expect(stageOf(server, 'new1')).toBe(stage.todo);
		expect(refusals.map((r) => [r.cardId, r.refusal.code])).toEqual([['new1', 'wip_limit']]);
	});
});

describe('a move into a stage the server has not seen yet', () => {
	/** A second client that creates stages the server does not get until the test says so. */
	function withStageMaker(waitMs: number) {
		const server = new Y.Doc();
		seedBoard(server);
		const refusals: Refusal[] = [];
		guardPolicy(server, (r) => refusals.push(r), (m, e) => {
			throw new Error(`${m}: ${String(e)}`);
		}, waitMs);
		const conn = { kind: 'remote' as const };
		const cmd = boardCommands(server, actor, POLICY);
		const ids = readSnapshot(server).stages.map((s) => s.id);
		const card = cmd.addCard(ids[1]!, 'Blog post');
		const mover = new Y.Doc();
		const maker = new Y.Doc();
		for (const doc of [mover, maker]) Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
		/** The maker adds a stage; the mover learns of it directly (as from a third client), the server does not. */
		const makeStage = (name: string) => {
			const before = Y.encodeStateVector(maker);
			const id = boardCommands(maker, actor).addStage(name);
			const update = Y.encodeStateAsUpdate(maker, before);
			Y.applyUpdate(mover, update);
			return { id, update };
		};
		/** The mover's own change alone, as its socket would send it (the stage is not in it). */
		const moveInto = (stageId: string) => {
			const sent: Uint8Array[] = [];
			const capture = (update: Uint8Array) => sent.push(update);
			mover.on('update', capture);
			rawMove(card, stageId)(mover);
			mover.off('update', capture);
			Y.applyUpdate(server, Y.mergeUpdates(sent), conn);
		};
		/** The mover catches up with the server (it learns what the server put back). */
		const catchUp = () => Y.applyUpdate(mover, Y.encodeStateAsUpdate(server, Y.encodeStateVector(mover)));
		return { server, refusals, conn, cmd, card, ids, makeStage, moveInto, catchUp };
	}
	const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

	it('waits for the stage and judges the move when it arrives', () => {
		const { server, refusals, card, makeStage, moveInto, conn } = withStageMaker(5_000);
		const stage = makeStage('Keyword research');
		moveInto(stage.id);
		// Not put back while its stage is on its way.
		expect(stageOf(server, card)).toBe(stage.id);
		expect(refusals).toEqual([]);
		Y.applyUpdate(server, stage.update, conn);
		expect(stageOf(server, card)).toBe(stage.id);
		expect(refusals).toEqual([]);
	});

	it('judges it by the stage’s rules once it arrives (a full hard limit sends it back)', () => {
		const { server, refusals, card, ids, makeStage, moveInto, conn } = withStageMaker(5_000);
		const stage = makeStage('Approval');
		// The maker also sets a hard limit of 1 and puts a card there first.
		const full = new Y.Doc();
		Y.applyUpdate(full, Y.encodeStateAsUpdate(server));
		moveInto(stage.id);
		const maker = boardCommands(full, actor);
		Y.applyUpdate(full, stage.update);
		const before = Y.encodeStateVector(full);
		maker.setWipLimit(stage.id, 1, 'hard');
		maker.addCard(stage.id, 'Already approved');
		Y.applyUpdate(server, Y.mergeUpdates([stage.update, Y.encodeStateAsUpdate(full, before)]), conn);
		expect(stageOf(server, card)).toBe(ids[1]);
		expect(refusals.map((r) => [r.cardId, r.refusal.code])).toEqual([[card, 'wip_limit']]);
	});

	it('puts the card back when the stage never arrives, and at once when the stage was deleted', async () => {
		const { server, refusals, card, ids, cmd, makeStage, moveInto, catchUp } = withStageMaker(50);
		moveInto(makeStage('Never arrives').id);
		await sleep(120);
		expect(stageOf(server, card)).toBe(ids[1]);
		expect(refusals.map((r) => [r.cardId, r.refusal.code])).toEqual([[card, 'no_stage']]);
		const gone = cmd.addStage('Short-lived');
		cmd.deleteStage(gone, null);
		refusals.length = 0;
		catchUp();
		moveInto(gone);
		expect(stageOf(server, card)).toBe(ids[1]);
		expect(refusals.map((r) => r.refusal.code)).toEqual(['no_stage']);
	});
});
