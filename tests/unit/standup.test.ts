import { describe, expect, it } from 'vitest';
import { standupOrder, turnsByPerson, type OrderCard, type OrderStage } from '../../src/lib/board/standup/order.ts';
import { instantOfWallClock, standupWindowStart } from '../../src/lib/board/standup/window.ts';
import { changesByCard, commentChanges, standupChanges, type HistoryStage } from '../../src/lib/board/standup/changes.ts';
import { standupSummary, summaryText } from '../../src/lib/board/standup/summary.ts';
import type { Card, Stage } from '../../src/lib/board/types.ts';

const T0 = Date.parse('2027-03-10T09:00:00Z');
const since = T0 - 3_600_000;

describe('standupOrder', () => {
	// Board order, left to right: two queues, an active, a wait, another active, two done stages.
	const stages: OrderStage[] = [
		{ id: 'backlog', kind: 'queue' },
		{ id: 'ready', kind: 'queue' },
		{ id: 'doing', kind: 'active' },
		{ id: 'waiting', kind: 'wait' },
		{ id: 'review', kind: 'active' },
		{ id: 'shipped', kind: 'done' },
		{ id: 'archive', kind: 'done' }
	];
	const card = (id: string, stageId: string, extra: Partial<OrderCard> = {}): OrderCard => ({ id, stageId, blocked: false, movedAt: T0, ...extra });

	it('walks done, then active, then wait, then queue, the rightmost stage of a kind first', () => {
		const cards = ['backlog', 'ready', 'doing', 'waiting', 'review', 'shipped', 'archive'].map((s) => card(`c-${s}`, s));
		expect(standupOrder(stages, cards, since)).toEqual(['c-archive', 'c-shipped', 'c-review', 'c-doing', 'c-waiting', 'c-ready', 'c-backlog']);
	});

	it('puts blocked cards and cards that have not moved since the last standup first within a stage, board order otherwise', () => {
		const cards = [card('fresh-1', 'doing'), card('stale', 'doing', { movedAt: since - 1 }), card('fresh-2', 'doing'), card('blocked', 'doing', { blocked: true }), card('unknown-time', 'doing', { movedAt: Number.NaN })];
		expect(standupOrder(stages, cards, since)).toEqual(['stale', 'blocked', 'unknown-time', 'fresh-1', 'fresh-2']);
		// A move exactly at the window's start counts as moved since.
		expect(standupOrder(stages, [card('edge', 'doing', { movedAt: since }), card('old', 'doing', { movedAt: since - 1 })], since)).toEqual(['old', 'edge']);
	});

	it('leaves out cards of stages it was not given', () => {
		expect(standupOrder(stages, [card('lost', 'gone'), card('kept', 'ready')], since)).toEqual(['kept']);
	});

	it('groups by person in the given order, then other owners, then cards nobody owns; shared cards in each turn', () => {
		const cards = [card('a', 'doing', { owners: ['bo'] }), card('b', 'doing', { owners: ['al', 'bo'] }), card('c', 'doing'), card('d', 'doing', { owners: ['zed'] })];
		const order = standupOrder(stages, cards, since);
		expect(turnsByPerson(order, cards, ['al', 'bo'])).toEqual([
			{ userId: 'al', cardIds: ['b'] },
			{ userId: 'bo', cardIds: ['a', 'b'] },
			{ userId: 'zed', cardIds: ['d'] },
			{ userId: null, cardIds: ['c'] }
		]);
	});
});

describe('standupWindowStart', () => {
	it('starts at the previous standup’s end when there was one', () => {
		const end = new Date('2027-03-01T10:00:00Z');
		expect(standupWindowStart(new Date('2027-03-10T09:00:00Z'), 'Europe/Berlin', end)).toEqual(end);
	});

	it('goes 24 hours back on a working day, in the board’s zone', () => {
		// Wednesday 10:15:30.250 in Berlin (UTC+1).
		expect(standupWindowStart(new Date('2027-03-10T09:15:30.250Z'), 'Europe/Berlin', null).toISOString()).toBe('2027-03-09T09:15:30.250Z');
	});

	it('skips the weekend: on a Monday the window starts on Friday at the same time', () => {
		expect(standupWindowStart(new Date('2027-03-08T09:00:00Z'), 'UTC', null).toISOString()).toBe('2027-03-05T09:00:00.000Z');
		// Sunday and Saturday look back to Friday too.
		expect(standupWindowStart(new Date('2027-03-07T09:00:00Z'), 'UTC', null).toISOString()).toBe('2027-03-05T09:00:00.000Z');
		expect(standupWindowStart(new Date('2027-03-06T09:00:00Z'), 'UTC', null).toISOString()).toBe('2027-03-05T09:00:00.000Z');
	});

	it('uses the weekday of the board’s zone, not UTC’s', () => {
		// Monday 08:30 in Tokyo is still Sunday 23:30 in UTC: Tokyo's board looks back to Friday 08:30 Tokyo time.
		expect(standupWindowStart(new Date('2027-03-07T23:30:00Z'), 'Asia/Tokyo', null).toISOString()).toBe('2027-03-04T23:30:00.000Z');
		// The same instant on a UTC board is a Sunday: back to Friday 23:30 UTC.
		expect(standupWindowStart(new Date('2027-03-07T23:30:00Z'), 'UTC', null).toISOString()).toBe('2027-03-05T23:30:00.000Z');
	});

	it('keeps the wall-clock time across a daylight-saving change (23 hours back, not 24)', () => {
		// Berlin moves to summer time on Sunday 2027-03-28; Monday 09:00 CEST looks back to Friday 09:00 CET.
		expect(standupWindowStart(new Date('2027-03-29T07:00:00Z'), 'Europe/Berlin', null).toISOString()).toBe('2027-03-26T08:00:00.000Z');
		// New York: Tuesday after the change (2027-03-14) → Monday, same local 09:00.
		expect(standupWindowStart(new Date('2027-03-16T13:00:00Z'), 'America/New_York', null).toISOString()).toBe('2027-03-15T13:00:00.000Z');
	});

	it('maps a wall-clock time in the skipped hour past the gap, and the repeated hour to its first instant', () => {
		// 02:30 on 2027-03-28 does not exist in Berlin; 03:30 CEST is 01:30Z.
		expect(new Date(instantOfWallClock(Date.UTC(2027, 2, 28, 2, 30), 'Europe/Berlin')).toISOString()).toBe('2027-03-28T01:30:00.000Z');
		// 02:30 on 2027-10-31 happens twice in Berlin: first in CEST (00:30Z).
		expect(new Date(instantOfWallClock(Date.UTC(2027, 9, 31, 2, 30), 'Europe/Berlin')).toISOString()).toBe('2027-10-31T00:30:00.000Z');
	});
});

describe('what changed and the summary', () => {
	const historyStages = new Map<string, HistoryStage>([
		['doing', { name: 'Doing', kind: 'active' }],
		['done', { name: 'Done', kind: 'done' }],
		['done2', { name: 'Published', kind: 'done' }]
	]);
	const row = (type: string, cardId: string, at: number, extra: Partial<{ fromStageId: string; toStageId: string; data: Record<string, unknown> }> = {}) => ({
		type,
		cardId,
		at: new Date(at),
		actorId: 'u1',
		fromStageId: extra.fromStageId ?? null,
		toStageId: extra.toStageId ?? null,
		data: extra.data ?? {}
	});

	it('reads a move into done as finished, but a move between done stages as a move; keeps only standup kinds', () => {
		const changes = standupChanges(
			[
				row('moved', 'a', T0 + 2, { fromStageId: 'done', toStageId: 'done2' }),
				row('moved', 'a', T0 + 1, { fromStageId: 'doing', toStageId: 'done' }),
				row('owner_added', 'a', T0, { data: { userId: 'x' } }),
				row('signoff_decided', 'b', T0, { toStageId: 'doing', data: { stageId: 'doing', outcome: 'changes', comment: 'Fix the intro' } })
			],
			historyStages
		);
		expect(changes.map((c) => c.kind)).toEqual(['approval', 'finished', 'moved']);
		const byCard = changesByCard([...changes, ...commentChanges([{ boardId: 'b', cardId: 'a', authorId: 'u2', body: 'Looks\n\ngood <b>x</b>', createdAt: new Date(T0 + 3) }])]);
		expect(byCard.a!.map((c) => c.kind)).toEqual(['finished', 'moved', 'comment']);
		expect(byCard.a![2]).toMatchObject({ excerpt: 'Looks good <b>x</b>', actorId: 'u2' });
	});

	it('summarises finished, newly blocked, overdue, WIP breaches and pending sign-offs', () => {
		const stage = (id: string, name: string, kind: Stage['kind'], step: Stage['step'] = null): Stage => ({ id, name, rank: id, kind, wipLimit: null, wipMode: 'soft', exitCriteria: [], step });
		const approval = { ownerRole: null, offset: null, unit: 'working' as const, approval: { approvers: { userIds: ['boss'], role: null }, quorum: 'all' as const, onChanges: { sendTo: null }, onReject: { archive: false, sendTo: null } } };
		const stages = [stage('doing', 'Doing', 'active'), stage('review', 'Review', 'wait', approval), stage('done', 'Done', 'done')];
		const card = (id: string, stageId: string, extra: Partial<Card> = {}): Card => ({ id, title: id.toUpperCase(), description: '', stageId, rank: 'a', owners: [], due: null, labels: [], blocked: null, checklist: [], exitChecks: {}, movedAt: '', archived: false, target: null, stepDues: {}, handoff: null, signoffs: {}, ...extra });
		const blocker = { reason: 'x', by: 'u1', at: '' };
		const cards = [card('fin', 'done', { due: '2027-03-01' }), card('blk', 'doing', { blocked: blocker }), card('unblocked-since', 'doing'), card('late', 'doing', { due: '2027-03-09' }), card('today', 'doing', { due: '2027-03-10' }), card('rev', 'review'), card('gone', 'done', { archived: true })];
		const changes = standupChanges(
			[row('moved', 'fin', T0, { fromStageId: 'doing', toStageId: 'done' }), row('moved', 'gone', T0, { fromStageId: 'doing', toStageId: 'done' }), row('blocked', 'blk', T0, { data: { reason: 'x' } }), row('blocked', 'unblocked-since', T0, { data: { reason: 'y' } })],
			historyStages
		);
		const summary = standupSummary({ stages, cards, changes, breaches: [{ toStageId: 'doing', data: { over: 1 } }, { toStageId: 'doing', data: { over: 2 } }, { toStageId: 'old', data: { over: 1 } }], today: '2027-03-10', teamRoles: {}, stageNames: new Map([['old', 'Old stage']]) });
		expect(summary.finished.map((c) => c.id)).toEqual(['fin']);
		expect(summary.newlyBlocked.map((c) => c.id)).toEqual(['blk']);
		expect(summary.overdue.map((c) => c.id)).toEqual(['late']);
		expect(summary.wipBreaches).toEqual([
			{ stageId: 'doing', stage: 'Doing', over: 2, times: 2 },
			{ stageId: 'old', stage: 'Old stage', over: 1, times: 1 }
		]);
		expect(summary.waitingForApproval.map((c) => c.id)).toEqual(['rev']);
		const text = summaryText(summary, 'Standup');
		expect(text).toContain('Finished (1):\n- FIN (Done)');
		expect(text).toContain('Doing: up to 2 over, 2 times');
		expect(summaryText(standupSummary({ stages, cards: [], changes: [], breaches: [], today: '2027-03-10', teamRoles: {} }), 'S')).toMatch(/Nothing finished/);
		// Without a filter the heading is as given; with one, the summary and its text say which.
		expect(summary.filter).toBeNull();
		expect(text.split('\n')[0]).toBe('Standup');
		const filtered = standupSummary({ stages, cards: [], changes: [], breaches: [], today: '2027-03-10', teamRoles: {}, filter: 'label:seo owner:@sam' });
		expect(filtered.filter).toBe('label:seo owner:@sam');
		expect(summaryText(filtered, 'Standup on Blog').split('\n')[0]).toBe('Standup on Blog, cards matching label:seo owner:@sam');
	});
});

describe('the speaker timer and the shared focus', () => {
	it('turns amber at three quarters of the limit and red past it, and keeps counting', async () => {
		const { timerState, formatElapsed } = await import('../../src/lib/board/standup/timer.ts');
		expect([timerState(0, 120_000), timerState(89_999, 120_000), timerState(90_000, 120_000), timerState(120_000, 120_000), timerState(120_001, 120_000)]).toEqual(['ok', 'ok', 'amber', 'amber', 'red']);
		expect([formatElapsed(0), formatElapsed(61_500), formatElapsed(3_725_000)]).toEqual(['0:00', '1:01', '62:05']);
	});

	it('follows only the facilitator’s own focus for this standup, their latest tab, and ignores malformed states', async () => {
		const { facilitatorFocus, announcedStandups } = await import('../../src/lib/board/standup/focus.ts');
		const focus = (seq: number, cardId: string, standupId = 's1') => ({ standupId, cardId, mode: 'board', personId: null, phase: 'walk', seq });
		const states = [
			{ state: { user: { id: 'impostor' }, standup: focus(99, 'wrong') } },
			{ state: { user: { id: 'fac' }, standup: focus(3, 'old-tab') } },
			{ state: { user: { id: 'fac' }, standup: focus(5, 'card-b') } },
			{ state: { user: { id: 'fac' }, standup: focus(9, 'other-standup', 's0') } },
			{ state: { user: { id: 'fac' }, standup: { ...focus(10, 'bad'), cardId: '<img src=x>' } } },
			{ state: { user: { id: 'fac' }, standup: 'nonsense' } }
		];
		expect(facilitatorFocus(states, 'fac', 's1')?.cardId).toBe('card-b');
		expect(facilitatorFocus(states, 'nobody', 's1')).toBeNull();
		expect(announcedStandups(states).sort()).toEqual(['s0', 's1']);
	});
});
