import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { LOAD, LOCAL, POLICY } from '../../src/lib/board/doc/origins.ts';
import { boardMaps, mapAt, seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { isRecordedActivity, recordHistory, type NewCardEvent, type RecordedChange, type StageRecord } from '../../server/history/recorder.ts';

/** Card events only (the audit entries the recorder hands over with them are tested in activity-recorder.test.ts). */
const cardEvents = (into: NewCardEvent[]) => (changes: RecordedChange[]) => into.push(...changes.filter((c): c is NewCardEvent => !isRecordedActivity(c)));

function setup() {
	const doc = new Y.Doc();
	seedBoard(doc);
	const events: NewCardEvent[] = [];
	const stages: StageRecord[] = [];
	const stop = recordHistory(doc, { events: cardEvents(events), stages: (s) => stages.push(...s) }, (origin) => (origin === LOCAL ? 'ann' : null), () => new Date('2026-05-01T10:00:00Z'));
	const cmd = boardCommands(doc, { userId: 'ann', now: () => new Date() }, LOCAL);
	const stageId = (name: string) => readSnapshot(doc).stages.find((s) => s.name === name)!.id;
	const settle = () => new Promise((r) => setTimeout(r, 0));
	return { doc, events, stages, stop, cmd, stageId, settle };
}

const kinds = (events: NewCardEvent[]) => events.map((e) => e.type);

describe('history recorder', () => {
	it('a move whose new place arrives after its old place went (it waited for a change the server lost) is still a move', async () => {
		const { doc, events, cmd, stageId, settle } = setup();
		const hot = cmd.addCard(stageId('Backlog'), 'Hot');
		const other = cmd.addCard(stageId('Backlog'), 'Other');
		await settle();
		events.length = 0;
		// A client in step with the server makes two moves; the server loses the first (it crashed before storing it).
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
		const clientCmd = boardCommands(client, { userId: 'ann', now: () => new Date() }, LOCAL);
		const before = Y.encodeStateVector(client);
		clientCmd.moveCard(other, stageId('Review'), 0);
		const lost = Y.encodeStateAsUpdate(client, before);
		const middle = Y.encodeStateVector(client);
		// The hot card's new place is appended after the other's: it cannot be placed before that arrives.
		clientCmd.moveCard(hot, stageId('In progress'), 0);
		const second = Y.encodeStateAsUpdate(client, middle);
		// The second move first: its deletion of the old place applies now, its new place waits.
		Y.applyUpdate(doc, second, LOCAL);
		await settle();
		Y.applyUpdate(doc, lost, LOCAL);
		await settle();
		expect(readSnapshot(doc).cards[hot]!.stageId).toBe(stageId('In progress'));
		expect(events.filter((e) => e.type === 'moved').map((e) => [e.cardId, e.fromStageId, e.toStageId])).toEqual(
			expect.arrayContaining([
				[hot, stageId('Backlog'), stageId('In progress')],
				[other, stageId('Backlog'), stageId('Review')]
			])
		);
		// The card was never deleted: no deletion in its history.
		expect(events.filter((e) => e.cardId === hot).map((e) => e.type)).toEqual(['moved']);
	});

	it('records creation and forward/backward moves with actor, stages, direction and checklist state', async () => {
		const { events, cmd, stageId, settle } = setup();
		const card = cmd.addCard(stageId('Backlog'), 'Post');
		cmd.addChecklistItem(card, 'Proofread');
		cmd.moveCard(card, stageId('In progress'), 0);
		cmd.moveCard(card, stageId('To do'), 0);
		await settle();
		expect(kinds(events)).toEqual(['created', 'moved', 'moved']);
		expect(events[0]).toMatchObject({ cardId: card, actorId: 'ann', toStageId: stageId('Backlog'), data: { title: 'Post' } });
		expect(events[1]).toMatchObject({ fromStageId: stageId('Backlog'), toStageId: stageId('In progress'), data: { direction: 'forward', checklist: { done: 0, total: 1 } } });
		expect(events[2]!.data.direction).toBe('backward');
		expect(events[1]!.at.toISOString()).toBe('2026-05-01T10:00:00.000Z');
	});

	it('records blocked/unblocked, owners, due dates, exit checks, checklist completion, archive and restore', async () => {
		const { events, cmd, stageId, settle } = setup();
		const card = cmd.addCard(stageId('Review'), 'Post');
		const item = cmd.addChecklistItem(card, 'Proofread');
		const criterion = cmd.addExitCriterion(stageId('Review'), 'Legal approved');
		cmd.setBlocked(card, 'Waiting for legal');
		cmd.setBlocked(card, null);
		cmd.addOwner(card, 'bob');
		cmd.removeOwner(card, 'bob');
		cmd.setDue(card, '2026-06-01');
		cmd.setExitCheck(card, stageId('Review'), criterion, true);
		cmd.setChecklistDone(card, item, true);
		cmd.setArchived(card, true);
		cmd.setArchived(card, false);
		await settle();
		expect(kinds(events)).toEqual(['created', 'blocked', 'unblocked', 'owner_added', 'owner_removed', 'due_changed', 'exit_checked', 'checklist_completed', 'archived', 'restored']);
		expect(events.find((e) => e.type === 'blocked')!.data).toEqual({ reason: 'Waiting for legal' });
		expect(events.find((e) => e.type === 'exit_checked')).toMatchObject({ toStageId: stageId('Review'), data: { criterionId: criterion } });
	});

	it('a soft WIP breach names who pushed the stage over and by how much', async () => {
		const { events, cmd, stageId, settle } = setup();
		cmd.setWipLimit(stageId('In progress'), 1, 'soft');
		cmd.addCard(stageId('In progress'), 'One');
		const two = cmd.addCard(stageId('Backlog'), 'Two');
		cmd.moveCard(two, stageId('In progress'), 1);
		await settle();
		const breach = events.find((e) => e.type === 'wip_breach')!;
		expect(breach).toMatchObject({ cardId: two, actorId: 'ann', toStageId: stageId('In progress'), data: { limit: 1, count: 2, over: 1 } });
	});

	it('drops a move the policy net reverts, and ignores replayed state', async () => {
		const { doc, events, cmd, stageId, settle } = setup();
		const card = cmd.addCard(stageId('Backlog'), 'Post');
		await settle();
		events.length = 0;
		const map = mapAt(boardMaps(doc).cards, card)!;
		doc.transact(() => map.set('stageId', stageId('Done')), LOCAL);
		doc.transact(() => map.set('stageId', stageId('Backlog')), POLICY);
		await settle();
		expect(events).toEqual([]);
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		const replayed: NewCardEvent[] = [];
		recordHistory(other, { events: (e) => replayed.push(...(e as NewCardEvent[])), stages: () => {} }, () => null, () => new Date());
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc), LOAD);
		const fresh = new Y.Doc();
		recordHistory(fresh, { events: (e) => replayed.push(...(e as NewCardEvent[])), stages: () => {} }, () => null, () => new Date());
		Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc), LOAD);
		await settle();
		expect(replayed).toEqual([]);
	});

	it('keeps stage names and kinds, including deleted stages', async () => {
		const { stages, cmd, stageId, settle } = setup();
		cmd.renameStage(stageId('Review'), 'Legal review');
		cmd.setStageKind(stageId('Legal review'), 'active');
		const id = stageId('Legal review');
		cmd.deleteStage(id, null);
		await settle();
		const last = stages.filter((s) => s.stageId === id).at(-1)!;
		expect(last).toMatchObject({ name: 'Legal review', kind: 'active', deleted: true });
	});
});
