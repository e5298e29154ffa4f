import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { keepAStage, RECOVERED_STAGE_NAME } from '../../server/engine/last-stage-guard.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { POLICY } from '../../src/lib/board/doc/origins.ts';

const actor = (userId: string) => ({ userId, now: () => new Date('2027-01-04T10:00:00Z') });

describe('a board keeps a stage while it has cards', () => {
	it('two people deleting the last two stages at once: the server adds one and the cards show there', () => {
		const server = new Y.Doc();
		seedBoard(server);
		keepAStage(server);
		const cmd = boardCommands(server, actor('owner'), POLICY);
		const [first, second, ...rest] = readSnapshot(server).stages.map((s) => s.id);
		const card = cmd.addCard(first!, 'Post');
		for (const id of rest) cmd.deleteStage(id, first!);
		const [ann, bob] = [new Y.Doc(), new Y.Doc()];
		for (const d of [ann, bob]) Y.applyUpdate(d, Y.encodeStateAsUpdate(server));
		// Each deletes a different one of the two stages left, moving the cards to the other: each was allowed alone.
		boardCommands(ann, actor('ann')).deleteStage(first!, second!);
		boardCommands(bob, actor('bob')).deleteStage(second!, first!);
		const socket = Object.freeze({ kind: 'remote' as const, connId: 1, userId: 'ann' });
		Y.applyUpdate(server, Y.encodeStateAsUpdate(ann), socket);
		Y.applyUpdate(server, Y.encodeStateAsUpdate(bob), socket);
		const snapshot = readSnapshot(server);
		expect(snapshot.stages.map((s) => s.name)).toEqual([RECOVERED_STAGE_NAME]);
		expect(snapshot.cardsByStage[snapshot.stages[0]!.id]!.map((c) => c.id)).toEqual([card]);
	});
});
