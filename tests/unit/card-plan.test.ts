import { describe, expect, it } from 'vitest';
import { planForCard } from '../../src/lib/board/process/card-plan.ts';
import type { BoardProcess, Card, Stage, StepSettings } from '../../src/lib/board/types.ts';

const step = (offset: number): StepSettings => ({ ownerRole: null, offset, unit: 'calendar', approval: null });
const stage = (id: string, rank: string, s: StepSettings | null, kind: Stage['kind'] = 'active'): Stage => ({ id, name: id, rank, kind, wipLimit: null, wipMode: 'soft', exitCriteria: [], step: s });
const STAGES = [stage('ideas', 'a0', null, 'queue'), stage('draft', 'a1', step(10)), stage('check', 'a2', null, 'wait'), stage('publish', 'a3', step(0)), stage('done', 'a4', null, 'done')];
const PROCESS: BoardProcess = { timeZone: 'UTC', teamRoles: {}, labels: [], checklist: [] };
const NOW = new Date('2027-03-20T12:00:00Z');
const card = (stageId: string): Card => ({
	id: 'c1', title: 'Post', description: '', stageId, rank: 'a0', owners: [], due: null, labels: [], blocked: null, checklist: [], exitChecks: {},
	movedAt: '2027-03-18T09:00:00.000Z', archived: false, target: { day: '2027-03-10', at: '2027-02-01T00:00:00.000Z' }, stepDues: {}, handoff: null, signoffs: {}
});

describe('a card’s plan from its place alone (no history)', () => {
	it('a finished card has finished every step: none shows late', () => {
		const plan = planForCard({ stages: STAGES, card: card('done'), process: PROCESS, now: NOW })!;
		expect(plan.steps.map((s) => s.status)).toEqual(['done', 'done']);
	});

	it('a card in a plain stage between steps has finished those before it', () => {
		const plan = planForCard({ stages: STAGES, card: card('check'), process: PROCESS, now: NOW })!;
		expect(plan.steps.map((s) => [s.stageId, s.status])).toEqual([
			['draft', 'done'],
			['publish', 'late']
		]);
	});

	it('a card not started yet has every step ahead of it', () => {
		const plan = planForCard({ stages: STAGES, card: card('ideas'), process: PROCESS, now: NOW })!;
		expect(plan.steps.map((s) => s.status)).toEqual(['late', 'late']);
	});
});
