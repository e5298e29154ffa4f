import { describe, expect, it } from 'vitest';
import { AFTER_LAST_STEP, latenessBreakdown, reviewMissedCard, type MissedCardInput, type ReviewStep } from '../../src/lib/board/metrics/deadlines/missed.ts';
import { dayEndIn } from '../../src/lib/board/metrics/deadlines/day-end.ts';
import { seededRandom } from '../../src/lib/board/metrics/deadlines/risk.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t = (iso: string) => Date.parse(iso);

// Target 2026-03-10: Draft is due 03-05, Review 03-08, Publish 03-10 (calendar days, UTC).
const steps: ReviewStep[] = [
	{ stageId: 'draft', name: 'Draft', ownerRole: 'writer', offset: 5, unit: 'calendar', approval: false },
	{ stageId: 'review', name: 'Review', ownerRole: 'editor', offset: 2, unit: 'calendar', approval: true },
	{ stageId: 'publish', name: 'Publish', ownerRole: null, offset: 0, unit: 'calendar', approval: false }
];

// Left Draft a day after its day ended, Review two days after its day, Publish two days after its day: the
// lateness (2 days and 1 ms after the end of 03-10) splits into Draft 1 day + 1 ms and Review 1 day.
const lateCard: MissedCardInput = {
	cardId: 'c1',
	title: 'Spring post',
	target: '2026-03-10',
	finishedAt: t('2026-03-13T00:00:00Z'),
	stays: [
		{ stageId: 'draft', enteredAt: t('2026-03-01T00:00:00Z'), leftAt: t('2026-03-07T00:00:00Z'), owners: ['wendy'] },
		{ stageId: 'review', enteredAt: t('2026-03-07T00:00:00Z'), leftAt: t('2026-03-11T00:00:00Z'), owners: ['ed', 'eva'] },
		{ stageId: 'publish', enteredAt: t('2026-03-11T00:00:00Z'), leftAt: t('2026-03-13T00:00:00Z'), owners: ['pat'] },
		{ stageId: 'done', enteredAt: t('2026-03-13T00:00:00Z'), leftAt: null, owners: ['pat'] }
	],
	blocked: [{ from: t('2026-03-08T00:00:00Z'), to: t('2026-03-09T06:00:00Z') }],
	decisions: [{ stageId: 'review', at: t('2026-03-10T18:00:00Z') }]
};

describe('missed-deadline review of one card', () => {
	it('splits a late card over the two steps that ran late, with planned and actual days, blocks and sign-off wait', () => {
		const review = reviewMissedCard(lateCard, steps, 'UTC')!;
		expect(review.lateMs).toBe(2 * DAY + 1);
		expect(review.steps.map((s) => [s.stageId, s.lateMs])).toEqual([
			['draft', DAY + 1],
			['review', DAY],
			['publish', 0],
			[null, 0]
		]);
		const [draft, rev, publish, after] = review.steps;
		expect(draft).toMatchObject({ plannedDue: '2026-03-05', plannedDays: null, actualMs: 6 * DAY, blockedMs: 0, signoffWaitMs: 0, owners: ['wendy'], ownerRole: 'writer' });
		expect(rev).toMatchObject({ plannedDue: '2026-03-08', plannedDays: 3, actualMs: 4 * DAY, blockedMs: 30 * HOUR, signoffWaitMs: 3 * DAY + 18 * HOUR, owners: ['ed', 'eva'] });
		expect(publish).toMatchObject({ plannedDue: '2026-03-10', plannedDays: 2, actualMs: 2 * DAY });
		expect(after).toMatchObject({ name: AFTER_LAST_STEP, plannedDays: 0 });
	});

	it('is null for a card done by the end of its target day in the board’s time zone, and for one done early', () => {
		// 03:00 UTC on 03-11 is 23:00 on 03-10 in New York (daylight saving time began 03-08).
		expect(reviewMissedCard({ ...lateCard, finishedAt: t('2026-03-11T03:00:00Z') }, steps, 'America/New_York')).toBeNull();
		expect(reviewMissedCard({ ...lateCard, finishedAt: t('2026-03-11T03:00:00Z') }, steps, 'UTC')).not.toBeNull();
		expect(reviewMissedCard({ ...lateCard, finishedAt: dayEndIn('2026-03-10', 'UTC') }, steps, 'UTC')).toBeNull();
	});

	it('gives a step that caught up a negative share and the time after the last step the rest', () => {
		// Review left on its own day (caught a day up); Publish left 3 days late; done 4 days late.
		const card: MissedCardInput = {
			...lateCard,
			finishedAt: t('2026-03-15T00:00:00Z'),
			stays: [
				{ stageId: 'draft', enteredAt: t('2026-03-01T00:00:00Z'), leftAt: t('2026-03-07T00:00:00Z'), owners: [] },
				{ stageId: 'review', enteredAt: t('2026-03-07T00:00:00Z'), leftAt: t('2026-03-08T12:00:00Z'), owners: [] },
				{ stageId: 'publish', enteredAt: t('2026-03-08T12:00:00Z'), leftAt: t('2026-03-14T00:00:00Z'), owners: [] },
				{ stageId: 'scheduled', enteredAt: t('2026-03-14T00:00:00Z'), leftAt: t('2026-03-15T00:00:00Z'), owners: [] }
			],
			blocked: [],
			decisions: []
		};
		const review = reviewMissedCard(card, steps, 'UTC')!;
		expect(review.steps.map((s) => s.lateMs)).toEqual([DAY + 1, -(DAY + 12 * HOUR), 3 * DAY + 12 * HOUR, DAY]);
		// No decision in Review: it waited for sign-off all its stay.
		expect(review.steps[1]!.signoffWaitMs).toBe(DAY + 12 * HOUR);
	});
});

describe('lateness over a range', () => {
	it('names the steps, roles and people, largest first, a step’s share split among its owners', () => {
		const one = reviewMissedCard(lateCard, steps, 'UTC')!;
		const two = reviewMissedCard({ ...lateCard, cardId: 'c2', finishedAt: t('2026-03-14T00:00:00Z'), stays: lateCard.stays.map((s) => (s.stageId === 'publish' ? { ...s, leftAt: t('2026-03-14T00:00:00Z') } : s)) }, steps, 'UTC')!;
		const breakdown = latenessBreakdown([one, two]);
		expect(breakdown.totalLateMs).toBe(5 * DAY + 2);
		expect(breakdown.byStep.map((s) => [s.name, s.lateMs, s.cards])).toEqual([
			['Draft', 2 * DAY + 2, 2],
			['Review', 2 * DAY, 2],
			['Publish', DAY, 2],
			[AFTER_LAST_STEP, 0, 2]
		]);
		expect(breakdown.byRole[0]).toEqual({ key: 'writer', lateMs: 2 * DAY + 2, cards: 2 });
		expect(breakdown.byPerson.slice(0, 4).map((p) => [p.key, p.lateMs])).toEqual([
			['wendy', 2 * DAY + 2],
			['ed', DAY],
			['eva', DAY],
			['pat', DAY]
		]);
	});
});

describe('property: the steps’ shares sum to the card’s lateness', () => {
	it('holds for 500 random histories (fixed seed)', () => {
		const random = seededRandom(15);
		const int = (n: number) => Math.floor(random() * n);
		let late = 0;
		for (let run = 0; run < 500; run++) {
			const count = 1 + int(5);
			const randomSteps: ReviewStep[] = Array.from({ length: count }, (_, i) => ({
				stageId: `s${i}`,
				name: `Step ${i}`,
				ownerRole: int(3) === 0 ? null : `role${int(3)}`,
				offset: int(4) === 0 ? null : (count - i) * 2 - int(2),
				unit: int(2) === 0 ? 'working' : 'calendar',
				approval: int(2) === 0
			}));
			const start = t('2026-01-05T00:00:00Z') + int(10 * DAY);
			let at = start;
			const stays: MissedCardInput['stays'][number][] = [];
			for (let k = 0; k < 2 + int(8); k++) {
				const next = at + 1 + int(5 * DAY);
				stays.push({ stageId: `s${int(count)}`, enteredAt: at, leftAt: next, owners: int(2) ? ['u1'] : ['u1', 'u2'] });
				at = next;
			}
			const card: MissedCardInput = { cardId: `c${run}`, title: '', target: '2026-01-20', finishedAt: at, stays, blocked: [], decisions: [] };
			const review = reviewMissedCard(card, randomSteps, int(2) ? 'UTC' : 'Europe/Berlin');
			if (!review) continue;
			late++;
			expect(review.steps.reduce((sum, s) => sum + s.lateMs, 0)).toBe(review.lateMs);
			const breakdown = latenessBreakdown([review]);
			expect(breakdown.byStep.reduce((sum, s) => sum + s.lateMs, 0)).toBe(review.lateMs);
			expect(breakdown.byPerson.reduce((sum, s) => sum + s.lateMs, 0)).toBeCloseTo(review.lateMs, 3);
		}
		// Most random cards finish late: the property was checked, not skipped.
		expect(late).toBeGreaterThan(200);
	});
});
