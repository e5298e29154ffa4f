import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { LOAD, LOCAL, POLICY, SEED } from '../../src/lib/board/doc/origins.ts';
import { boardMaps, seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { isRecordedActivity, recordHistory, type RecordedChange } from '../../server/history/recorder.ts';
import { boardChangeSchema, type ActivityChange } from '../../src/lib/board/changes.ts';

function setup() {
	const doc = new Y.Doc();
	seedBoard(doc);
	const all: RecordedChange[] = [];
	recordHistory(doc, { events: (e) => all.push(...e), stages: () => {} }, (origin) => (origin === LOCAL ? 'ann' : null), () => new Date('2026-05-01T10:00:00Z'));
	const cmd = boardCommands(doc, { userId: 'ann', now: () => new Date() }, LOCAL);
	const stageId = (name: string) => readSnapshot(doc).stages.find((s) => s.name === name)!.id;
	const settle = () => new Promise((r) => setTimeout(r, 0));
	/** The audit entries recorded so far (and forgets them). */
	const take = async (): Promise<ActivityChange[]> => {
		await settle();
		const out = all.filter(isRecordedActivity);
		all.length = 0;
		// Every entry is a valid BoardChange: what the engine sends and the writer stores.
		for (const e of out) expect(boardChangeSchema.safeParse(e).success, JSON.stringify(e)).toBe(true);
		return out;
	};
	return { doc, all, cmd, stageId, take };
}

const brief = (entries: ActivityChange[]) => entries.map((e) => ({ type: e.type, data: e.data }));

describe('audit entries from the document', () => {
	it('stage added, renamed, moved, kind, WIP limit and mode, exit criteria, deleted: with the old values', async () => {
		const { cmd, take } = setup();
		const id = cmd.addStage('QA', 'active');
		expect(await take()).toMatchObject([{ type: 'stage_added', stageId: id, actorId: 'ann', cardId: null, data: { name: 'QA', kind: 'active' } }]);
		cmd.renameStage(id, 'Quality');
		cmd.moveStage(id, 0);
		cmd.setStageKind(id, 'wait');
		cmd.setWipLimit(id, 3, 'soft');
		cmd.setWipLimit(id, 3, 'hard');
		cmd.setWipLimit(id, null, 'hard');
		const criterion = cmd.addExitCriterion(id, 'Tested on mobile');
		cmd.removeExitCriterion(id, criterion);
		expect(brief(await take())).toEqual([
			{ type: 'stage_renamed', data: { from: 'QA', to: 'Quality' } },
			{ type: 'stage_moved', data: { name: 'Quality', from: 6, to: 1 } },
			{ type: 'stage_kind_changed', data: { name: 'Quality', from: 'active', to: 'wait' } },
			{ type: 'stage_wip_changed', data: { name: 'Quality', limit: 3, previous: null, mode: 'soft', previousMode: 'soft' } },
			{ type: 'stage_wip_changed', data: { name: 'Quality', limit: 3, previous: 3, mode: 'hard', previousMode: 'soft' } },
			{ type: 'stage_wip_changed', data: { name: 'Quality', limit: null, previous: 3, mode: 'hard', previousMode: 'hard' } },
			{ type: 'exit_criterion_added', data: { name: 'Quality', criterionId: criterion, text: 'Tested on mobile' } },
			{ type: 'exit_criterion_removed', data: { name: 'Quality', criterionId: criterion, text: 'Tested on mobile' } }
		]);
		cmd.deleteStage(id, null);
		expect(await take()).toMatchObject([{ type: 'stage_deleted', stageId: id, data: { name: 'Quality' } }]);
	});

	it('a done stage loses its WIP limit with its kind: both are recorded', async () => {
		const { cmd, stageId, take } = setup();
		cmd.setWipLimit(stageId('Review'), 4, 'soft');
		await take();
		cmd.setStageKind(stageId('Review'), 'done');
		expect(brief(await take())).toEqual([
			{ type: 'stage_kind_changed', data: { name: 'Review', from: expect.any(String), to: 'done' } },
			{ type: 'stage_wip_changed', data: { name: 'Review', limit: null, previous: 4, mode: 'soft', previousMode: 'soft' } }
		]);
	});

	it('a stage’s step settings, in words: who owns it, when it is due, who signs it off', async () => {
		const { cmd, stageId, take } = setup();
		cmd.setStageStep(stageId('Review'), { ownerRole: 'Editor', offset: 2, unit: 'working', approval: null });
		cmd.setStageStep(stageId('Review'), {
			ownerRole: 'Editor',
			offset: 2,
			unit: 'working',
			approval: { approvers: { userIds: ['bo'], role: 'Marketing stakeholder' }, quorum: 1, onChanges: { sendTo: stageId('In progress') }, onReject: { archive: true, sendTo: null } }
		});
		cmd.setStageStep(stageId('Review'), null);
		expect(brief(await take())).toEqual([
			{ type: 'stage_step_changed', data: { name: 'Review', from: 'a plain stage', to: 'owner Editor · due 2 working days before the target' } },
			{
				type: 'stage_step_changed',
				data: {
					name: 'Review',
					from: 'owner Editor · due 2 working days before the target',
					to: 'owner Editor · due 2 working days before the target · sign-off by Marketing stakeholder and 1 named member (1), changes back to In progress, rejected cards archived'
				}
			},
			{ type: 'stage_step_changed', data: { name: 'Review', from: expect.stringContaining('sign-off by'), to: 'a plain stage' } }
		]);
	});

	it('card title and labels, with what they were', async () => {
		const { cmd, stageId, take } = setup();
		const card = cmd.addCard(stageId('Backlog'), 'Draft');
		await take();
		cmd.setTitle(card, 'Final draft');
		cmd.setTitle(card, 'Final draft');
		cmd.setLabels(card, [{ name: 'Urgent', color: 'red' }]);
		cmd.setLabels(card, [{ name: 'Blog', color: 'sky' }]);
		expect(await take()).toMatchObject([
			{ type: 'title_changed', cardId: card, stageId: null, actorId: 'ann', data: { from: 'Draft', to: 'Final draft' } },
			{ type: 'labels_changed', cardId: card, data: { added: ['Urgent'], removed: [], labels: ['Urgent'] } },
			{ type: 'labels_changed', cardId: card, data: { added: ['Blog'], removed: ['Urgent'], labels: ['Blog'] } }
		]);
	});

	it('checklist items added, reworded, ticked, unticked and removed (a removed item keeps its text)', async () => {
		const { cmd, stageId, take } = setup();
		const card = cmd.addCard(stageId('Backlog'), 'Post');
		await take();
		const item = cmd.addChecklistItem(card, 'Proofread');
		cmd.renameChecklistItem(card, item, 'Proofread twice');
		cmd.setChecklistDone(card, item, true);
		cmd.setChecklistDone(card, item, false);
		cmd.moveChecklistItem(card, item, 0);
		cmd.deleteChecklistItem(card, item);
		expect(brief(await take())).toEqual([
			{ type: 'checklist_item_added', data: { itemId: item, text: 'Proofread' } },
			{ type: 'checklist_item_renamed', data: { itemId: item, from: 'Proofread', to: 'Proofread twice' } },
			{ type: 'checklist_item_ticked', data: { itemId: item, text: 'Proofread twice' } },
			{ type: 'checklist_item_unticked', data: { itemId: item, text: 'Proofread twice' } },
			{ type: 'checklist_item_removed', data: { itemId: item, text: 'Proofread twice' } }
		]);
	});

	it('description edits count characters per transaction (merged per minute when stored)', async () => {
		const { cmd, stageId, take } = setup();
		const card = cmd.addCard(stageId('Backlog'), 'Post');
		await take();
		cmd.setDescription(card, 'Hello');
		cmd.setDescription(card, 'Hello world');
		cmd.setDescription(card, 'Hi world');
		expect(brief(await take())).toEqual([
			{ type: 'description_edited', data: { edits: 1, inserted: 5, deleted: 0 } },
			{ type: 'description_edited', data: { edits: 1, inserted: 6, deleted: 0 } },
			{ type: 'description_edited', data: { edits: 1, inserted: 1, deleted: 4 } }
		]);
	});

	it('replays, seeds and the policy net are nobody’s doing', async () => {
		const { doc, cmd, stageId, take } = setup();
		const card = cmd.addCard(stageId('Backlog'), 'Post');
		await take();
		const cards = boardMaps(doc).cards;
		doc.transact(() => (cards.get(card) as Y.Map<unknown>).set('title', 'Reverted'), POLICY);
		doc.transact(() => boardMaps(doc).stages.delete(stageId('Review')), SEED);
		expect(await take()).toEqual([]);
		// What those did is known afterwards: a later edit reports the values they left.
		cmd.setTitle(card, 'Mine');
		expect(brief(await take())).toEqual([{ type: 'title_changed', data: { from: 'Reverted', to: 'Mine' } }]);
		const fresh = new Y.Doc();
		const replayed: RecordedChange[] = [];
		recordHistory(fresh, { events: (e) => replayed.push(...e), stages: () => {} }, () => null, () => new Date());
		Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc), LOAD);
		await new Promise((r) => setTimeout(r, 0));
		expect(replayed).toEqual([]);
	});
});
