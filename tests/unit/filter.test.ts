import { describe, expect, it } from 'vitest';
import { compileFilter, type CardFacts, type FilterContext } from '../../src/lib/board/filter/compile.ts';
import { parseFilter } from '../../src/lib/board/filter/syntax.ts';
import { QUICK_FILTERS, hasQuickFilter, toggleQuickFilter } from '../../src/lib/board/filter/quick.ts';
import type { Card, Stage, StepSettings } from '../../src/lib/board/types.ts';

const step = (ownerRole: string): StepSettings => ({ ownerRole, offset: null, unit: 'calendar', approval: null });
const stage = (id: string, name: string, kind: Stage['kind'], s: StepSettings | null = null): Stage => ({ id, name, rank: id, kind, wipLimit: null, wipMode: 'soft', exitCriteria: [], step: s });
const STAGES = [stage('s1', 'Ideas', 'queue'), stage('s2', 'Keyword research', 'active', step('SEO strategist')), stage('s3', 'Review', 'wait'), stage('s4', 'Published', 'done')];
// Local noon, so "today" is the same day in any time zone the tests run in.
const NOW = new Date(2027, 0, 13, 12);
const DAY = 86_400_000;
const iso = (msAgo: number) => new Date(NOW.getTime() - msAgo).toISOString();

function card(id: string, over: Partial<Card> = {}): Card {
	return {
		id, title: `Card ${id}`, description: '', stageId: 's1', rank: id, owners: [], due: null, labels: [], blocked: null, checklist: [], exitChecks: {},
		movedAt: iso(DAY), archived: false, target: null, stepDues: {}, handoff: null, signoffs: {}, ...over
	};
}

const CARDS: CardFacts[] = [
	{ card: card('a', { title: 'Spring launch post', owners: ['me'], labels: [{ name: 'SEO', color: 'red' }], due: '2027-01-13' }), due: '2027-01-13', waitingApproval: false, updatedAt: NOW.getTime() - DAY },
	{ card: card('b', { description: 'Write the **launch** email', owners: ['sam'], stageId: 's2', due: '2027-01-10', movedAt: iso(9 * DAY) }), due: '2027-01-10', waitingApproval: false, updatedAt: NOW.getTime() - 9 * DAY },
	{ card: card('c', { stageId: 's3', blocked: { reason: 'legal', by: 'sam', at: iso(DAY) }, labels: [{ name: 'social', color: 'blue' }], target: { day: '2027-02-15', at: iso(DAY) } }), due: null, waitingApproval: true, updatedAt: NOW.getTime() - 3 * DAY },
	{ card: card('d', { stageId: 's4', owners: ['kim'], due: '2027-01-05', labels: [{ name: 'seo', color: 'red' }], target: { day: '2027-01-20', at: iso(DAY) } }), due: '2027-01-05', waitingApproval: false, updatedAt: NOW.getTime() - 20 * DAY }
];

const CTX: FilterContext = {
	userId: 'me',
	members: { me: { name: 'Ada Lovelace' }, sam: { name: 'Sam Lee' }, kim: { name: 'Kim' } },
	stages: STAGES,
	teamRoles: { 'SEO strategist': ['kim'], Designer: [] },
	labels: ['SEO', 'social', 'seo'],
	now: NOW
};

/** The ids of the cards a query matches, or the error's message and span. */
function run(query: string) {
	const compiled = compileFilter(query, CTX);
	if (!compiled.ok) return compiled.error;
	return CARDS.filter((f) => compiled.match?.(f) ?? true).map((f) => f.card.id);
}

describe('the filter language', () => {
	it('matches every field', () => {
		expect(run('owner:me')).toEqual(['a']);
		expect(run('owner:@sam')).toEqual(['b']);
		expect(run('owner:@samlee')).toEqual(['b']);
		expect(run('owner:none')).toEqual(['c']);
		expect(run('role:"SEO strategist"')).toEqual(['b', 'd']); // a step the role owns, or a holder's card
		expect(run('label:seo')).toEqual(['a', 'd']);
		expect(run('stage:review')).toEqual(['c']);
		expect(run('stage:"Keyword research"')).toEqual(['b']);
		expect(run('is:blocked')).toEqual(['c']);
		expect(run('is:overdue')).toEqual(['b']); // d is late but done
		expect(run('is:waiting-approval')).toEqual(['c']);
		expect(run('is:unassigned')).toEqual(['c']);
		expect(run('is:done')).toEqual(['d']);
		expect(run('due:today')).toEqual(['a']);
		expect(run('due:<7d')).toEqual(['a', 'b', 'd']);
		expect(run('due:>1d')).toEqual([]);
		expect(run('due:none')).toEqual(['c']);
		expect(run('due:2027-01')).toEqual(['a', 'b', 'd']);
		expect(run('due:<2027-01-10')).toEqual(['d']);
		expect(run('target:2027-02')).toEqual(['c']);
		expect(run('target:2027')).toEqual(['c', 'd']);
		expect(run('target:>2027-01')).toEqual(['c']);
		expect(run('target:none')).toEqual(['a', 'b']);
		expect(run('age:>5d')).toEqual(['b']);
		expect(run('age:<2d')).toEqual(['a', 'c', 'd']);
		expect(run('updated:>2d')).toEqual(['b', 'c', 'd']);
		expect(run('updated:<1w')).toEqual(['a', 'c']);
	});

	it('matches free words and phrases against titles and descriptions, case-insensitively', () => {
		expect(run('launch')).toEqual(['a', 'b']);
		expect(run('LAUNCH spring')).toEqual(['a']);
		expect(run('"launch post"')).toEqual(['a']);
		expect(run('-launch')).toEqual(['c', 'd']);
	});

	it('ORs a repeated field, ANDs different fields, and a leading - excludes', () => {
		expect(run('label:seo label:social')).toEqual(['a', 'c', 'd']);
		expect(run('label:seo owner:me')).toEqual(['a']);
		expect(run('label:seo -is:done')).toEqual(['a']);
		expect(run('-label:seo -label:social')).toEqual(['b']);
		expect(run('is:blocked is:overdue')).toEqual(['b', 'c']);
		expect(run('owner:me owner:@sam -is:overdue')).toEqual(['a']);
		expect(run('')).toEqual(['a', 'b', 'c', 'd']);
		expect(run('   ')).toEqual(['a', 'b', 'c', 'd']);
	});

	it('reports a mistake at its position', () => {
		expect(run('label:seo colour:red')).toMatchObject({ start: 10, end: 17, message: expect.stringContaining('Unknown field “colour”') });
		expect(run('owner:@bob')).toMatchObject({ start: 0, end: 10, message: 'No one called “@bob” is on this board.' });
		expect(run('stage:Nowhere is:blocked')).toMatchObject({ start: 0, end: 13, message: expect.stringContaining('no stage “Nowhere”') });
		expect(run('is:blocked role:Writer')).toMatchObject({ start: 11, end: 22 });
		expect(run('label:party')).toMatchObject({ start: 0, end: 11 });
		expect(run('is:lost')).toMatchObject({ start: 0, end: 7, message: expect.stringContaining('not a flag') });
		expect(run('due:soonish')).toMatchObject({ start: 0, end: 11, message: expect.stringContaining('not a date') });
		expect(run('age:>5 days')).toMatchObject({ start: 0, end: 6, message: expect.stringContaining('not a duration') });
		expect(run('owner:')).toMatchObject({ start: 0, end: 6, message: expect.stringContaining('needs a value') });
		expect(run('title "open quote')).toMatchObject({ start: 6, end: 17, message: 'This quote is never closed.' });
		expect(run('role:"SEO')).toMatchObject({ start: 5, message: 'This quote is never closed.' });
	});

	it('keeps positions for negated and quoted terms', () => {
		const parsed = parseFilter('  -label:"big launch"  owner:me');
		expect(parsed).toEqual({
			ok: true,
			terms: [
				{ field: 'label', value: 'big launch', op: '=', negated: true, start: 2, end: 21 },
				{ field: 'owner', value: 'me', op: '=', negated: false, start: 23, end: 31 }
			]
		});
		// A lone dash is a word, not a negation of nothing.
		expect(parseFilter('- x')).toMatchObject({ ok: true, terms: [{ field: null, value: '-' }, { field: null, value: 'x' }] });
	});
});

describe('quick filters', () => {
	const byId = (id: string) => QUICK_FILTERS.find((q) => q.id === id)!;

	it('add their terms and take them out again, keeping what the person typed', () => {
		const mine = toggleQuickFilter('launch', byId('mine'));
		expect(mine).toBe('launch owner:me');
		expect(hasQuickFilter(mine, byId('mine'))).toBe(true);
		expect(toggleQuickFilter(mine, byId('mine'))).toBe('launch');
	});

	it('leave terms another active quick filter still needs', () => {
		const both = toggleQuickFilter(toggleQuickFilter('', byId('week')), byId('stale'));
		expect(both).toBe('due:<7d -is:done updated:>7d');
		expect(toggleQuickFilter(both, byId('week'))).toBe('-is:done updated:>7d');
		expect(hasQuickFilter('-is:done updated:>7d', byId('stale'))).toBe(true);
	});

	it('each stands for a query that compiles on any board', () => {
		for (const quick of QUICK_FILTERS) expect(compileFilter(quick.query, CTX).ok).toBe(true);
	});
});
