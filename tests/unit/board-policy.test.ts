import { describe, expect, it } from 'vitest';
import { checkMove, exitCheckKey, isForward, missingExitCriteria, wipStatus } from '../../src/lib/board/policy.ts';
import type { Card, Stage } from '../../src/lib/board/types.ts';

function stage(id: string, rank: string, over: Partial<Stage> = {}): Stage {
	return { id, name: id.toUpperCase(), rank, kind: 'active', wipLimit: null, wipMode: 'soft', exitCriteria: [], step: null, ...over };
}

type MovingCard = Pick<Card, 'id' | 'stageId' | 'exitChecks'>;
const card = (stageId: string, exitChecks: Card['exitChecks'] = {}): MovingCard => ({ id: 'card1', stageId, exitChecks });
const check = { by: 'u1', at: '2026-01-05T09:00:00.000Z' };

const criteria = [
	{ id: 'c1', text: 'Copy approved' },
	{ id: 'c2', text: 'Assets attached' },
	{ id: 'c3', text: 'Link tested' }
];

describe('checkMove: reordering', () => {
	it('always allows reordering within a stage, even past a full hard limit and unmet criteria', () => {
		const stages = [stage('doing', 'a0', { wipLimit: 1, wipMode: 'hard', exitCriteria: criteria }), stage('done', 'a1')];
		expect(checkMove({ stages, card: card('doing'), toStageId: 'doing', cardsInTarget: 10 })).toBeNull();
	});
});

describe('checkMove: WIP limits', () => {
	const stages = (over: Partial<Stage>) => [stage('todo', 'a0'), stage('doing', 'a1', { name: 'In progress', ...over })];

	it('allows a move into a hard-limited stage that still has room', () => {
		expect(checkMove({ stages: stages({ wipLimit: 3, wipMode: 'hard' }), card: card('todo'), toStageId: 'doing', cardsInTarget: 2 })).toBeNull();
	});

	it('refuses a move into a hard-limited stage at its limit, naming the stage and the limit', () => {
		const refusal = checkMove({ stages: stages({ wipLimit: 3, wipMode: 'hard' }), card: card('todo'), toStageId: 'doing', cardsInTarget: 3 });
		expect(refusal).toMatchObject({ code: 'wip_limit', limit: 3 });
		expect(refusal!.message).toContain('In progress');
		expect(refusal!.message).toContain('3 cards');
	});

	it('refuses a move into a hard-limited stage already over its limit', () => {
		const refusal = checkMove({ stages: stages({ wipLimit: 3, wipMode: 'hard' }), card: card('todo'), toStageId: 'doing', cardsInTarget: 5 });
		expect(refusal?.code).toBe('wip_limit');
	});

	it('says "1 card" for a limit of one', () => {
		const refusal = checkMove({ stages: stages({ wipLimit: 1, wipMode: 'hard' }), card: card('todo'), toStageId: 'doing', cardsInTarget: 1 });
		expect(refusal!.message).toContain('WIP limit of 1 card.');
	});

	it('allows a move into a soft-limited stage at or over its limit', () => {
		expect(checkMove({ stages: stages({ wipLimit: 3, wipMode: 'soft' }), card: card('todo'), toStageId: 'doing', cardsInTarget: 3 })).toBeNull();
		expect(checkMove({ stages: stages({ wipLimit: 3, wipMode: 'soft' }), card: card('todo'), toStageId: 'doing', cardsInTarget: 9 })).toBeNull();
	});

	it('never limits a done stage, even with a hard limit left on it', () => {
		const s = stages({ kind: 'done', wipLimit: 1, wipMode: 'hard' });
		expect(checkMove({ stages: s, card: card('todo'), toStageId: 'doing', cardsInTarget: 40 })).toBeNull();
	});

	it('treats no limit as unlimited', () => {
		expect(checkMove({ stages: stages({ wipLimit: null, wipMode: 'hard' }), card: card('todo'), toStageId: 'doing', cardsInTarget: 500 })).toBeNull();
	});
});

describe('checkMove: exit criteria', () => {
	const stages = [
		stage('draft', 'a0', { name: 'Drafting', exitCriteria: criteria }),
		stage('review', 'a1'),
		stage('done', 'a2', { kind: 'done' })
	];

	it('refuses a forward move with unmet criteria, listing exactly the missing ones in order', () => {
		const refusal = checkMove({
			stages,
			card: card('draft', { [exitCheckKey('draft', 'c2')]: check }),
			toStageId: 'review',
			cardsInTarget: 0
		});
		expect(refusal?.code).toBe('exit_criteria');
		if (refusal?.code !== 'exit_criteria') return;
		expect(refusal.missing.map((c) => c.id)).toEqual(['c1', 'c3']);
		expect(refusal.message).toBe("Can't leave Drafting yet. Still to do: Copy approved; Link tested.");
	});

	it('refuses skipping ahead several stages too', () => {
		expect(checkMove({ stages, card: card('draft'), toStageId: 'done', cardsInTarget: 0 })?.code).toBe('exit_criteria');
	});

	it('allows the forward move once every criterion is checked', () => {
		const all = Object.fromEntries(criteria.map((c) => [exitCheckKey('draft', c.id), check]));
		expect(checkMove({ stages, card: card('draft', all), toStageId: 'review', cardsInTarget: 0 })).toBeNull();
	});

	it('ignores checks recorded for a different stage', () => {
		const elsewhere = Object.fromEntries(criteria.map((c) => [exitCheckKey('review', c.id), check]));
		const refusal = checkMove({ stages, card: card('draft', elsewhere), toStageId: 'review', cardsInTarget: 0 });
		expect(refusal?.code === 'exit_criteria' && refusal.missing).toEqual(criteria);
	});

	it('always allows moving backward, even with unmet criteria', () => {
		const withCriteria = [
			stage('draft', 'a0'),
			stage('review', 'a1', { exitCriteria: criteria }),
			stage('done', 'a2', { kind: 'done', exitCriteria: criteria })
		];
		expect(checkMove({ stages: withCriteria, card: card('review'), toStageId: 'draft', cardsInTarget: 0 })).toBeNull();
		expect(checkMove({ stages: withCriteria, card: card('done'), toStageId: 'draft', cardsInTarget: 0 })).toBeNull();
	});

	it('checks exit criteria before the WIP limit', () => {
		const s = [stage('draft', 'a0', { exitCriteria: criteria }), stage('review', 'a1', { wipLimit: 1, wipMode: 'hard' })];
		expect(checkMove({ stages: s, card: card('draft'), toStageId: 'review', cardsInTarget: 1 })?.code).toBe('exit_criteria');
	});

	it('still applies the hard WIP limit on a backward move', () => {
		const s = [stage('draft', 'a0', { wipLimit: 1, wipMode: 'hard' }), stage('review', 'a1')];
		expect(checkMove({ stages: s, card: card('review'), toStageId: 'draft', cardsInTarget: 1 })?.code).toBe('wip_limit');
	});

	it('lists the missing criteria of a stage in their order', () => {
		expect(missingExitCriteria(stages[0]!, { exitChecks: { [exitCheckKey('draft', 'c1')]: check } }).map((c) => c.text)).toEqual([
			'Assets attached',
			'Link tested'
		]);
	});
});

describe('checkMove: missing stages', () => {
	it('refuses moving to a stage that no longer exists', () => {
		const refusal = checkMove({ stages: [stage('todo', 'a0')], card: card('todo'), toStageId: 'gone', cardsInTarget: 0 });
		expect(refusal).toEqual({ code: 'no_stage', message: 'That stage no longer exists.' });
	});

	it('lets a card whose own stage was deleted move anywhere', () => {
		const stages = [stage('todo', 'a0'), stage('doing', 'a1')];
		expect(checkMove({ stages, card: card('deleted'), toStageId: 'todo', cardsInTarget: 0 })).toBeNull();
	});
});

describe('isForward', () => {
	it('follows rank order, not the order the stages were listed in', () => {
		// Listed in creation order; "ship" was later moved to the front of the workflow.
		const stages = [stage('plan', 'a1'), stage('build', 'a2'), stage('ship', 'a0')];
		expect(isForward(stages, 'ship', 'plan')).toBe(true);
		expect(isForward(stages, 'plan', 'build')).toBe(true);
		expect(isForward(stages, 'build', 'ship')).toBe(false);
		expect(isForward(stages, 'plan', 'ship')).toBe(false);
		expect(isForward(stages, 'plan', 'plan')).toBe(false);
	});

	it('compares stage ranks by code units', () => {
		const stages = [stage('lower', 'a0'), stage('upper', 'Zz')];
		expect(isForward(stages, 'upper', 'lower')).toBe(true);
	});

	it('applies rank order to exit criteria checks', () => {
		const stages = [stage('late', 'a1', { exitCriteria: criteria }), stage('early', 'a0', { exitCriteria: criteria })];
		expect(checkMove({ stages, card: card('late'), toStageId: 'early', cardsInTarget: 0 })).toBeNull();
		expect(checkMove({ stages, card: card('early'), toStageId: 'late', cardsInTarget: 0 })?.code).toBe('exit_criteria');
	});
});

describe('wipStatus', () => {
	it('shows count over limit and flags a stage that is over', () => {
		expect(wipStatus(stage('doing', 'a0', { wipLimit: 5 }), 6)).toEqual({ text: '6 / 5', over: true, atLimit: true });
	});

	it('flags a stage exactly at its limit as at limit but not over', () => {
		expect(wipStatus(stage('doing', 'a0', { wipLimit: 5 }), 5)).toEqual({ text: '5 / 5', over: false, atLimit: true });
		expect(wipStatus(stage('doing', 'a0', { wipLimit: 5 }), 4)).toEqual({ text: '4 / 5', over: false, atLimit: false });
	});

	it('shows just the count when there is no limit, or for a done stage', () => {
		expect(wipStatus(stage('doing', 'a0'), 7)).toEqual({ text: '7', over: false, atLimit: false });
		expect(wipStatus(stage('done', 'a0', { kind: 'done', wipLimit: 2 }), 7)).toEqual({ text: '7', over: false, atLimit: false });
	});
});
