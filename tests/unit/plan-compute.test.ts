import { describe, expect, it } from 'vitest';
import { PlanError } from '../../src/lib/board/plan/errors.ts';
import { computePlan, type PlanInput, type PlanStep, type StageVisit } from '../../src/lib/board/plan/plan.ts';

// The blog post process, offsets in calendar days before publishing.
const blog: PlanStep[] = [
	{ stageId: 'idea', name: 'Generate idea', ownerRole: 'strategist', offset: 30, unit: 'calendar' },
	{ stageId: 'keywords', name: 'Keyword research', ownerRole: 'seo', offset: 25, unit: 'calendar' },
	{ stageId: 'outline', name: 'Outline', ownerRole: 'writer', offset: 20, unit: 'calendar' },
	{ stageId: 'approve', name: 'Approve outline', ownerRole: 'editor', offset: 15, unit: 'calendar' },
	{ stageId: 'draft', name: 'Final draft', ownerRole: 'writer', offset: 10, unit: 'calendar' },
	{ stageId: 'images', name: 'Images', ownerRole: 'designer', offset: 5, unit: 'calendar' },
	{ stageId: 'social', name: 'Schedule social promotion', ownerRole: 'social', offset: 4, unit: 'calendar' },
	{ stageId: 'publish', name: 'Publish and review', ownerRole: 'editor', offset: 0, unit: 'calendar' }
];

const at = (iso: string) => new Date(iso);
const visit = (stageId: string, enteredAt: string | null, leftAt: string | null = null): StageVisit => ({
	stageId,
	enteredAt: enteredAt === null ? null : at(enteredAt),
	leftAt: leftAt === null ? null : at(leftAt)
});

const plan = (over: Partial<PlanInput>) =>
	computePlan({
		steps: blog,
		targetDate: '2027-03-31',
		targetSetAt: at('2027-02-20T09:00:00Z'),
		timeZone: 'Europe/Berlin',
		visits: [],
		currentStageId: 'idea',
		handSet: {},
		now: at('2027-02-20T09:00:00Z'),
		...over
	});

const table = (steps: ReturnType<typeof computePlan>) => Object.fromEntries(steps.map((s) => [s.stageId, s.plannedDue]));
const statuses = (steps: ReturnType<typeof computePlan>) => Object.fromEntries(steps.map((s) => [s.stageId, s.status]));

describe('the blog post plan', () => {
	it('dates every step from the publish date (Wednesday 31 March 2027)', () => {
		const steps = plan({ visits: [visit('idea', '2027-02-20T09:00:00Z')] });
		expect(table(steps)).toEqual({
			idea: '2027-03-01',
			keywords: '2027-03-06',
			outline: '2027-03-11',
			approve: '2027-03-16',
			draft: '2027-03-21',
			images: '2027-03-26',
			social: '2027-03-27',
			publish: '2027-03-31'
		});
		expect(statuses(steps)).toEqual({
			idea: 'current',
			keywords: 'upcoming',
			outline: 'upcoming',
			approve: 'upcoming',
			draft: 'upcoming',
			images: 'upcoming',
			social: 'upcoming',
			publish: 'upcoming'
		});
		expect(steps.every((s) => !s.setByHand && s.shortBy === null)).toBe(true);
		expect(steps[0]?.enteredAt).toEqual(at('2027-02-20T09:00:00Z'));
	});

	it('counts working-day offsets over weekends, never landing on one', () => {
		const working = blog.map((s) => ({ ...s, unit: 'working' as const }));
		expect(table(plan({ steps: working }))).toEqual({
			idea: '2027-02-17',
			keywords: '2027-02-24',
			outline: '2027-03-03',
			approve: '2027-03-10',
			draft: '2027-03-17',
			images: '2027-03-24',
			social: '2027-03-25',
			publish: '2027-03-31'
		});
		// Publishing on a Sunday: the publish step is due the Friday before.
		expect(plan({ steps: working, targetDate: '2027-03-28' }).at(-1)?.plannedDue).toBe('2027-03-26');
	});

	it('gives a step without an offset no date, and never calls it late', () => {
		const steps = plan({
			steps: blog.map((s) => (s.stageId === 'images' ? { ...s, offset: null } : s)),
			now: at('2027-04-10T09:00:00Z')
		});
		const images = steps.find((s) => s.stageId === 'images');
		expect(images?.plannedDue).toBeNull();
		expect(images?.status).toBe('upcoming');
		expect(plan({ targetDate: null }).every((s) => s.plannedDue === null)).toBe(true);
	});
});

describe('progress and lateness', () => {
	const history = [visit('idea', '2027-02-20T09:00:00Z', '2027-03-02T10:00:00Z'), visit('keywords', '2027-03-02T10:00:00Z')];

	it('marks steps done, current, late and upcoming as the days pass', () => {
		const steps = plan({ visits: history, currentStageId: 'keywords', now: at('2027-03-15T09:00:00Z') });
		expect(statuses(steps)).toMatchObject({ idea: 'done', keywords: 'late', outline: 'late', approve: 'upcoming' });
		// A finished step shows the day it was finished, not its plan.
		expect(steps[0]?.plannedDue).toBe('2027-03-02');
		expect(steps[0]?.leftAt).toEqual(at('2027-03-02T10:00:00Z'));
	});

	it('reads "today" in the board\'s time zone', () => {
		// 23:30 UTC on 15 March is already the 16th in Berlin but still the 15th in New York.
		const now = at('2027-03-15T23:30:00Z');
		const visits = [...history.slice(0, 1), visit('keywords', '2027-03-02T10:00:00Z', '2027-03-08T10:00:00Z'), visit('outline', '2027-03-08T10:00:00Z', '2027-03-10T10:00:00Z'), visit('approve', '2027-03-10T10:00:00Z')];
		// Publishing on 30 March puts "Approve outline" on the 15th.
		const approve = (timeZone: string) => plan({ visits, currentStageId: 'approve', now, timeZone, targetDate: '2027-03-30' }).find((s) => s.stageId === 'approve')?.status;
		expect(approve('Europe/Berlin')).toBe('late');
		expect(approve('America/New_York')).toBe('current');
	});

	it('takes the day a step was finished in the board\'s time zone', () => {
		const visits = [visit('idea', '2027-02-20T09:00:00Z', '2027-03-01T23:30:00Z'), visit('keywords', '2027-03-01T23:30:00Z')];
		expect(plan({ visits, currentStageId: 'keywords', timeZone: 'Europe/Berlin' })[0]?.plannedDue).toBe('2027-03-02');
		expect(plan({ visits, currentStageId: 'keywords', timeZone: 'America/Los_Angeles' })[0]?.plannedDue).toBe('2027-03-01');
	});

	it('treats a step the card went back before as not done, and a skipped one as done', () => {
		const visits = [
			visit('idea', '2027-02-20T09:00:00Z', '2027-02-22T09:00:00Z'),
			visit('outline', '2027-02-22T09:00:00Z', '2027-02-24T09:00:00Z'),
			visit('approve', '2027-02-24T09:00:00Z', '2027-02-25T09:00:00Z'),
			visit('outline', '2027-02-25T09:00:00Z')
		];
		const steps = plan({ visits, currentStageId: 'outline', now: at('2027-02-26T09:00:00Z') });
		expect(statuses(steps)).toMatchObject({ idea: 'done', keywords: 'done', outline: 'current', approve: 'upcoming' });
		expect(steps.find((s) => s.stageId === 'keywords')?.plannedDue).toBe('2027-03-06'); // skipped: its plan stays
		const outline = steps.find((s) => s.stageId === 'outline');
		expect(outline?.enteredAt).toEqual(at('2027-02-25T09:00:00Z'));
		expect(outline?.leftAt).toBeNull();
		expect(steps.find((s) => s.stageId === 'approve')?.leftAt).toEqual(at('2027-02-25T09:00:00Z'));
	});

	it('counts every step done once the card has left the last one', () => {
		const visits = blog.map((s, i) => visit(s.stageId, `2027-03-${String(i + 1).padStart(2, '0')}T09:00:00Z`, `2027-03-${String(i + 2).padStart(2, '0')}T09:00:00Z`));
		const steps = plan({ visits, currentStageId: 'archive', now: at('2027-04-20T09:00:00Z') });
		expect(steps.every((s) => s.status === 'done')).toBe(true);
		expect(steps.at(-1)?.plannedDue).toBe('2027-03-09');
		expect(plan({ currentStageId: 'backlog' }).every((s) => s.status === 'upcoming')).toBe(true);
	});
});

describe('re-planning when the target date moves', () => {
	const visits = [
		visit('idea', '2027-02-20T09:00:00Z', '2027-03-02T10:00:00Z'),
		visit('keywords', '2027-03-02T10:00:00Z', '2027-03-08T10:00:00Z'),
		visit('outline', '2027-03-08T10:00:00Z')
	];
	const now = at('2027-03-15T09:00:00Z');

	it('keeps finished steps and hand-set dates, and moves the rest with the target', () => {
		const before = plan({ visits, currentStageId: 'outline', handSet: { images: '2027-03-24' }, now: at('2027-03-09T09:00:00Z') });
		const after = plan({ visits, currentStageId: 'outline', handSet: { images: '2027-03-24' }, now, targetDate: '2027-04-14', targetSetAt: now });
		expect(table(before)).toMatchObject({ idea: '2027-03-02', keywords: '2027-03-08', outline: '2027-03-11', images: '2027-03-24', publish: '2027-03-31' });
		expect(table(after)).toEqual({
			idea: '2027-03-02',
			keywords: '2027-03-08',
			outline: '2027-03-25',
			approve: '2027-03-30',
			draft: '2027-04-04',
			images: '2027-03-24',
			social: '2027-04-10',
			publish: '2027-04-14'
		});
		expect(after.filter((s) => s.setByHand).map((s) => s.stageId)).toEqual(['images']);
		expect(statuses(after)).toMatchObject({ idea: 'done', keywords: 'done', outline: 'current', images: 'upcoming' });
		// Reset: without the hand-set date, images follows the target again.
		expect(table(plan({ visits, currentStageId: 'outline', now, targetDate: '2027-04-14', targetSetAt: now })).images).toBe('2027-04-09');
	});

	it('flags steps that no longer fit an earlier target, with the calendar days they are short', () => {
		const steps = plan({ visits, currentStageId: 'outline', now, targetDate: '2027-03-25', targetSetAt: now, handSet: { social: '2027-03-12' } });
		const by = Object.fromEntries(steps.map((s) => [s.stageId, s]));
		expect(by.outline).toMatchObject({ plannedDue: '2027-03-05', status: 'cannot_fit', shortBy: 10 });
		expect(by.approve).toMatchObject({ plannedDue: '2027-03-10', status: 'cannot_fit', shortBy: 5 });
		expect(by.draft).toMatchObject({ plannedDue: '2027-03-15', status: 'upcoming', shortBy: null }); // due today still fits
		// A date a person chose stays theirs: past it is late, not a planning failure.
		expect(by.social).toMatchObject({ plannedDue: '2027-03-12', setByHand: true, status: 'late', shortBy: null });
		expect(by.idea).toMatchObject({ status: 'done', plannedDue: '2027-03-02' });
	});

	it('tells a step that never fitted (cannot fit) from one whose date passed since (late)', () => {
		const set = (targetSetAt: Date) => plan({ visits, currentStageId: 'outline', now, targetSetAt }).find((s) => s.stageId === 'outline');
		expect(set(at('2027-02-20T09:00:00Z'))?.status).toBe('late'); // due 11 March, planned in February
		expect(set(now)).toMatchObject({ status: 'cannot_fit', shortBy: 4 });
	});

	it('counts the shortfall of a working-day step in working days, also on a weekend', () => {
		const steps: PlanStep[] = [
			{ stageId: 'brief', name: 'Brief', ownerRole: null, offset: 10, unit: 'working' },
			{ stageId: 'launch', name: 'Launch', ownerRole: null, offset: 0, unit: 'working' }
		];
		const short = (nowIso: string) =>
			computePlan({ steps, targetDate: '2027-03-19', targetSetAt: at(nowIso), timeZone: 'Europe/Berlin', visits: [], currentStageId: 'brief', handSet: {}, now: at(nowIso) })[0];
		// Due Friday 5 March; on Monday 15 March the brief is 6 working days short.
		expect(short('2027-03-15T09:00:00Z')).toMatchObject({ plannedDue: '2027-03-05', status: 'cannot_fit', shortBy: 6 });
		// On Saturday the earliest it can be done is Monday: still 6, not 5.
		expect(short('2027-03-13T09:00:00Z')).toMatchObject({ status: 'cannot_fit', shortBy: 6 });
		expect(short('2027-03-08T09:00:00Z')).toMatchObject({ status: 'cannot_fit', shortBy: 1 });
	});
});

describe('plan input', () => {
	const code = (fn: () => unknown) => {
		try {
			fn();
		} catch (error) {
			return error instanceof PlanError ? error.code : 'other';
		}
		return 'none';
	};

	it('refuses a process, dates or a time zone that make no sense', () => {
		expect(code(() => plan({ steps: [...blog, blog[0]!] }))).toBe('invalid_plan');
		expect(code(() => plan({ steps: [{ ...blog[0]!, offset: 2.5 }] }))).toBe('invalid_plan');
		expect(code(() => plan({ targetDate: '2027-02-30' }))).toBe('invalid_day');
		expect(code(() => plan({ handSet: { images: '31/03/2027' } }))).toBe('invalid_day');
		expect(code(() => plan({ timeZone: 'Berlin' }))).toBe('invalid_time_zone');
		expect(code(() => plan({ now: new Date('soon') }))).toBe('invalid_instant');
		expect(code(() => plan({}))).toBe('none');
	});
});
