import { describe, expect, it } from 'vitest';
import { entrySentence, SOMEONE_WHO_LEFT, type SentenceInput, type SentenceNames } from '../../src/lib/board/activity-sentence.ts';
import { activityGroup, kindsFor } from '../../src/lib/board/activity.ts';

const names: SentenceNames = {
	person: (id) => ({ u1: 'Priya', u2: 'Sam', u3: 'Alex' })[id] ?? SOMEONE_WHO_LEFT,
	stage: (id) => ({ s1: 'Ready', s2: 'Backlog' })[id] ?? 'a deleted stage'
};
const entry = (kind: string, data: Record<string, unknown>, more: Partial<SentenceInput> = {}): SentenceInput => ({
	kind,
	actorId: 'u1',
	cardId: null,
	fromStageId: null,
	toStageId: null,
	data,
	...more
});
const say = (e: SentenceInput, card: string | null = null) => entrySentence(e, names, card);

describe('activity sentences', () => {
	it('names people, stages and cards, never ids', () => {
		expect(say(entry('owner_added', { userId: 'u2' }, { cardId: 'c1' }), 'Launch post')).toBe('Priya on “Launch post” added Sam as owner');
		expect(say(entry('owner_added', { userId: 'u2' }, { cardId: 'c1' }))).toBe('Priya added Sam as owner');
		expect(say(entry('moved', { direction: 'backward' }, { cardId: 'c1', fromStageId: 's1', toStageId: 's2' }))).toBe('Priya moved it from Ready to Backlog (sent back)');
		expect(say(entry('created', { title: 'x' }, { cardId: 'c1', toStageId: 'gone' }))).toBe('Priya created it in a deleted stage');
		// A rename names its card already.
		expect(say(entry('title_changed', { from: 'Draft', to: 'Final draft' }, { actorId: 'u2', cardId: 'c1' }), 'Final draft')).toBe('Sam renamed the card “Draft” to “Final draft”');
	});

	it('says what a stage was before', () => {
		const wip = (limit: number | null, previous: number | null, mode = 'soft', previousMode = 'soft') =>
			say(entry('stage_wip_changed', { name: 'Review', limit, previous, mode, previousMode }, { actorId: 'u3' }));
		expect(wip(null, 3)).toBe('Alex removed the WIP limit of Review (was 3)');
		expect(wip(3, null, 'hard')).toBe('Alex set a hard WIP limit of 3 on Review');
		expect(wip(4, 3)).toBe('Alex changed the WIP limit of Review to 4 (was 3)');
		expect(wip(4, 3, 'hard')).toBe('Alex changed the WIP limit of Review to 4, hard (was 3, soft)');
		expect(wip(3, 3, 'hard')).toBe('Alex made the WIP limit of Review hard (was soft)');
		expect(say(entry('stage_renamed', { from: 'Review', to: 'Legal review' }))).toBe('Priya renamed the stage Review to Legal review');
		expect(say(entry('stage_moved', { name: 'QA', from: 6, to: 1 }))).toBe('Priya moved the stage QA from position 6 to 1');
		expect(say(entry('stage_kind_changed', { name: 'QA', from: 'active', to: 'done' }))).toBe('Priya made QA a done stage (was active)');
		const standup = { standupId: 'st1', finished: 2, newlyBlocked: 1, overdue: 0, wipBreaches: 0, waitingForApproval: 3, text: '…' };
		expect(say(entry('standup_summary', standup))).toBe('Priya ran a standup: 2 finished, 1 newly blocked, 0 overdue, 0 WIP breaches, 3 waiting for approval');
		expect(say(entry('standup_summary', { ...standup, filter: 'label:seo' }))).toBe('Priya ran a standup on the cards matching label:seo: 2 finished, 1 newly blocked, 0 overdue, 0 WIP breaches, 3 waiting for approval');
		expect(say(entry('exit_criterion_removed', { name: 'QA', criterionId: 'x', text: 'Tested' }))).toBe('Priya removed the exit criterion “Tested” from QA');
	});

	it('reads card details, members and the board', () => {
		expect(say(entry('labels_changed', { added: ['A'], removed: ['B'], labels: ['A'] }, { cardId: 'c' }))).toBe('Priya changed the labels: added “A”; removed “B”');
		expect(say(entry('checklist_item_unticked', { itemId: 'i', text: 'Proofread' }, { cardId: 'c' }))).toBe('Priya unticked “Proofread”');
		expect(say(entry('description_edited', { edits: 7, inserted: 40, deleted: 3 }, { cardId: 'c' }))).toBe('Priya edited the description (40 characters added, 3 removed)');
		expect(say(entry('member_role_changed', { userId: 'u2', from: 'editor', to: 'owner' }))).toBe('Priya made Sam an owner (was editor)');
		expect(say(entry('member_removed', { userId: 'gone', role: 'viewer' }))).toBe('Priya removed someone who left from the board');
		expect(say(entry('member_joined', { role: 'viewer' }, { actorId: 'gone' }))).toBe('Someone who left joined the board as a viewer');
		expect(say(entry('board_renamed', { from: 'A', to: 'B' }, { actorId: null }))).toBe('Flowdeck renamed the board “A” to “B”');
	});

	it('reads an entry whose data does not fit its kind generically instead of failing', () => {
		expect(say(entry('stage_renamed', { from: 1 }))).toBe('Priya made a change (stage renamed)');
		expect(say(entry('something_new', {}))).toBe('Priya made a change (something new)');
	});

	it('groups kinds for the filter', () => {
		expect(activityGroup('exit_criterion_added')).toBe('stage');
		expect(activityGroup('wip_breach')).toBe('card');
		expect(activityGroup('invite_revoked')).toBe('member');
		expect(kindsFor('stage').events).toEqual([]);
		expect(kindsFor('card').events).toContain('moved');
		expect(kindsFor('card').activity).toContain('description_edited');
		expect(kindsFor('moved')).toEqual({ events: ['moved'], activity: [] });
	});
});
