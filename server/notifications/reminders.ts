import type { Clock } from '../../src/lib/server/clock.ts';
import type { Db } from '../../src/lib/server/db/client.ts';
import type { BoardDocuments } from '../../src/lib/server/board-documents.ts';
import type { JobQueue } from '../../src/lib/server/jobs/job-queue.ts';
import type { ClaimedJob } from '../../src/lib/server/jobs/queue.ts';
import type { NotificationInput } from '../../src/lib/server/notifications/notify.ts';
import { membersAmong, readBoardNotice, type BoardNotice } from '../../src/lib/server/notifications/board-audience.ts';
import { currentDue, dueItems, type DueItem } from '../../src/lib/notifications/due-items.ts';
import type { Card, Stage, BoardProcess } from '../../src/lib/board/types.ts';

const HOUR = 3_600_000;

/** Job kind of a due reminder (`due_soon` at each threshold, `overdue` at the due moment). */
export const REMINDER_JOB = 'notify.reminder';
/** Job kind of the "blocked too long" alert. */
export const BLOCKED_JOB = 'notify.blocked';

/** What reminders need from the running app. */
export interface ReminderDeps {
	db: Db;
	clock: Clock;
	jobs: JobQueue;
	documents: BoardDocuments;
	notify(input: NotificationInput): Promise<number | null>;
	/** Job keys this process already put on the queue (a key is used once, ever): a board's next load skips them. */
	scheduled?: ScheduledKeys;
}

/** Remembers job keys already enqueued, up to a bound (then it starts over: enqueuing a known key is merely a no-op). */
export class ScheduledKeys {
	private keys = new Set<string>();
	constructor(private readonly max = 100_000) {}
	/** Whether `key` was enqueued by this process. */
	has(key: string): boolean {
		return this.keys.has(key);
	}
	/** Remembers `key`. */
	add(key: string): void {
		if (this.keys.size >= this.max) this.keys = new Set();
		this.keys.add(key);
	}
}

/** A card with the workflow it is planned against, as `readBoard` answers. */
export interface CardInWorkflow {
	card: Card;
	stages: Stage[];
	process: BoardProcess;
}

interface ReminderPayload {
	boardId: string;
	cardId: string;
	step: string;
	kind: 'due_soon' | 'overdue';
	hours: number;
	day: string;
}

interface BlockedPayload {
	boardId: string;
	cardId: string;
	blockedAt: string;
	hours: number;
}

/** The notification key of a reminder: once per card, step, kind, threshold and due date, whoever sends it. */
export const reminderKey = (p: Pick<ReminderPayload, 'cardId' | 'step' | 'kind' | 'hours' | 'day'>): string => `reminder:${p.cardId}:${p.step}:${p.kind}:${p.hours}:${p.day}`;

/**
 * Enqueues the reminders a card's due dates and blocker call for (each keyed, so enqueuing again is a no-op): at each
 * board threshold before a due date that lies ahead (of thresholds already passed, only the nearest, at once: a due
 * date set 20 hours ahead gets the 24-hour reminder, not the 48-hour one too), `overdue` at the due moment, and
 * `blocked_long` once a blocker is older than the board's alert time. A due date already past gets nothing new.
 */
export async function scheduleCard(deps: ReminderDeps, boardId: string, reading: CardInWorkflow, notice: BoardNotice): Promise<void> {
	const now = deps.clock.now();
	const jobs: { runAt: Date; payload: ReminderPayload | BlockedPayload; kind: string; key: string }[] = [];
	const { card } = reading;
	for (const item of dueItems(card, reading.stages, reading.process, now)) {
		if (item.dueAt.getTime() <= now.getTime()) continue;
		const passed: number[] = [];
		for (const hours of notice.settings.reminderHours) {
			const runAt = new Date(item.dueAt.getTime() - hours * HOUR);
			if (runAt.getTime() > now.getTime()) jobs.push(reminderJob(boardId, card.id, item, 'due_soon', hours, runAt));
			else passed.push(hours);
		}
		if (passed.length > 0) jobs.push(reminderJob(boardId, card.id, item, 'due_soon', Math.min(...passed), now));
		jobs.push(reminderJob(boardId, card.id, item, 'overdue', 0, item.dueAt));
	}
	const stage = reading.stages.find((s) => s.id === card.stageId);
	if (card.blocked && !card.archived && stage?.kind !== 'done') {
		const hours = notice.settings.blockedAlertHours;
		const blockedAt = card.blocked.at;
		const since = Date.parse(blockedAt);
		if (Number.isFinite(since)) {
			jobs.push({ kind: BLOCKED_JOB, runAt: new Date(Math.max(since + hours * HOUR, now.getTime())), payload: { boardId, cardId: card.id, blockedAt, hours }, key: `blocked:${boardId}:${card.id}:${blockedAt}:${hours}` });
		}
	}
	for (const job of jobs) {
		// Every load of a board schedules all its cards again: what this process already queued costs nothing.
		if (deps.scheduled?.has(job.key)) continue;
		await deps.jobs.enqueue({ kind: job.kind, payload: { ...job.payload }, runAt: job.runAt, key: job.key });
		deps.scheduled?.add(job.key);
	}
}

function reminderJob(boardId: string, cardId: string, item: DueItem, kind: ReminderPayload['kind'], hours: number, runAt: Date) {
	const payload: ReminderPayload = { boardId, cardId, step: item.step, kind, hours, day: item.day };
	return { kind: REMINDER_JOB, runAt, payload, key: `${REMINDER_JOB}:${boardId}:${reminderKey(payload)}` };
}

/** Reads a card as the job runs (loading the board if nobody has it open); null when the card or board is gone. */
async function readCard(deps: ReminderDeps, boardId: string, cardId: string): Promise<CardInWorkflow | null> {
	try {
		const reading = await deps.documents.readBoard(boardId, { kind: 'card', cardId });
		return reading.card ? { card: reading.card, stages: reading.stages, process: reading.process } : null;
	} catch (err) {
		// A board deleted since the job was made: nothing to remind of.
		if ((err as Error | null)?.name === 'RoomUnavailableError') return null;
		throw err;
	}
}

/** Runs a reminder job: sends it to the card's owners only if it still holds (same due date, not done or archived). */
export async function runReminder(deps: ReminderDeps, job: ClaimedJob): Promise<void> {
	const p = job.payload as unknown as ReminderPayload;
	const reading = await readCard(deps, p.boardId, p.cardId);
	if (!reading) return;
	const now = deps.clock.now();
	const item = currentDue(reading.card, reading.stages, reading.process, now, p.step);
	if (!item || item.day !== p.day) return;
	// A "due soon" that could only run after the due moment (the server was down) is superseded by "overdue".
	if (p.kind === 'due_soon' && now.getTime() >= item.dueAt.getTime()) return;
	const notice = await readBoardNotice(deps.db, p.boardId);
	if (!notice) return;
	// A reminder whose nearer threshold has passed too (it ran late) is superseded by that one: one reminder, not two.
	if (p.kind === 'due_soon' && notice.settings.reminderHours.some((h) => h < p.hours && now.getTime() >= item.dueAt.getTime() - h * HOUR)) return;
	const owners = await membersAmong(deps.db, p.boardId, reading.card.owners);
	const what = item.stepName ? `The ${item.stepName} step of “${reading.card.title}” on ${notice.name}` : `“${reading.card.title}” on ${notice.name}`;
	const title = p.kind === 'overdue' ? `${what} is overdue (due ${item.day})` : `${what} is due in ${p.hours} hours (${item.day})`;
	for (const userId of owners) {
		await deps.notify({
			userId,
			kind: p.kind,
			title,
			boardId: p.boardId,
			cardId: p.cardId,
			data: { cardId: p.cardId, cardTitle: reading.card.title, step: p.step, due: item.day, hours: p.hours, late: job.late },
			ruleId: 'process',
			key: reminderKey(p)
		});
	}
}

/** Runs a blocked alert: tells the owners and the process owner if the card is still blocked by the same blocker. */
export async function runBlockedAlert(deps: ReminderDeps, job: ClaimedJob): Promise<void> {
	const p = job.payload as unknown as BlockedPayload;
	const reading = await readCard(deps, p.boardId, p.cardId);
	if (!reading) return;
	const { card, stages } = reading;
	if (!card.blocked || card.blocked.at !== p.blockedAt || card.archived || stages.find((s) => s.id === card.stageId)?.kind === 'done') return;
	const notice = await readBoardNotice(deps.db, p.boardId);
	if (!notice) return;
	const people = await membersAmong(deps.db, p.boardId, [...card.owners, ...notice.processOwners]);
	const reason = card.blocked.reason ? `: ${card.blocked.reason}` : '';
	for (const userId of people) {
		await deps.notify({
			userId,
			kind: 'blocked_long',
			title: `“${card.title}” on ${notice.name} has been blocked for over ${p.hours} hours`,
			body: `Blocked since ${p.blockedAt}${reason}`,
			boardId: p.boardId,
			cardId: p.cardId,
			data: { cardId: p.cardId, cardTitle: card.title, blockedAt: p.blockedAt, hours: p.hours },
			ruleId: 'process',
			key: `blocked_long:${p.cardId}:${p.blockedAt}:${p.hours}`
		});
	}
}
