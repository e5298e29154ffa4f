import { describe, expect, it } from 'vitest';
import { boardLanes, laneChange, laneOf, type LaneContext } from '../../src/lib/board/lanes.ts';
import type { Card, Stage } from '../../src/lib/board/types.ts';

const stage = (id: string, ownerRole: string | null = null): Stage => ({ id, name: id, rank: id, kind: 'active', wipLimit: null, wipMode: 'soft', exitCriteria: [], step: ownerRole ? { ownerRole, offset: null, unit: 'calendar', approval: null } : null });
const card = (over: Partial<Card>): Card => ({
	id: 'c', title: 'Post', description: '', stageId: 'write', rank: 'a', owners: [], due: null, labels: [], blocked: null, checklist: [], exitChecks: {},
	movedAt: '2027-01-01T00:00:00.000Z', archived: false, target: null, stepDues: {}, handoff: null, signoffs: {}, ...over
});
const CTX: LaneContext = {
	members: { sam: { name: 'Sam' }, ada: { name: 'Ada' } },
	teamRoles: { Writer: ['sam'], Designer: ['ada'] },
	stages: [stage('write'), stage('images', 'Designer')],
	labels: [{ name: 'SEO', color: 'red' }]
};

describe('swimlanes', () => {
	it('lists lanes per mode, the catch-all last and Expedite first; former owners keep a lane', () => {
		const cards = [card({ owners: ['gone'], labels: [{ name: 'social', color: 'sky' }] })];
		expect(boardLanes('owner', cards, CTX).map((l) => l.title)).toEqual(['Ada', 'Sam', 'Former member', 'Unassigned']);
		expect(boardLanes('role', cards, CTX).map((l) => l.title)).toEqual(['Designer', 'Writer', 'No team role']);
		expect(boardLanes('label', cards, CTX).map((l) => l.title)).toEqual(['SEO', 'social', 'No label']);
		expect(boardLanes('expedite', cards, CTX).map((l) => l.title)).toEqual(['Expedite', 'Everything else']);
	});

	it('puts a card in its first owner’s, step role’s, first label’s or the Expedite lane', () => {
		expect(laneOf(card({ owners: ['sam', 'ada'] }), 'owner', CTX)).toBe('sam');
		expect(laneOf(card({}), 'owner', CTX)).toBe('-');
		expect(laneOf(card({ stageId: 'images', owners: ['sam'] }), 'role', CTX)).toBe('Designer');
		expect(laneOf(card({ owners: ['sam'] }), 'role', CTX)).toBe('Writer');
		expect(laneOf(card({ labels: [{ name: 'SEO', color: 'red' }] }), 'label', CTX)).toBe('seo');
		expect(laneOf(card({ labels: [{ name: 'expedite', color: 'red' }] }), 'expedite', CTX)).toBe('expedite');
	});

	it('a drag to another lane changes the field the lanes stand for', () => {
		const shared = card({ owners: ['sam', 'ada'] });
		expect(laneChange(shared, 'owner', 'sam', { key: 'ada', title: 'Ada' }, CTX)).toEqual({ owners: ['ada'] });
		expect(laneChange(card({ owners: ['sam'] }), 'owner', 'sam', { key: '-', title: 'Unassigned' }, CTX)).toEqual({ owners: [] });
		expect(laneChange(card({}), 'owner', '-', { key: 'sam', title: 'Sam' }, CTX)).toEqual({ owners: ['sam'] });
		expect(laneChange(card({ labels: [{ name: 'social', color: 'sky' }] }), 'label', 'social', { key: 'seo', title: 'SEO' }, CTX)).toEqual({ labels: [{ name: 'SEO', color: 'red' }] });
		expect(laneChange(card({ labels: [{ name: 'x', color: 'sky' }] }), 'expedite', '-', { key: 'expedite', title: 'Expedite' }, CTX)).toEqual({ labels: [{ name: 'Expedite', color: 'red' }, { name: 'x', color: 'sky' }] });
		expect(laneChange(card({}), 'role', 'Writer', { key: 'Designer', title: 'Designer' }, CTX)).toHaveProperty('refused');
		expect(laneChange(card({}), 'owner', 'sam', { key: 'sam', title: 'Sam' }, CTX)).toBeNull();
	});

	it('a card dragged or added to a lane of a label only cards use gets that label in its colour', () => {
		const social = boardLanes('label', [card({ labels: [{ name: 'social', color: 'sky' }] })], CTX).find((l) => l.key === 'social')!;
		expect(laneChange({ owners: [], labels: [] }, 'label', '-', social, CTX)).toEqual({ labels: [{ name: 'social', color: 'sky' }] });
	});
});
