import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardCommands, CommandError, MAX_DESCRIPTION, MAX_SHORT_TEXT } from '../../src/lib/board/doc/commands.ts';
import { LOCAL, SEED, originKind } from '../../src/lib/board/doc/origins.ts';
import { boardMaps, SCHEMA_VERSION, seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';

const T0 = new Date('2026-01-05T09:00:00.000Z');

/** A seeded board, a clock the test moves, and commands for user u1. */
function setup() {
	const doc = new Y.Doc();
	seedBoard(doc);
	const clock = { t: T0.getTime() };
	const now = () => new Date(clock.t);
	const cmd = boardCommands(doc, { userId: 'u1', now });
	const snap = () => readSnapshot(doc);
	const stageId = (name: string) => {
		const stage = snap().stages.find((s) => s.name === name);
		if (!stage) throw new Error(`no stage ${name}`);
		return stage.id;
	};
	const titles = (stage: string) => snap().cardsByStage[stageId(stage)]!.map((c) => c.title);
	const advance = (ms: number) => (clock.t += ms);
	/** Counts document updates from here on, to prove a refused command wrote nothing. */
	const watch = () => {
		const seen = { updates: 0 };
		doc.on('update', () => seen.updates++);
		return seen;
	};
	const as = (userId: string) => boardCommands(doc, { userId, now });
	return { doc, cmd, snap, stageId, titles, advance, watch, as, now };
}

/** Catches the CommandError `fn` throws; anything else fails the test. */
function commandError(fn: () => unknown): CommandError {
	try {
		fn();
	} catch (err) {
		if (err instanceof CommandError) return err;
		throw err;
	}
	throw new Error('expected a CommandError');
}

/** Sends each document's full state to the other. */
function sync(a: Y.Doc, b: Y.Doc): void {
	const fromA = Y.encodeStateAsUpdate(a);
	const fromB = Y.encodeStateAsUpdate(b);
	Y.applyUpdate(b, fromA);
	Y.applyUpdate(a, fromB);
}

/** Whether a transaction wrote anything (opening a root Y.Array, or y-utility's bookkeeping, runs empty ones). */
const changedSomething = (tr: Y.Transaction) => tr.changed.size > 0 || tr.deleteSet.clients.size > 0;

describe('seedBoard', () => {
	it('creates the default workflow in order with its kinds', () => {
		const { snap, doc } = setup();
		const stages = snap().stages;
		expect(stages.map((s) => [s.name, s.kind])).toEqual([
			['Backlog', 'queue'],
			['To do', 'queue'],
			['In progress', 'active'],
			['Review', 'wait'],
			['Done', 'done']
		]);
		for (const s of stages) {
			expect(s.wipLimit).toBeNull();
			expect(s.wipMode).toBe('soft');
			expect(s.exitCriteria).toEqual([]);
		}
		expect(new Set(stages.map((s) => s.id)).size).toBe(5);
		expect(boardMaps(doc).meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
	});

	it('does nothing the second time', () => {
		const { doc, snap } = setup();
		const before = snap();
		seedBoard(doc);
		expect(snap()).toEqual(before);
		expect(snap().stages).toHaveLength(5);
	});

	it('writes with the seed origin', () => {
		const doc = new Y.Doc();
		const origins: unknown[] = [];
		doc.on('afterTransaction', (tr: Y.Transaction) => changedSomething(tr) && origins.push(tr.origin));
		seedBoard(doc);
		expect(origins).toEqual([SEED]);
	});
});

describe('cards: adding', () => {
	it('drops NUL characters from names, which the server refuses', () => {
		const { cmd, snap, stageId } = setup();
		const id = cmd.addCard(stageId('To do'), 'Launch\u0000 plan');
		cmd.setBlocked(id, 'Waiting\u0000');
		expect(snap().cards[id]?.title).toBe('Launch plan');
		expect(snap().cards[id]?.blocked?.reason).toBe('Waiting');
		expect(() => cmd.addCard(stageId('To do'), '\u0000')).toThrow(CommandError);
	});

	it('appends each new card at the bottom of its stage, stamped with who and when', () => {
		const { cmd, snap, stageId, titles, advance } = setup();
		const first = cmd.addCard(stageId('To do'), 'Write brief');
		advance(60_000);
		cmd.addCard(stageId('To do'), 'Book venue');
		cmd.addCard(stageId('To do'), 'Order flyers');
		expect(titles('To do')).toEqual(['Write brief', 'Book venue', 'Order flyers']);
		expect(titles('Backlog')).toEqual([]);
		const card = snap().cards[first]!;
		expect(card).toMatchObject({
			id: first,
			title: 'Write brief',
			stageId: stageId('To do'),
			movedAt: T0.toISOString(),
			archived: false,
			description: '',
			owners: [],
			checklist: [],
			blocked: null,
			due: null
		});
	});

	it('trims the title', () => {
		const { cmd, snap, stageId } = setup();
		const id = cmd.addCard(stageId('Backlog'), '   Launch post  ');
		expect(snap().cards[id]!.title).toBe('Launch post');
	});

	it('refuses empty, blank and too-long titles and writes nothing', () => {
		const { cmd, snap, stageId, watch } = setup();
		const before = snap();
		const seen = watch();
		expect(commandError(() => cmd.addCard(stageId('Backlog'), '')).message).toMatch(/cannot be empty/);
		expect(commandError(() => cmd.addCard(stageId('Backlog'), '   \n\t')).message).toMatch(/cannot be empty/);
		expect(commandError(() => cmd.addCard(stageId('Backlog'), 'x'.repeat(MAX_SHORT_TEXT + 1))).message).toMatch(/too long/);
		expect(snap()).toEqual(before);
		expect(seen.updates).toBe(0);
		cmd.addCard(stageId('Backlog'), 'x'.repeat(MAX_SHORT_TEXT));
		expect(Object.keys(snap().cards)).toHaveLength(1);
	});

	it('refuses a card for a stage that no longer exists', () => {
		const { cmd } = setup();
		expect(commandError(() => cmd.addCard('nope', 'Card')).message).toBe('That stage no longer exists.');
	});

	it('refuses adding to a stage at its hard WIP limit, and allows it with a soft limit', () => {
		const { cmd, snap, stageId, watch, titles } = setup();
		const doing = stageId('In progress');
		cmd.setWipLimit(doing, 2, 'hard');
		cmd.addCard(doing, 'One');
		cmd.addCard(doing, 'Two');
		const before = snap();
		const seen = watch();
		const err = commandError(() => cmd.addCard(doing, 'Three'));
		expect(err.message).toContain('In progress');
		expect(err.message).toContain('2 cards');
		expect(snap()).toEqual(before);
		expect(seen.updates).toBe(0);
		cmd.setWipLimit(doing, 2, 'soft');
		cmd.addCard(doing, 'Three');
		expect(titles('In progress')).toEqual(['One', 'Two', 'Three']);
	});

	it('does not count archived cards against the WIP limit', () => {
		const { cmd, stageId, titles } = setup();
		const doing = stageId('In progress');
		cmd.setWipLimit(doing, 1, 'hard');
		const one = cmd.addCard(doing, 'One');
		cmd.setArchived(one, true);
		cmd.addCard(doing, 'Two');
		expect(titles('In progress')).toEqual(['Two']);
	});
});

describe('cards: moving', () => {
	function board() {
		const b = setup();
		const todo = b.stageId('To do');
		const ids = ['A', 'B', 'C', 'D'].map((t) => b.cmd.addCard(todo, t));
		return { ...b, todo, ids: ids as [string, string, string, string] };
	}

	it('reorders within a stage to the exact index', () => {
		const { cmd, todo, ids, titles } = board();
		expect(cmd.moveCard(ids[0], todo, 2)).toBeNull();
		expect(titles('To do')).toEqual(['B', 'C', 'A', 'D']);
		cmd.moveCard(ids[3], todo, 0);
		expect(titles('To do')).toEqual(['D', 'B', 'C', 'A']);
		cmd.moveCard(ids[1], todo, 3);
		expect(titles('To do')).toEqual(['D', 'C', 'A', 'B']);
		cmd.moveCard(ids[2], todo, 1);
		expect(titles('To do')).toEqual(['D', 'C', 'A', 'B']);
	});

	it('keeps the time a card entered its stage when it is reordered within it', () => {
		const { todo, ids, snap, advance, as } = board();
		advance(3_600_000);
		as('u2').moveCard(ids[0], todo, 3);
		expect(snap().cards[ids[0]]).toMatchObject({ movedAt: T0.toISOString() });
	});

	it('moves across stages to the exact index and records when the card arrived', () => {
		const { cmd, ids, snap, stageId, titles, advance, as } = board();
		const review = stageId('Review');
		cmd.moveCard(ids[0], review, 0);
		cmd.moveCard(ids[1], review, 1);
		advance(3_600_000);
		expect(as('u2').moveCard(ids[2], review, 1)).toBeNull();
		expect(titles('Review')).toEqual(['A', 'C', 'B']);
		expect(titles('To do')).toEqual(['D']);
		cmd.moveCard(ids[3], review, 0);
		expect(titles('Review')).toEqual(['D', 'A', 'C', 'B']);
		expect(titles('To do')).toEqual([]);
		const moved = snap().cards[ids[2]]!;
		expect(moved).toMatchObject({ stageId: review, movedAt: new Date(T0.getTime() + 3_600_000).toISOString() });
	});

	it('moves to the end when the index is past the last card', () => {
		const { cmd, ids, stageId, titles } = board();
		const review = stageId('Review');
		cmd.moveCard(ids[0], review, 0);
		cmd.moveCard(ids[1], review, 99);
		expect(titles('Review')).toEqual(['A', 'B']);
	});

	it('refuses a move into a full hard-WIP stage and changes nothing', () => {
		const { cmd, ids, snap, stageId, watch } = board();
		const doing = stageId('In progress');
		cmd.setWipLimit(doing, 1, 'hard');
		expect(cmd.moveCard(ids[0], doing, 0)).toBeNull();
		const before = snap();
		const seen = watch();
		const refusal = cmd.moveCard(ids[1], doing, 0);
		expect(refusal).toMatchObject({ code: 'wip_limit', limit: 1 });
		expect(refusal!.message).toContain('In progress');
		expect(snap()).toEqual(before);
		expect(seen.updates).toBe(0);
	});

	it('lets a card already in a full hard-WIP stage be reordered there', () => {
		const { cmd, ids, stageId, titles } = board();
		const doing = stageId('In progress');
		cmd.moveCard(ids[0], doing, 0);
		cmd.moveCard(ids[1], doing, 1);
		cmd.setWipLimit(doing, 2, 'hard');
		expect(cmd.moveCard(ids[1], doing, 0)).toBeNull();
		expect(titles('In progress')).toEqual(['B', 'A']);
	});

	it('refuses leaving a stage forward with unmet exit criteria, then allows it once they are checked', () => {
		const { cmd, ids, snap, stageId, todo, watch, titles } = board();
		const c1 = cmd.addExitCriterion(todo, 'Brief agreed');
		const c2 = cmd.addExitCriterion(todo, 'Budget approved');
		cmd.setExitCheck(ids[0], todo, c2, true);
		const before = snap();
		const seen = watch();
		const refusal = cmd.moveCard(ids[0], stageId('In progress'), 0);
		expect(refusal?.code).toBe('exit_criteria');
		expect(refusal?.code === 'exit_criteria' && refusal.missing).toEqual([{ id: c1, text: 'Brief agreed' }]);
		expect(refusal!.message).toContain('To do');
		expect(refusal!.message).toContain('Brief agreed');
		expect(refusal!.message).not.toContain('Budget approved');
		expect(snap()).toEqual(before);
		expect(seen.updates).toBe(0);

		cmd.setExitCheck(ids[0], todo, c1, true);
		expect(cmd.moveCard(ids[0], stageId('In progress'), 0)).toBeNull();
		expect(titles('In progress')).toEqual(['A']);
	});

	it('records who checked an exit criterion, and unchecking it blocks the move again', () => {
		const { cmd, ids, snap, stageId, todo, advance, as } = board();
		const c1 = cmd.addExitCriterion(todo, 'Brief agreed');
		advance(1000);
		as('u3').setExitCheck(ids[0], todo, c1, true);
		expect(snap().cards[ids[0]]!.exitChecks).toEqual({ [`${todo}:${c1}`]: { by: 'u3', at: new Date(T0.getTime() + 1000).toISOString() } });
		cmd.setExitCheck(ids[0], todo, c1, false);
		expect(snap().cards[ids[0]]!.exitChecks).toEqual({});
		expect(cmd.moveCard(ids[0], stageId('Review'), 0)?.code).toBe('exit_criteria');
	});

	it('allows moving backward out of a stage with unmet exit criteria', () => {
		const { cmd, ids, stageId, titles } = board();
		const review = stageId('Review');
		cmd.moveCard(ids[0], review, 0);
		cmd.addExitCriterion(review, 'Legal sign-off');
		expect(cmd.moveCard(ids[0], stageId('Backlog'), 0)).toBeNull();
		expect(titles('Backlog')).toEqual(['A']);
	});

	it('refuses moving to a stage that does not exist, and moving a card that does not exist', () => {
		const { cmd, ids, todo, snap } = board();
		const before = snap();
		expect(cmd.moveCard(ids[0], 'gone', 0)?.code).toBe('no_stage');
		expect(commandError(() => cmd.moveCard('ghost', todo, 0)).message).toBe('That card no longer exists.');
		expect(snap()).toEqual(before);
	});

	it('places a card between tied cards after the tie and before the next card', () => {
		const a = setup();
		const todo = a.stageId('To do');
		const first = a.cmd.addCard(todo, 'First');
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
		// Both clients add at the bottom at the same time: the two cards get the same rank.
		a.cmd.addCard(todo, 'From A');
		boardCommands(b, { userId: 'u2', now: a.now }).addCard(todo, 'From B');
		sync(a.doc, b);
		const last = a.cmd.addCard(todo, 'Last');
		const tied = a.snap().cardsByStage[todo]!.slice(1, 3);
		expect(tied[0]!.rank).toBe(tied[1]!.rank);
		expect(tied.map((c) => c.id)).toEqual([...tied.map((c) => c.id)].sort());

		a.cmd.moveCard(first, todo, 2);
		const order = a.snap().cardsByStage[todo]!;
		expect(order.map((c) => c.title)).toEqual([tied[0]!.title, tied[1]!.title, 'First', 'Last']);
		expect(order[2]!.rank > tied[0]!.rank).toBe(true);
		expect(order[2]!.rank < a.snap().cards[last]!.rank).toBe(true);
	});
});

describe('cards: title and description', () => {
	it('renames a card, refusing empty or too-long titles', () => {
		const { cmd, snap, stageId, watch } = setup();
		const id = cmd.addCard(stageId('Backlog'), 'Old');
		cmd.setTitle(id, '  New title ');
		expect(snap().cards[id]!.title).toBe('New title');
		const seen = watch();
		expect(() => cmd.setTitle(id, ' ')).toThrow(CommandError);
		expect(() => cmd.setTitle(id, 'y'.repeat(MAX_SHORT_TEXT + 1))).toThrow(CommandError);
		expect(snap().cards[id]!.title).toBe('New title');
		expect(seen.updates).toBe(0);
	});

	it('sets and replaces the description', () => {
		const { cmd, snap, stageId } = setup();
		const id = cmd.addCard(stageId('Backlog'), 'Card');
		cmd.setDescription(id, 'Hello world');
		expect(snap().cards[id]!.description).toBe('Hello world');
		cmd.setDescription(id, 'Hello brave new world');
		expect(snap().cards[id]!.description).toBe('Hello brave new world');
		cmd.setDescription(id, 'world');
		expect(snap().cards[id]!.description).toBe('world');
		cmd.setDescription(id, '');
		expect(snap().cards[id]!.description).toBe('');
		cmd.setDescription(id, 'aaa');
		cmd.setDescription(id, 'aaaa');
		expect(snap().cards[id]!.description).toBe('aaaa');
	});

	it('refuses a description over the limit', () => {
		const { cmd, snap, stageId } = setup();
		const id = cmd.addCard(stageId('Backlog'), 'Card');
		cmd.setDescription(id, 'keep');
		expect(() => cmd.setDescription(id, 'x'.repeat(MAX_DESCRIPTION + 1))).toThrow(CommandError);
		expect(snap().cards[id]!.description).toBe('keep');
	});

	it('keeps concurrent edits at the start and at the end of a description', () => {
		const a = setup();
		const id = a.cmd.addCard(a.stageId('Backlog'), 'Card');
		a.cmd.setDescription(id, 'Launch the spring campaign.');
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
		const bCmd = boardCommands(b, { userId: 'u2', now: a.now });

		a.cmd.setDescription(id, 'URGENT: Launch the spring campaign.');
		bCmd.setDescription(id, 'Launch the spring campaign. Owner: Kim.');
		sync(a.doc, b);

		const merged = 'URGENT: Launch the spring campaign. Owner: Kim.';
		expect(a.snap().cards[id]!.description).toBe(merged);
		expect(readSnapshot(b).cards[id]!.description).toBe(merged);
	});

	it('keeps a concurrent edit in the middle when the other side rewrites a different word', () => {
		const a = setup();
		const id = a.cmd.addCard(a.stageId('Backlog'), 'Card');
		a.cmd.setDescription(id, 'one two three');
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
		a.cmd.setDescription(id, 'ONE two three');
		boardCommands(b, { userId: 'u2', now: a.now }).setDescription(id, 'one two THREE');
		sync(a.doc, b);
		expect(a.snap().cards[id]!.description).toBe('ONE two THREE');
	});
});

describe('cards: owners, due date, labels, blockers', () => {
	it('adds owners once each and removes them', () => {
		const { cmd, snap, stageId, doc } = setup();
		const id = cmd.addCard(stageId('Backlog'), 'Card');
		cmd.addOwner(id, 'kim');
		cmd.addOwner(id, 'lee');
		cmd.addOwner(id, 'kim');
		expect(snap().cards[id]!.owners).toEqual(['kim', 'lee']);
		expect([...boardMaps(doc).owners.values()].sort()).toEqual(['kim', 'lee']);
		cmd.removeOwner(id, 'kim');
		expect(snap().cards[id]!.owners).toEqual(['lee']);
		cmd.removeOwner(id, 'nobody');
		expect(snap().cards[id]!.owners).toEqual(['lee']);
	});

	it('removing an owner on a card that never had any does nothing', () => {
		const { cmd, snap, stageId } = setup();
		const id = cmd.addCard(stageId('Backlog'), 'Card');
		cmd.removeOwner(id, 'kim');
		expect(snap().cards[id]!.owners).toEqual([]);
	});

	it('shows an owner added concurrently by two people once, and removes both copies', () => {
		const a = setup();
		const id = a.cmd.addCard(a.stageId('Backlog'), 'Card');
		a.cmd.addOwner(id, 'lee');
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
		a.cmd.addOwner(id, 'kim');
		boardCommands(b, { userId: 'u2', now: a.now }).addOwner(id, 'kim');
		sync(a.doc, b);
		expect(a.snap().cards[id]!.owners.sort()).toEqual(['kim', 'lee']);
		a.cmd.removeOwner(id, 'kim');
		expect(a.snap().cards[id]!.owners).toEqual(['lee']);
	});

	it('sets and clears the due date, refusing other formats', () => {
		const { cmd, snap, stageId } = setup();
		const id = cmd.addCard(stageId('Backlog'), 'Card');
		cmd.setDue(id, '2026-12-31');
		expect(snap().cards[id]!.due).toBe('2026-12-31');
		expect(() => cmd.setDue(id, '31/12/2026')).toThrow(CommandError);
		expect(snap().cards[id]!.due).toBe('2026-12-31');
		cmd.setDue(id, null);
		expect(snap().cards[id]!.due).toBeNull();
	});

	it('replaces labels with trimmed names and refuses an empty name', () => {
		const { cmd, snap, stageId } = setup();
		const id = cmd.addCard(stageId('Backlog'), 'Card');
		cmd.setLabels(id, [{ name: ' Social ', color: 'sky' }]);
		expect(snap().cards[id]!.labels).toEqual([{ name: 'Social', color: 'sky' }]);
		expect(() => cmd.setLabels(id, [{ name: '', color: 'red' }])).toThrow(CommandError);
		expect(snap().cards[id]!.labels).toEqual([{ name: 'Social', color: 'sky' }]);
	});

	it('blocks a card with a reason, who and when, and unblocks it', () => {
		const { cmd, snap, stageId, advance } = setup();
		const id = cmd.addCard(stageId('Backlog'), 'Card');
		advance(5000);
		cmd.setBlocked(id, '  Waiting for legal ');
		expect(snap().cards[id]!.blocked).toEqual({ reason: 'Waiting for legal', by: 'u1', at: new Date(T0.getTime() + 5000).toISOString() });
		expect(() => cmd.setBlocked(id, '  ')).toThrow(CommandError);
		expect(snap().cards[id]!.blocked?.reason).toBe('Waiting for legal');
		cmd.setBlocked(id, null);
		expect(snap().cards[id]!.blocked).toBeNull();
	});
});

describe('cards: checklist', () => {
	it('adds, ticks, renames, reorders and deletes items', () => {
		const { cmd, snap, stageId } = setup();
		const id = cmd.addCard(stageId('Backlog'), 'Card');
		const texts = () => snap().cards[id]!.checklist.map((i) => i.text);
		const one = cmd.addChecklistItem(id, ' Draft ');
		const two = cmd.addChecklistItem(id, 'Proofread');
		const three = cmd.addChecklistItem(id, 'Publish');
		expect(texts()).toEqual(['Draft', 'Proofread', 'Publish']);
		expect(snap().cards[id]!.checklist.every((i) => !i.done)).toBe(true);

		cmd.setChecklistDone(id, two, true);
		expect(snap().cards[id]!.checklist.map((i) => i.done)).toEqual([false, true, false]);
		cmd.setChecklistDone(id, two, false);
		expect(snap().cards[id]!.checklist.map((i) => i.done)).toEqual([false, false, false]);

		cmd.renameChecklistItem(id, one, 'Write draft');
		expect(texts()).toEqual(['Write draft', 'Proofread', 'Publish']);
		expect(() => cmd.renameChecklistItem(id, one, '')).toThrow(CommandError);
		expect(texts()).toEqual(['Write draft', 'Proofread', 'Publish']);

		cmd.moveChecklistItem(id, three, 0);
		expect(texts()).toEqual(['Publish', 'Write draft', 'Proofread']);
		cmd.moveChecklistItem(id, three, 2);
		expect(texts()).toEqual(['Write draft', 'Proofread', 'Publish']);
		cmd.moveChecklistItem(id, one, 1);
		expect(texts()).toEqual(['Proofread', 'Write draft', 'Publish']);

		cmd.deleteChecklistItem(id, one);
		expect(texts()).toEqual(['Proofread', 'Publish']);
		const four = cmd.addChecklistItem(id, 'Share');
		expect(texts()).toEqual(['Proofread', 'Publish', 'Share']);
		expect(snap().cards[id]!.checklist.map((i) => i.id)).toEqual([two, three, four]);
	});

	it('refuses to change an item that does not exist', () => {
		const { cmd, stageId } = setup();
		const id = cmd.addCard(stageId('Backlog'), 'Card');
		expect(commandError(() => cmd.setChecklistDone(id, 'nope', true)).message).toBe('That checklist item no longer exists.');
		cmd.addChecklistItem(id, 'Real');
		expect(() => cmd.renameChecklistItem(id, 'nope', 'x')).toThrow(CommandError);
		expect(() => cmd.moveChecklistItem(id, 'nope', 0)).toThrow(CommandError);
	});

	it('refuses moving an item of a card whose checklist is gone (stale screen after undo) with a user message', () => {
		const { cmd, doc, snap, stageId } = setup();
		const id = cmd.addCard(stageId('Backlog'), 'Card');
		const undo = new Y.UndoManager([boardMaps(doc).cards, boardMaps(doc).places, boardMaps(doc).checklists], { trackedOrigins: new Set([LOCAL]) });
		const item = cmd.addChecklistItem(id, 'First item');
		undo.undo();
		expect(snap().cards[id]!.checklist).toEqual([]);
		expect(commandError(() => cmd.moveChecklistItem(id, item, 0)).message).toBe('That checklist item no longer exists.');
	});
});

describe('cards: archiving', () => {
	it('hides an archived card from its stage, lists it as archived, and restores it in place', () => {
		const { cmd, snap, stageId, titles } = setup();
		const todo = stageId('To do');
		const a = cmd.addCard(todo, 'A');
		cmd.addCard(todo, 'B');
		cmd.setArchived(a, true);
		expect(titles('To do')).toEqual(['B']);
		expect(snap().archived.map((c) => c.title)).toEqual(['A']);
		expect(snap().cards[a]!.archived).toBe(true);

		cmd.setArchived(a, false);
		expect(titles('To do')).toEqual(['A', 'B']);
		expect(snap().archived).toEqual([]);
		expect(snap().cards[a]!.stageId).toBe(todo);
	});

	it('lists archived cards most recently moved first', () => {
		const { cmd, snap, stageId, advance } = setup();
		const a = cmd.addCard(stageId('Backlog'), 'A');
		const b = cmd.addCard(stageId('Backlog'), 'B');
		advance(1000);
		cmd.moveCard(a, stageId('Done'), 0);
		cmd.setArchived(a, true);
		cmd.setArchived(b, true);
		expect(snap().archived.map((c) => c.title)).toEqual(['A', 'B']);
	});
});

describe('stages', () => {
	it('adds a stage at the end of the workflow', () => {
		const { cmd, snap } = setup();
		const id = cmd.addStage('  Published ', 'done');
		const stages = snap().stages;
		expect(stages.at(-1)).toMatchObject({ id, name: 'Published', kind: 'done', wipLimit: null, wipMode: 'soft', exitCriteria: [] });
		expect(snap().cardsByStage[id]).toEqual([]);
		expect(cmd.addStage('Parking') && snap().stages.at(-1)!.kind).toBe('active');
	});

	it('refuses empty or over-long stage names', () => {
		const { cmd, snap, stageId } = setup();
		expect(() => cmd.addStage(' ')).toThrow(CommandError);
		expect(() => cmd.addStage('x'.repeat(61))).toThrow(CommandError);
		expect(() => cmd.renameStage(stageId('Review'), '')).toThrow(CommandError);
		expect(snap().stages.map((s) => s.name)).toEqual(['Backlog', 'To do', 'In progress', 'Review', 'Done']);
	});

	it('renames a stage', () => {
		const { cmd, snap, stageId } = setup();
		const review = stageId('Review');
		cmd.renameStage(review, 'Approval');
		expect(snap().stages.find((s) => s.id === review)!.name).toBe('Approval');
	});

	it('changing a stage to done clears its WIP limit', () => {
		const { cmd, snap, stageId } = setup();
		const review = stageId('Review');
		cmd.setWipLimit(review, 3, 'hard');
		expect(snap().stages.find((s) => s.id === review)).toMatchObject({ wipLimit: 3, wipMode: 'hard' });
		cmd.setStageKind(review, 'done');
		expect(snap().stages.find((s) => s.id === review)).toMatchObject({ kind: 'done', wipLimit: null });
	});

	it('changing a stage to another kind keeps its WIP limit', () => {
		const { cmd, snap, stageId } = setup();
		const review = stageId('Review');
		cmd.setWipLimit(review, 3, 'soft');
		cmd.setStageKind(review, 'active');
		expect(snap().stages.find((s) => s.id === review)).toMatchObject({ kind: 'active', wipLimit: 3 });
	});

	it('accepts WIP limits from 1 to 999 or none, and refuses anything else', () => {
		const { cmd, snap, stageId, watch } = setup();
		const doing = stageId('In progress');
		const limitOf = () => snap().stages.find((s) => s.id === doing)!;
		cmd.setWipLimit(doing, 1, 'hard');
		expect(limitOf()).toMatchObject({ wipLimit: 1, wipMode: 'hard' });
		cmd.setWipLimit(doing, 999, 'soft');
		expect(limitOf()).toMatchObject({ wipLimit: 999, wipMode: 'soft' });
		const seen = watch();
		for (const bad of [0, -1, 1000, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
			expect(commandError(() => cmd.setWipLimit(doing, bad, 'hard')).message).toMatch(/1 to 999/);
		}
		expect(limitOf()).toMatchObject({ wipLimit: 999, wipMode: 'soft' });
		expect(seen.updates).toBe(0);
		cmd.setWipLimit(doing, null, 'soft');
		expect(limitOf().wipLimit).toBeNull();
	});

	it('refuses a WIP limit on a done stage and changes nothing', () => {
		const { cmd, snap, stageId, watch } = setup();
		const done = stageId('Done');
		const seen = watch();
		expect(commandError(() => cmd.setWipLimit(done, 5, 'hard')).message).toBe('Done stages have no WIP limit.');
		expect(snap().stages.find((s) => s.id === done)).toMatchObject({ wipLimit: null, wipMode: 'soft' });
		expect(seen.updates).toBe(0);
	});

	it('reorders stages', () => {
		const { cmd, snap, stageId } = setup();
		const names = () => snap().stages.map((s) => s.name);
		cmd.moveStage(stageId('Done'), 0);
		expect(names()).toEqual(['Done', 'Backlog', 'To do', 'In progress', 'Review']);
		cmd.moveStage(stageId('Done'), 4);
		expect(names()).toEqual(['Backlog', 'To do', 'In progress', 'Review', 'Done']);
		cmd.moveStage(stageId('Backlog'), 2);
		expect(names()).toEqual(['To do', 'In progress', 'Backlog', 'Review', 'Done']);
		cmd.moveStage(stageId('Review'), 1);
		expect(names()).toEqual(['To do', 'Review', 'In progress', 'Backlog', 'Done']);
	});

	it('uses the new stage order for exit criteria after a reorder', () => {
		const { cmd, stageId } = setup();
		const todo = stageId('To do');
		const card = cmd.addCard(todo, 'Card');
		cmd.addExitCriterion(todo, 'Brief agreed');
		expect(cmd.moveCard(card, stageId('Backlog'), 0)).toBeNull();
		cmd.moveCard(card, todo, 0);
		// Backlog now comes after To do, so moving there is forward and needs the criterion.
		cmd.moveStage(stageId('Backlog'), 4);
		expect(cmd.moveCard(card, stageId('Backlog'), 0)?.code).toBe('exit_criteria');
	});

	it('deletes an empty stage', () => {
		const { cmd, snap, stageId } = setup();
		const review = stageId('Review');
		cmd.deleteStage(review, null);
		expect(snap().stages.map((s) => s.name)).toEqual(['Backlog', 'To do', 'In progress', 'Done']);
		expect(snap().cardsByStage[review]).toBeUndefined();
	});

	it('refuses deleting a stage with cards (even only archived ones) without a destination', () => {
		const { cmd, snap, stageId, watch } = setup();
		const review = stageId('Review');
		const id = cmd.addCard(review, 'Card');
		cmd.setArchived(id, true);
		const before = snap();
		const seen = watch();
		expect(commandError(() => cmd.deleteStage(review, null)).message).toMatch(/Choose where they should go/);
		expect(() => cmd.deleteStage(review, review)).toThrow(CommandError);
		expect(() => cmd.deleteStage(review, 'gone')).toThrow(CommandError);
		expect(snap()).toEqual(before);
		expect(seen.updates).toBe(0);
	});

	it('moves the cards of a deleted stage, archived ones too, to the bottom of the destination in order', () => {
		const { cmd, snap, stageId, titles } = setup();
		const review = stageId('Review');
		const done = stageId('Done');
		cmd.addCard(done, 'Done 1');
		cmd.addCard(review, 'R1');
		const r2 = cmd.addCard(review, 'R2');
		cmd.addCard(review, 'R3');
		cmd.setArchived(r2, true);
		cmd.deleteStage(review, done);
		expect(snap().stages.map((s) => s.name)).toEqual(['Backlog', 'To do', 'In progress', 'Done']);
		expect(titles('Done')).toEqual(['Done 1', 'R1', 'R3']);
		expect(snap().cards[r2]).toMatchObject({ stageId: done, archived: true });
		cmd.setArchived(r2, false);
		expect(titles('Done')).toEqual(['Done 1', 'R1', 'R2', 'R3']);
	});

	it('refuses deleting the last stage', () => {
		const { cmd, snap } = setup();
		const ids = snap().stages.map((s) => s.id);
		for (const id of ids.slice(1)) cmd.deleteStage(id, null);
		expect(commandError(() => cmd.deleteStage(ids[0]!, null)).message).toBe('A board needs at least one stage.');
		expect(snap().stages.map((s) => s.name)).toEqual(['Backlog']);
	});

	it('adds and removes exit criteria in order, refusing empty ones', () => {
		const { cmd, snap, stageId } = setup();
		const todo = stageId('To do');
		const criteria = () => snap().stages.find((s) => s.id === todo)!.exitCriteria;
		const c1 = cmd.addExitCriterion(todo, ' Brief agreed ');
		const c2 = cmd.addExitCriterion(todo, 'Budget approved');
		const c3 = cmd.addExitCriterion(todo, 'Owner assigned');
		expect(criteria()).toEqual([
			{ id: c1, text: 'Brief agreed' },
			{ id: c2, text: 'Budget approved' },
			{ id: c3, text: 'Owner assigned' }
		]);
		expect(() => cmd.addExitCriterion(todo, '')).toThrow(CommandError);
		cmd.removeExitCriterion(todo, c2);
		expect(criteria().map((c) => c.id)).toEqual([c1, c3]);
		cmd.removeExitCriterion(todo, 'nope');
		cmd.removeExitCriterion(stageId('Review'), c1);
		expect(criteria().map((c) => c.id)).toEqual([c1, c3]);
	});

	it('a removed criterion no longer blocks moves', () => {
		const { cmd, stageId } = setup();
		const todo = stageId('To do');
		const card = cmd.addCard(todo, 'Card');
		const c1 = cmd.addExitCriterion(todo, 'Brief agreed');
		expect(cmd.moveCard(card, stageId('Review'), 0)?.code).toBe('exit_criteria');
		cmd.removeExitCriterion(todo, c1);
		expect(cmd.moveCard(card, stageId('Review'), 0)).toBeNull();
	});
});

describe('transactions', () => {
	it('runs each command as one transaction with the local origin by default', () => {
		const { doc, cmd, stageId } = setup();
		const origins: unknown[] = [];
		doc.on('afterTransaction', (tr: Y.Transaction) => changedSomething(tr) && origins.push(tr.origin));
		const id = cmd.addCard(stageId('To do'), 'Card');
		cmd.moveCard(id, stageId('In progress'), 0);
		expect(origins).toEqual([LOCAL, LOCAL]);
		expect(originKind(origins[0])).toBe('local');
	});

	it('writes a cross-stage move as a single update', () => {
		const { doc, cmd, stageId } = setup();
		const id = cmd.addCard(stageId('To do'), 'Card');
		const seen = { updates: 0 };
		doc.on('update', () => seen.updates++);
		cmd.moveCard(id, stageId('In progress'), 0);
		expect(seen.updates).toBe(1);
	});
});

describe('seeding with a board id', () => {
	it('two servers seeding the same board independently merge into one workflow', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		seedBoard(a, 'board-123');
		seedBoard(b, 'board-123');
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(boardMaps(a).stages.size).toBe(5);
		expect(Y.encodeStateAsUpdate(a)).toEqual(Y.encodeStateAsUpdate(b));
		const other = new Y.Doc();
		seedBoard(other, 'board-456');
		expect([...boardMaps(other).stages.keys()].sort()).not.toEqual([...boardMaps(a).stages.keys()].sort());
	});
});
