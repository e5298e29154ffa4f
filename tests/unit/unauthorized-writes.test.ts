import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UnauthorizedWrites } from '../../server/sync/unauthorized-writes.ts';

/** An update from a fresh client writing one map key. */
function write(key: string, clientID?: number): Uint8Array {
	const doc = new Y.Doc();
	if (clientID !== undefined) doc.clientID = clientID;
	doc.getMap('meta').set(key, 1);
	return Y.encodeStateAsUpdate(doc);
}

describe('changes written without the right to', () => {
	it('are stripped from later updates, while other clients’ changes in the same update stay', () => {
		const refused = new UnauthorizedWrites();
		const viewer = write('viewer', 7);
		refused.record(Y.parseUpdateMeta(viewer).from);
		const mixed = Y.mergeUpdates([viewer, write('editor', 8)]);
		const { update, stripped } = refused.strip(mixed);
		expect(stripped).toBe(true);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, update);
		expect(doc.getMap('meta').toJSON()).toEqual({ editor: 1 });
		expect(refused.strip(write('other', 9)).stripped).toBe(false);
	});

	it('a flood of made-up client ids does not grow the memory past its cap', () => {
		const refused = new UnauthorizedWrites();
		for (let i = 1; i <= UnauthorizedWrites.MAX_CLIENTS + 500; i++) refused.record(Y.parseUpdateMeta(write('x', i)).from);
		expect(refused.size).toBe(UnauthorizedWrites.MAX_CLIENTS);
	});
});
