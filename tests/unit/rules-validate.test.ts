import { describe, expect, it } from 'vitest';
import { validateRule, brokenReason, type RuleScope } from '../../src/lib/board/rules/validate.ts';
import { failedCondition, timedOccurrence, triggerMatches, wallClock } from '../../src/lib/board/rules/match.ts';
import type { Card } from '../../src/lib/board/types.ts';

const scope: RuleScope = {
	stages: [
		{ id: 'todo', name: 'To do' },
		{ id: 'review', name: 'Review', isStep: true }
	],
	roles: [{ id: 'r1', name: 'Designer' }],
	members: [{ id: 'u1', name: 'Alex' }],
	boards: [{ id: 'sales', name: 'Sales', stages: [{ id: 'leads', name: 'Leads' }] }]
};
const rule = (over: Record<string, unknown>) => ({ trigger: { kind: 'card_created' }, conditions: [], actions: [{ kind: 'archive' }], allowRetrigger: false, ...over });

describe('validating a rule', () => {
	it('accepts a sound rule', () => {
		expect(validateRule(rule({ actions: [{ kind: 'notify', to: { kind: 'role', roleId: 'r1' }, message: '{card.title} is in {stage} ({card.url}, {owner}, {due}, {board})' }] }), scope)).toMatchObject({ ok: true });
	});

	it.each([
		['a negative hour count', rule({ trigger: { kind: 'due_within', hours: -4 } }), 'trigger.hours', /negative/],
		['an unknown placeholder', rule({ actions: [{ kind: 'notify', to: { kind: 'user', userId: 'u1' }, message: 'Hi {card.owner}' }] }), 'actions.0.message', /Unknown placeholder \{card.owner\}/],
		['a webhook URL that is not http(s)', rule({ actions: [{ kind: 'webhook', url: 'ftp://example.com/x' }] }), 'actions.0.url', /http/],
		['a move into its own trigger stage with re-triggering', rule({ trigger: { kind: 'entered_stage', stageId: 'review' }, allowRetrigger: true, actions: [{ kind: 'move', stageId: 'review' }] }), 'actions.0.stageId', /loop/],
		['an unknown stage', rule({ trigger: { kind: 'left_stage', stageId: 'gone' } }), 'trigger.stageId', /stage/],
		['an unknown role', rule({ actions: [{ kind: 'assign_role', roleId: 'nope' }] }), 'actions.0.roleId', /role/],
		['an unknown person', rule({ conditions: [{ kind: 'owner_is', userId: 'u9' }] }), 'conditions.0.userId', /member/],
		['a board the creator cannot edit', rule({ actions: [{ kind: 'create_linked_card', boardId: 'secret' }] }), 'actions.0.boardId', /board/],
		['no actions', rule({ actions: [] }), 'actions', /at least one/],
		['a weekly schedule without a day', rule({ trigger: { kind: 'schedule', every: 'week', time: '09:00' } }), 'trigger.weekday', /day/],
		['a time that is not one', rule({ trigger: { kind: 'schedule', every: 'day', time: '25:00' } }), 'trigger.time', /09:00/]
	])('refuses %s with a message on its field', (_what, input, field, message) => {
		const result = validateRule(input, scope);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors[field]).toMatch(message);
	});

	it('calls a rule broken only for what went missing', () => {
		const def = validateRule(rule({ actions: [{ kind: 'move', stageId: 'review' }, { kind: 'create_linked_card', boardId: 'sales' }] }), scope);
		if (!def.ok) throw new Error('expected a valid rule');
		expect(brokenReason(def.definition, scope)).toBeNull();
		expect(brokenReason(def.definition, { ...scope, stages: [scope.stages[0]!] })).toMatch(/Then, action 1: This stage/);
	});
});

describe('matching', () => {
	const card = { id: 'c', title: 'T', description: '', stageId: 'todo', rank: 'a', owners: ['u1'], due: '2026-03-10', labels: [{ name: 'VIP', color: 'red' }], blocked: null, checklist: [], exitChecks: {}, movedAt: '2026-03-01T00:00:00.000Z', archived: false, target: null, stepDues: {}, handoff: null, signoffs: {} } satisfies Card;

	it('matches entering and leaving by the stages of a move', () => {
		expect(triggerMatches({ kind: 'entered_stage', stageId: 'review' }, { type: 'moved', cardId: 'c', fromStageId: 'todo', toStageId: 'review' })).toBe(true);
		expect(triggerMatches({ kind: 'left_stage', stageId: 'review' }, { type: 'moved', cardId: 'c', fromStageId: 'todo', toStageId: 'review' })).toBe(false);
	});

	it('judges conditions and says which failed', () => {
		expect(failedCondition([{ kind: 'has_label', label: 'vip' }, { kind: 'owner_holds_role', roleId: 'r1' }], card, { stages: scope.stages.map((s) => ({ ...s, step: null })), roleHolders: { r1: ['u1'] } })).toBeNull();
		expect(failedCondition([{ kind: 'blocked', value: true }], card, { stages: [], roleHolders: {} })).toMatch(/not blocked/);
	});

	it('keys a timed occasion by what would make it come again', () => {
		const now = new Date('2026-03-09T12:00:00Z');
		const local = wallClock(now, 'UTC');
		expect(timedOccurrence({ kind: 'due_within', hours: 48 }, card, now, local)).toBe('due:2026-03-10');
		expect(timedOccurrence({ kind: 'due_within', hours: 24 }, card, now, local)).toBeNull();
		expect(timedOccurrence({ kind: 'no_move', days: 7 }, card, now, local)).toBe('moved:2026-03-01T00:00:00.000Z');
		expect(timedOccurrence({ kind: 'schedule', every: 'week', weekday: 1, time: '09:00' }, card, now, local)).toBe('day:2026-03-09');
		expect(timedOccurrence({ kind: 'schedule', every: 'day', time: '13:00' }, card, now, local)).toBeNull();
	});
});
