import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardCommands, CommandError } from '../../src/lib/board/doc/commands.ts';
import { boardMaps, seedBoard } from '../../src/lib/board/doc/schema.ts';
import { childShape, fitsShape, rootShape } from '../../src/lib/board/doc/shape.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';

function setup() {
	const doc = new Y.Doc();
	seedBoard(doc);
	return { doc, cmd: boardCommands(doc, { userId: 'u1', now: () => new Date('2027-01-04T09:00:00Z') }) };
}

describe('lane limits', () => {
	it('are set per lane mode and lane, read into the snapshot, and removed with null', () => {
		const { doc, cmd } = setup();
		cmd.setLaneLimit('owner', 'u2', 3);
		cmd.setLaneLimit('label', 'seo', 2);
		expect(readSnapshot(doc).laneLimits).toEqual({ 'owner/u2': 3, 'label/seo': 2 });
		cmd.setLaneLimit('owner', 'u2', null);
		expect(readSnapshot(doc).laneLimits).toEqual({ 'label/seo': 2 });
	});

	it('refuse anything but a whole number from 1 to 999, and lanes that are off, writing nothing', () => {
		const { doc, cmd } = setup();
		let updates = 0;
		doc.on('update', () => updates++);
		for (const bad of [0, -1, 1.5, 1000, Number.NaN]) expect(() => cmd.setLaneLimit('owner', 'u2', bad)).toThrow(new CommandError('A lane limit is a whole number from 1 to 999.'));
		expect(() => cmd.setLaneLimit('none', '-', 2)).toThrow(CommandError);
		expect(updates).toBe(0);
	});

	it('the board shape accepts a limit and refuses other values (what the server checks a client’s write against)', () => {
		const shape = childShape(rootShape('laneLimits')!, 'owner/u2')!;
		expect(fitsShape(shape, 4)).toBe(true);
		for (const bad of [0, 1000, 2.5, '3', null, { n: 1 }]) expect(fitsShape(shape, bad)).toBe(false);
		// A malformed value a client slipped in reads as no limit.
		const { doc } = setup();
		boardMaps(doc).laneLimits.set('owner/u3', 'many');
		expect(readSnapshot(doc).laneLimits).toEqual({});
	});
});
