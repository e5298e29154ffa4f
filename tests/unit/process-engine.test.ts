import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { guardPolicy } from '../../server/sync/policy-guard.ts';
import { FORGED_MESSAGE, runProcess } from '../../server/engine/process-engine.ts';
import type { ContentRefusal } from '../../server/engine/content-guard.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { serverProcessCommands } from '../../src/lib/board/doc/process-commands.ts';
import { boardMaps, seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { POLICY, originKind, type ServerOrigin } from '../../src/lib/board/doc/origins.ts';
import { placesOf } from '../../src/lib/board/doc/places.ts';
import type { StepSettings } from '../../src/lib/board/types.ts';

const NOW = new Date('2027-03-01T10:00:00Z');
const actor = { userId: 'lead', now: () => NOW };
const step = (ownerRole: string | null, offset: number | null, approval: StepSettings['approval'] = null): StepSettings => ({ ownerRole, offset, unit: 'working', approval });

/** A server doc running the policy net and the process; a client doc whose edits reach it as a socket's transactions. */
function setup() {
	const server = new Y.Doc();
	seedBoard(server);
	const notices: ContentRefusal[] = [];
	const origins: unknown[] = [];
	server.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));
	// In the engine's order: the process first (it undoes forged sign-offs before the move rules judge), then the policy net.
	runProcess(server, (r) => notices.push(r), () => NOW);
	guardPolicy(server, () => {}, (m, e) => {
		throw new Error(`${m}: ${String(e)}`);
	});
	const cmd = boardCommands(server, actor, POLICY);
	const serverCmd = serverProcessCommands(server, actor, Object.freeze({ kind: 'server', actorId: 'lead' }) as ServerOrigin);
	const [backlog, todo, doing, review] = readSnapshot(server).stages.map((s) => s.id) as [string, string, string, string];
	cmd.setStageStep(todo, step('Writer', 10));
	cmd.setStageStep(doing, step('Designer', 5));
	cmd.setStageStep(review, step(null, 2, { approvers: { userIds: [], role: 'Editor' }, quorum: 1, onChanges: { sendTo: todo }, onReject: { archive: true, sendTo: null } }));
	serverCmd.setTeamRoles({ Writer: ['wanda', 'walt'], Designer: [], Editor: ['eddie'] });
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
	const conn = Object.freeze({ kind: 'remote' as const, connId: 1, userId: 'mover' });
	/** Runs `edit` on the client as the socket's user and ships it to the server as one frame; syncs back. */
	const send = (edit: (doc: Y.Doc) => void) => {
		const sv = Y.encodeStateVector(server);
		edit(client);
		Y.applyUpdate(server, Y.encodeStateAsUpdate(client, sv), conn);
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
	};
	const clientCmd = boardCommands(client, { userId: 'mover', now: () => NOW });
	return { server, client, send, cmd, serverCmd, clientCmd, notices, origins, conn, stage: { backlog, todo, doing, review } };
}

describe('the process on the server', () => {
	it('hands a card entering a step to the role holder with the fewest open cards, in turn, as the process on behalf of the mover', () => {
		const { server, send, clientCmd, stage, origins } = setup();
		let first = '';
		send(() => (first = clientCmd.addCard(stage.backlog, 'Post one')));
		send(() => clientCmd.moveCard(first, stage.todo, 0));
		const one = readSnapshot(server).cards[first]!;
		// Holders are kept sorted: Walt comes first among equals.
		expect(one.owners).toEqual(['walt']);
		expect(one.handoff).toMatchObject({ stageId: stage.todo, role: 'Writer', userId: 'walt' });
		const automation = origins.filter((o) => originKind(o) === 'automation') as ServerOrigin[];
		expect(automation.at(-1)).toEqual({ kind: 'automation', actorId: 'mover' });
		// Walt has one open card now: the next goes to Wanda; with both at one, the turn goes round to Walt.
		let second = '';
		let third = '';
		send(() => (second = clientCmd.addCard(stage.todo, 'Post two')));
		expect(readSnapshot(server).cards[second]!.owners).toEqual(['wanda']);
		send(() => (third = clientCmd.addCard(stage.todo, 'Post three')));
		expect(readSnapshot(server).cards[third]!.owners).toEqual(['walt']);
	});

	it('replaces the previous step’s assignee, and records "no one" when nobody holds the role', () => {
		const { server, send, clientCmd, stage } = setup();
		let id = '';
		send(() => (id = clientCmd.addCard(stage.todo, 'Post')));
		send(() => clientCmd.addOwner(id, 'helper'));
		send(() => clientCmd.moveCard(id, stage.doing, 0));
		const card = readSnapshot(server).cards[id]!;
		// The writer the process assigned is gone; the person someone added by hand stays.
		expect(card.owners).toEqual(['helper']);
		expect(card.handoff).toMatchObject({ stageId: stage.doing, role: 'Designer', userId: null });
	});

	it('does not hand off a move the policy net put back', () => {
		const { server, send, clientCmd, cmd, stage } = setup();
		cmd.setWipLimit(stage.doing, 1, 'hard');
		cmd.addCard(stage.doing, 'Full');
		let id = '';
		send((doc) => {
			id = clientCmd.addCard(stage.todo, 'Post');
			Y.applyUpdate(doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(doc)));
		});
		const before = readSnapshot(server).cards[id]!.handoff;
		// A modified client moves it past the hard limit without asking: the server puts it back.
		send((doc) => clientCmdRaw(doc, id, stage.doing));
		const after = readSnapshot(server).cards[id]!;
		expect(after.stageId).toBe(stage.todo);
		expect(after.handoff).toEqual(before);
	});

	it('undoes a socket’s write to the server’s own roots and tells the sender', () => {
		const { server, send, clientCmd, stage, notices, conn } = setup();
		let id = '';
		send(() => (id = clientCmd.addCard(stage.review, 'Post')));
		send((doc) =>
			boardMaps(doc).signoffs.set(`${id}/${stage.review}`, { decisions: [{ userId: 'eddie', outcome: 'approve', at: NOW.toISOString(), comment: '' }], contentAt: null })
		);
		send((doc) => boardMaps(doc).process.set('teamRoles', { Editor: ['mover'] }));
		expect(readSnapshot(server).cards[id]!.signoffs).toEqual({});
		expect(readSnapshot(server).process.teamRoles.Editor).toEqual(['eddie']);
		expect(notices).toEqual([
			{ origin: conn, cardId: id, message: FORGED_MESSAGE },
			{ origin: conn, cardId: '', message: FORGED_MESSAGE }
		]);
		// The forged approval never let the card through.
		send(() => clientCmd.moveCard(id, readSnapshot(server).stages[4]!.id, 0));
		expect(readSnapshot(server).cards[id]!.stageId).toBe(stage.review);
	});

	it('a forged approval sent with the move in one update does not let the card through', () => {
		const { server, send, clientCmd, stage, notices } = setup();
		let id = '';
		send(() => (id = clientCmd.addCard(stage.review, 'Post')));
		const done = readSnapshot(server).stages[4]!.id;
		send((doc) => {
			doc.transact(() => {
				boardMaps(doc).signoffs.set(`${id}/${stage.review}`, { decisions: [{ userId: 'eddie', outcome: 'approve', at: NOW.toISOString(), comment: '' }], contentAt: null });
				clientCmdRaw(doc, id, done);
			});
		});
		const card = readSnapshot(server).cards[id]!;
		expect(card.stageId).toBe(stage.review);
		expect(card.signoffs).toEqual({});
		expect(notices.some((n) => n.cardId === id && n.message === FORGED_MESSAGE)).toBe(true);
	});

	it('an edit sent with the move in one update voids the approval before the move is judged', () => {
		const { server, send, clientCmd, stage } = setup();
		let id = '';
		send(() => (id = clientCmd.addCard(stage.review, 'Post')));
		serverProcessCommands(server, { userId: 'eddie', now: () => new Date(NOW.getTime() - 60_000) }, Object.freeze({ kind: 'server', actorId: 'eddie' }) as ServerOrigin).recordDecision(id, stage.review, 'approve', '');
		const done = readSnapshot(server).stages[4]!.id;
		send((doc) => {
			Y.applyUpdate(doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(doc)));
			doc.transact(() => {
				boardCommands(doc, { userId: 'mover', now: () => NOW }).setTitle(id, 'Post, rewritten');
				clientCmdRaw(doc, id, done);
			});
		});
		const card = readSnapshot(server).cards[id]!;
		expect(card.title).toBe('Post, rewritten');
		expect(card.stageId).toBe(stage.review);
		expect(card.signoffs[stage.review]!.contentAt).toBe(NOW.toISOString());
	});

	it('the writer the process took the card from cannot sign it off, though no longer an owner', () => {
		const { server, send, clientCmd, cmd, serverCmd, stage } = setup();
		// Review is owned by the Designer role (nobody holds it) and signed off by Editors, Walt among them.
		cmd.setStageStep(stage.review, step('Designer', 2, { approvers: { userIds: [], role: 'Editor' }, quorum: 1, onChanges: { sendTo: null }, onReject: { archive: true, sendTo: null } }));
		serverCmd.setTeamRoles({ Writer: ['walt'], Designer: [], Editor: ['eddie', 'walt'] });
		let id = '';
		send((doc) => {
			Y.applyUpdate(doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(doc)));
			id = clientCmd.addCard(stage.todo, 'Post');
		});
		expect(readSnapshot(server).cards[id]!.owners).toEqual(['walt']);
		send(() => clientCmd.moveCard(id, stage.review, 0));
		const card = readSnapshot(server).cards[id]!;
		expect(card.owners).toEqual([]);
		expect(card.handoff).toMatchObject({ stageId: stage.review, userId: null, previous: 'walt' });
		const as = (userId: string) => serverProcessCommands(server, { userId, now: () => NOW }, Object.freeze({ kind: 'server', actorId: userId }) as ServerOrigin);
		expect(() => as('walt').recordDecision(id, stage.review, 'approve', '')).toThrow('Nobody signs off their own work');
		expect(as('eddie').recordDecision(id, stage.review, 'approve', '').decisions).toHaveLength(1);
	});

	it('voids approvals when the card’s content changes after them', () => {
		const { server, send, clientCmd, stage } = setup();
		let id = '';
		send(() => (id = clientCmd.addCard(stage.review, 'Post')));
		serverProcessCommands(server, { userId: 'eddie', now: () => new Date(NOW.getTime() - 60_000) }, Object.freeze({ kind: 'server', actorId: 'eddie' }) as ServerOrigin).recordDecision(id, stage.review, 'approve', '');
		expect(readSnapshot(server).cards[id]!.signoffs[stage.review]!.contentAt).toBeNull();
		send(() => clientCmd.setTitle(id, 'Post, retitled'));
		expect(readSnapshot(server).cards[id]!.signoffs[stage.review]!.contentAt).toBe(NOW.toISOString());
		// Already void: the next keystroke does not rewrite the record.
		const before = Y.encodeStateVector(server);
		send(() => clientCmd.setTitle(id, 'Post, retitled again'));
		const written = Y.decodeUpdate(Y.encodeStateAsUpdate(server, before)).structs.length;
		expect(written).toBe(1);
	});

	it('restamps a target date with the server’s clock', () => {
		const { server, send, stage } = setup();
		let id = '';
		send((doc) => {
			id = boardCommands(doc, { userId: 'mover', now: () => new Date('2001-01-01T00:00:00Z') }).addCard(stage.backlog, 'Post');
			boardCommands(doc, { userId: 'mover', now: () => new Date('2001-01-01T00:00:00Z') }).setTarget(id, '2027-04-30');
		});
		expect(readSnapshot(server).cards[id]!.target).toEqual({ day: '2027-04-30', at: NOW.toISOString() });
		send((doc) => boardCommands(doc, { userId: 'mover', now: () => new Date('2001-01-01T00:00:00Z') }).setTarget(id, '2027-05-03'));
		expect(readSnapshot(server).cards[id]!.target).toEqual({ day: '2027-05-03', at: NOW.toISOString() });
	});
});

/** Writes a move straight into the document, skipping the command's checks (a modified client). */
function clientCmdRaw(doc: Y.Doc, cardId: string, toStageId: string): void {
	const current = readSnapshot(doc).cards[cardId]!;
	placesOf(doc).set(cardId, { stageId: toStageId, rank: current.rank, enteredAt: NOW.getTime() });
}
