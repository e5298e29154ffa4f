import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { isCalendarDate, LIMITS } from '../../src/lib/board/limits.ts';
import { boardChangeSchema } from '../../src/lib/board/changes.ts';
import { boardCommands, CommandError } from '../../src/lib/board/doc/commands.ts';
import { runNamedCommands, NamedCommandError } from '../../src/lib/board/doc/named-commands.ts';
import { seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';

const actor = { userId: 'u1', now: () => new Date('2026-03-01T10:00:00Z') };
const automation = Object.freeze({ kind: 'automation' as const, actorId: 'u1' });

function board() {
	const doc = new Y.Doc();
	seedBoard(doc);
	return { doc, cmd: boardCommands(doc, actor), stage: readSnapshot(doc).stages[0]!.id };
}

describe('board limits', () => {
	it('a due date is a real calendar day', () => {
		expect(['2026-12-31', '2028-02-29'].map(isCalendarDate)).toEqual([true, true]);
		expect(['2026-02-30', '2026-13-01', '2027-02-29', '26-1-1', 'tomorrow', 20261231].map(isCalendarDate)).toEqual([false, false, false, false, false, false]);
	});

	it('the browser’s commands refuse what the server would undo, with a message, changing nothing', () => {
		const { doc, cmd, stage } = board();
		const card = cmd.addCard(stage, 'Post');
		const before = Y.encodeStateAsUpdate(doc);
		expect(() => cmd.setDue(card, '2026-02-30')).toThrow(CommandError);
		expect(() => cmd.setLabels(card, Array.from({ length: LIMITS.labelsPerCard + 1 }, (_, i) => ({ name: `l${i}`, color: 'sky' })))).toThrow(/at most 20 labels/);
		expect(() => cmd.setLabels(card, [{ name: 'seo', color: 'hotpink' }])).toThrow(/colours/);
		for (let i = 0; i < LIMITS.checklistItemsPerCard; i++) cmd.addChecklistItem(card, `step ${i}`);
		expect(() => cmd.addChecklistItem(card, 'one too many')).toThrow(/at most 100 checklist items/);
		while (readSnapshot(doc).stages.length < LIMITS.stages) cmd.addStage(`Stage ${readSnapshot(doc).stages.length}`);
		expect(() => cmd.addStage('one too many')).toThrow(/at most 50 stages/);
		expect(readSnapshot(doc).cards[card]!.due).not.toBe('2026-02-30');
		expect(readSnapshot(doc).cards[card]!.labels).toEqual([]);
		expect(before.length).toBeGreaterThan(0);
	});
});

describe('named commands (the server command path)', () => {
	it('runs a list in one transaction and returns each result', () => {
		const { doc, stage } = board();
		const origins: unknown[] = [];
		doc.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));
		const [first, second] = runNamedCommands(doc, actor, automation, [
			{ name: 'addCard', args: [stage, 'Planned by a rule'] },
			{ name: 'addCard', args: [stage, 'And another'] }
		]);
		// One update for both, under the automation origin with its actor.
		expect(origins).toEqual([automation]);
		expect([first, second].map((id) => readSnapshot(doc).cards[id as string]?.title)).toEqual(['Planned by a rule', 'And another']);
	});

	it('refuses unknown names, wrong arguments and refused moves, naming the command', () => {
		const { doc, stage } = board();
		const fails = (commands: Parameters<typeof runNamedCommands>[3]) => {
			try {
				runNamedCommands(doc, actor, automation, commands);
				return null;
			} catch (err) {
				return err instanceof NamedCommandError ? [err.index, err.message] : err;
			}
		};
		expect(fails([{ name: 'dropBoard' as 'addCard', args: [] }])).toEqual([0, 'Command 1 is not one the server knows.']);
		expect(fails([{ name: 'addCard', args: [stage] }])).toEqual([0, 'Command 1 (addCard) has the wrong arguments.']);
		expect(fails([{ name: 'addCard', args: [stage, 'x'] }, { name: 'setTitle', args: ['nope', 'y'] }])).toEqual([1, 'That card no longer exists.']);
	});
});

describe('the change feed schema', () => {
	it('accepts each kind of change the recorder makes and refuses malformed ones', () => {
		const at = new Date();
		const base = { cardId: 'c1', actorId: 'u1', at, fromStageId: null, toStageId: 's1' };
		expect(boardChangeSchema.safeParse({ type: 'created', ...base, data: { title: 'Post' } }).success).toBe(true);
		expect(boardChangeSchema.safeParse({ type: 'moved', ...base, fromStageId: 's0', data: { direction: 'forward', checklist: { done: 1, total: 2 } } }).success).toBe(true);
		expect(boardChangeSchema.safeParse({ type: 'owner_added', ...base, data: { userId: 'u2' } }).success).toBe(true);
		expect(boardChangeSchema.safeParse({ type: 'stage', stageId: 's1', name: 'Review', kind: 'wait', rank: 'a0', deleted: false, at }).success).toBe(true);
		expect(boardChangeSchema.safeParse({ type: 'moved', ...base, data: { direction: 'sideways' } }).success).toBe(false);
		expect(boardChangeSchema.safeParse({ type: 'teleported', ...base, data: {} }).success).toBe(false);
	});
});
