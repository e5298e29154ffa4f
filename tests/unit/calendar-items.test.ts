import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { serverProcessCommands } from '../../src/lib/board/doc/process-commands.ts';
import { seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import type { StepSettings } from '../../src/lib/board/types.ts';
import { calendarItems, itemsByDay, matchesFilter, myStepsThisWeek, plansOf, type CalendarItem, type StepMarker } from '../../src/lib/calendar/items.ts';
import { periodOf, weekRange } from '../../src/lib/calendar/period.ts';

// Wednesday 24 March 2027, 10:00 in Berlin.
const NOW = new Date('2027-03-24T09:00:00Z');
const step = (ownerRole: string | null, offset: number | null): StepSettings => ({ ownerRole, offset, unit: 'calendar', approval: null });

/**
 * The default board (Backlog, To do, In progress, Review, Done) with To do, In progress and Review as steps due 10, 5
 * and 2 calendar days before the target; Writers are ana and ben, Editors eve.
 */
function board() {
	const doc = new Y.Doc();
	seedBoard(doc);
	const cmd = boardCommands(doc, { userId: 'ana', now: () => NOW });
	const snap = () => readSnapshot(doc, 'Calendar test');
	const id = (name: string) => snap().stages.find((s) => s.name === name)!.id;
	cmd.setTimeZone('Europe/Berlin');
	cmd.setStageStep(id('To do'), step('Writer', 10));
	cmd.setStageStep(id('In progress'), step('Writer', 5));
	cmd.setStageStep(id('Review'), step('Editor', 2));
	serverProcessCommands(doc, { userId: 'server', now: () => NOW }, { kind: 'server' }).setTeamRoles({ Writer: ['ana', 'ben'], Editor: ['eve'] });
	const addCard = (stage: string, title: string, target: string | null, owners: string[] = []) => {
		const cardId = cmd.addCard(id(stage), title) as string;
		if (target) cmd.setTarget(cardId, target);
		for (const owner of owners) cmd.addOwner(cardId, owner);
		return cardId;
	};
	const items = () => {
		const s = snap();
		return calendarItems(s, plansOf(s, NOW));
	};
	return { doc, cmd, snap, id, addCard, items };
}

const markers = (items: CalendarItem[]) => items.filter((i): i is StepMarker => i.kind === 'step');

describe('calendar items', () => {
	it('put a card on its target date in its stage, and a marker on each unfinished step’s planned date', () => {
		const b = board();
		const cardId = b.addCard('Backlog', 'Blog: 10 tips', '2027-04-09');
		const items = b.items();
		expect(items.filter((i) => i.kind === 'card')).toEqual([
			expect.objectContaining({ cardId, day: '2027-04-09', title: 'Blog: 10 tips', stageId: b.id('Backlog'), stageName: 'Backlog', role: null })
		]);
		expect(markers(items).map((m) => [m.stageName, m.day, m.status, m.label])).toEqual([
			['To do', '2027-03-30', 'upcoming', 'To do — Blog: 10 tips (due)'],
			['In progress', '2027-04-04', 'upcoming', 'In progress — Blog: 10 tips (due)'],
			['Review', '2027-04-07', 'upcoming', 'Review — Blog: 10 tips (due)']
		]);
	});

	it('move every open step with the target date, leave finished steps off, and mark late ones', () => {
		const b = board();
		const cardId = b.addCard('In progress', 'Launch post', '2027-04-09');
		const before = markers(b.items()).map((m) => m.day);
		expect(before).toEqual(['2027-04-04', '2027-04-07']); // To do is behind the card: done, no marker
		b.cmd.setTarget(cardId, '2027-04-16');
		expect(markers(b.items()).map((m) => m.day)).toEqual(['2027-04-11', '2027-04-14']);
		// A target that leaves the current step in the past: that step is late (it was set before it passed)… or cannot fit.
		b.cmd.setTarget(cardId, '2027-03-26');
		expect(markers(b.items()).map((m) => [m.stageName, m.status, m.label])).toEqual([
			['In progress', 'cannot_fit', 'In progress — Launch post (cannot fit)'],
			['Review', 'upcoming', 'Review — Launch post (due)']
		]);
	});

	it('leave out archived cards, cards without a target date, and everything on a board without steps', () => {
		const b = board();
		const gone = b.addCard('Backlog', 'Archived', '2027-04-09');
		b.cmd.setArchived(gone, true);
		b.addCard('Backlog', 'Someday', null);
		expect(b.items()).toEqual([]);
		for (const stage of ['To do', 'In progress', 'Review']) b.cmd.setStageStep(b.id(stage), null);
		b.addCard('Backlog', 'Plain', '2027-04-09');
		// Without steps the card still shows on its target date, with no markers.
		expect(b.items().map((i) => i.kind)).toEqual(['card']);
	});
});

describe('filters', () => {
	it('by owner: the cards someone owns and the steps that fall to them; by role: the step’s owner role', () => {
		const b = board();
		b.addCard('To do', 'Ana’s card', '2027-04-09', ['ana']);
		b.addCard('Review', 'Eve’s card', '2027-04-09', ['eve']);
		const items = b.items();
		const shown = (filter: { ownerId: string | null; role: string | null }) => items.filter((i) => matchesFilter(i, filter)).map((i) => (i.kind === 'card' ? `card ${i.title}` : i.label));
		expect(shown({ ownerId: 'ana', role: null })).toEqual([
			'card Ana’s card',
			'To do — Ana’s card (due)', // the step it is in: its owners
			'In progress — Ana’s card (due)' // a step to come: the Writers
		]);
		expect(shown({ ownerId: 'eve', role: null })).toEqual(['Review — Ana’s card (due)', 'card Eve’s card', 'Review — Eve’s card (due)']);
		expect(shown({ ownerId: null, role: 'Editor' })).toEqual(['Review — Ana’s card (due)', 'card Eve’s card', 'Review — Eve’s card (due)']);
		expect(shown({ ownerId: 'ana', role: 'Editor' })).toEqual([]);
		expect(shown({ ownerId: null, role: null })).toHaveLength(items.length);
		// A filter-language query narrows to its cards: their chips and their steps' markers.
		const eve = items.find((i) => i.kind === 'card' && i.title === 'Eve’s card')!.cardId;
		expect(items.filter((i) => matchesFilter(i, { ownerId: null, role: null, cardIds: new Set([eve]) })).map((i) => (i.kind === 'card' ? `card ${i.title}` : i.label))).toEqual(['card Eve’s card', 'Review — Eve’s card (due)']);
	});

	it('and the days of a period, in a fixed order: cards first, then by stage and title', () => {
		const b = board();
		b.addCard('Review', 'Zebra', '2027-03-30'); // Review due 28 March
		b.addCard('Backlog', 'Apple', '2027-03-30'); // To do 20, In progress 25, Review 28 March
		b.addCard('Backlog', 'Mango', '2027-04-01'); // To do 22, In progress 27, Review 30 March
		b.addCard('Backlog', 'Later', '2027-04-10'); // To do 31 March; In progress 5 April and Review 8 April: past the grid
		const s = b.snap();
		const march = periodOf('month', '2027-03-01');
		const byDay = itemsByDay(b.items(), s.stages.map((x) => x.id), march, { ownerId: null, role: null });
		const names = (day: string) => byDay.get(day)!.map((i) => `${i.kind} ${i.kind === 'step' ? i.stageName + ' ' : ''}${i.title}`);
		expect(names('2027-03-30')).toEqual(['card Apple', 'card Zebra', 'step Review Mango']);
		expect(names('2027-03-28')).toEqual(['step Review Apple', 'step Review Zebra']);
		expect(names('2027-03-31')).toEqual(['step To do Later']);
		// The grid runs from Monday 1 March to Sunday 4 April: nothing outside it, no empty days.
		expect([...byDay.keys()].sort()).toEqual(['2027-03-20', '2027-03-22', '2027-03-25', '2027-03-27', '2027-03-28', '2027-03-30', '2027-03-31', '2027-04-01']);
		// Filtered days leave out what does not match, and days left empty.
		const editors = itemsByDay(b.items(), s.stages.map((x) => x.id), march, { ownerId: null, role: 'Editor' });
		expect([...editors.keys()].sort()).toEqual(['2027-03-28', '2027-03-30']);
	});
});

describe('my steps due this week', () => {
	it('lists the person’s unfinished steps due Monday to Sunday, overdue ones first (marked late)', () => {
		const b = board();
		// Due this week (22–28 March): To do of a card targeted 2 April is due 23 March (late: today is the 24th).
		const late = b.addCard('To do', 'Overdue outline', null, ['ana']);
		b.cmd.setStepDue(late, b.id('To do'), '2027-03-10'); // set by hand long ago: still listed, first
		b.addCard('Backlog', 'Friday draft', '2027-04-01'); // In progress due 27 March (Writers: ana, ben)
		b.addCard('Backlog', 'Next week', '2027-04-09'); // nothing due this week
		b.addCard('To do', 'Ben’s own', '2027-04-05', ['ben']); // To do due 26 March, but ben owns it
		const s = b.snap();
		const mine = myStepsThisWeek(s, plansOf(s, NOW), 'ana', '2027-03-24', weekRange('2027-03-24'));
		expect(mine.map((m) => [m.title, m.stageName, m.day, m.late, m.current])).toEqual([
			['Overdue outline', 'To do', '2027-03-10', true, true], // weeks overdue: still listed, first
			['Friday draft', 'To do', '2027-03-22', true, false], // Writers' step, due Monday: late
			['Friday draft', 'In progress', '2027-03-27', false, false]
		]);
		// Ben owns his card's current step; ana does not, though she is a Writer. Its next step (31 March) is next week.
		const bens = myStepsThisWeek(s, plansOf(s, NOW), 'ben', '2027-03-24', weekRange('2027-03-24')).map((m) => `${m.title}/${m.stageName}`);
		expect(bens).toEqual(['Friday draft/To do', 'Ben’s own/To do', 'Friday draft/In progress']);
		expect(myStepsThisWeek(s, plansOf(s, NOW), 'eve', '2027-03-24', weekRange('2027-03-24'))).toEqual([]);
	});
});
