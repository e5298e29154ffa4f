import { describe, expect, it } from 'vitest';
import { applyFilter, filterNames, usesHistory, type FilterBoard } from '../../src/lib/board/filter/apply.ts';
import type { BoardProcess, Card, Stage } from '../../src/lib/board/types.ts';

const stage = (id: string, name: string, kind: Stage['kind']): Stage => ({ id, name, rank: id, kind, wipLimit: null, wipMode: 'soft', exitCriteria: [], step: null });
const STAGES = [stage('s1', 'Ideas', 'queue'), stage('s2', 'Writing', 'active'), stage('s3', 'Published', 'done')];
// 23:30 UTC: already the 14th in Auckland (UTC+13 in January), still the 13th in New York (UTC−5).
const NOW = new Date('2027-01-13T23:30:00Z');

function card(id: string, over: Partial<Card> = {}): Card {
	return {
		id, title: `Card ${id}`, description: '', stageId: 's1', rank: id, owners: [], due: null, labels: [], blocked: null, checklist: [], exitChecks: {},
		movedAt: '2027-01-10T00:00:00Z', archived: false, target: null, stepDues: {}, handoff: null, signoffs: {}, ...over
	};
}

function board(timeZone: string): FilterBoard {
	const process: BoardProcess = { timeZone, teamRoles: { Editor: ['sam'] }, labels: [{ name: 'Newsletter', color: 'sky' }], checklist: [] };
	return {
		stages: STAGES,
		process,
		members: { me: { name: 'Ada Lovelace' }, sam: { name: 'Sam Lee' } },
		cards: [
			card('a', { due: '2027-01-13', labels: [{ name: 'SEO', color: 'red' }], owners: ['sam'] }),
			card('b', { due: '2027-01-14', stageId: 's2' }),
			card('c', { due: '2027-01-12', stageId: 's3', labels: [{ name: 'seo', color: 'red' }], archived: true }),
			card('d', { stageId: 's2', movedAt: '2027-01-13T20:00:00Z' })
		]
	};
}

const ids = (result: ReturnType<typeof applyFilter>) => (result.ok ? result.cardIds : result.error);

describe('applying a filter away from the board page', () => {
	it('compares calendar days in the board’s time zone, whatever the machine’s', () => {
		expect(ids(applyFilter('due:today', board('Pacific/Auckland'), 'me', NOW))).toEqual(['b']);
		expect(ids(applyFilter('due:today', board('America/New_York'), 'me', NOW))).toEqual(['a']);
		// Overdue leaves finished cards out, in the zone's today.
		expect(ids(applyFilter('is:overdue', board('Pacific/Auckland'), 'me', NOW))).toEqual(['a']);
		expect(ids(applyFilter('is:overdue', board('America/New_York'), 'me', NOW))).toEqual([]);
		expect(ids(applyFilter('due:tomorrow', board('America/New_York'), 'me', NOW))).toEqual(['b']);
	});

	it('matches archived cards too (figures about the past count them), with the board’s names and people', () => {
		const b = board('UTC');
		expect(ids(applyFilter('label:seo', b, 'me', NOW))).toEqual(['a', 'c']);
		expect(ids(applyFilter('owner:@sam', b, 'me', NOW))).toEqual(['a']);
		expect(ids(applyFilter('role:editor', b, 'me', NOW))).toEqual(['a']);
		expect(ids(applyFilter('stage:writing age:<5h', b, 'me', NOW))).toEqual(['d']);
		// A label the board offers but no card has yet is a name, not a mistake: it matches nothing.
		expect(ids(applyFilter('label:newsletter', b, 'me', NOW))).toEqual([]);
		expect(filterNames(b).labels).toEqual(['Newsletter', 'SEO', 'seo']);
	});

	it('an empty filter matches every card (null); a mistake comes back with its place', () => {
		expect(ids(applyFilter('   ', board('UTC'), 'me', NOW))).toBeNull();
		expect(ids(applyFilter('label:seo owner:@nobody', board('UTC'), 'me', NOW))).toEqual({ message: 'No one called “@nobody” is on this board.', start: 10, end: 23 });
	});

	it('answers updated: from when each card last changed by the history', () => {
		const b = board('UTC');
		expect(usesHistory('label:seo updated:>2d')).toBe(true);
		expect(usesHistory('label:seo')).toBe(false);
		expect(usesHistory('"open')).toBe(false);
		// Without history every card's own stamps (moved on the 10th) say stale; the history says a and b changed today.
		expect(ids(applyFilter('updated:>2d', b, 'me', NOW))).toEqual(['a', 'b', 'c']);
		expect(ids(applyFilter('updated:>2d', b, 'me', NOW, { a: NOW.getTime() - 3_600_000, b: NOW.getTime() }))).toEqual(['c']);
	});
});
