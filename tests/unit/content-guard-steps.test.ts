import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { guardContent, type ContentRefusal } from '../../server/engine/content-guard.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { boardMaps, seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { POLICY } from '../../src/lib/board/doc/origins.ts';

describe('the content guard on hand-set step dates', () => {
	it('keeps a date for a card and stage of the board and removes one for a card or stage it does not have', () => {
		const doc = new Y.Doc();
		seedBoard(doc);
		const refusals: ContentRefusal[] = [];
		guardContent(doc, (r) => refusals.push(r), (m, e) => {
			throw new Error(`${m}: ${String(e)}`);
		});
		const stageId = readSnapshot(doc).stages[1]!.id;
		const cardId = boardCommands(doc, { userId: 'u', now: () => new Date() }, POLICY).addCard(stageId, 'Post');
		const socket = Object.freeze({ kind: 'remote' as const, connId: 1, userId: 'u' });
		const { stepDues } = boardMaps(doc);
		doc.transact(() => {
			stepDues.set(`${cardId}/${stageId}`, '2027-03-01');
			stepDues.set(`nocard/${stageId}`, '2027-03-01');
			stepDues.set(`${cardId}/nostage`, '2027-03-01');
			stepDues.set(`${cardId}/${readSnapshot(doc).stages[2]!.id}`, '2027-02-30');
		}, socket);
		expect([...stepDues.keys()]).toEqual([`${cardId}/${stageId}`]);
		// One notice per card and reason.
		expect(refusals.map((r) => r.cardId).sort()).toEqual([cardId, 'nocard'].sort());
	});
});
