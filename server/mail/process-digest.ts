import type { AppContext } from '../../src/lib/server/context.ts';
import type { ClaimedJob } from '../../src/lib/server/jobs/queue.ts';
import { digestRecipients, type DigestRecipient } from '../../src/lib/server/process-review/digest-recipients.ts';
import { digestWorthSending, weeklyDigest, type DigestWeek } from '../../src/lib/server/process-review/weekly-digest.ts';
import { processDigestMail } from '../../src/lib/server/mail/process-digest-mail.ts';
import { addDays, anyZoneMondayAt, lastMondayAt } from '../../src/lib/server/mail/weekly-time.ts';
import { cardUrl, mailOrigin } from '../../src/lib/server/mail/compose.ts';
import { unsubscribeToken } from '../../src/lib/server/mail/unsubscribe.ts';
import { userEmail } from '../../src/lib/server/mail/admin.ts';
import { isTimeZone } from '../../src/lib/server/mail/local-time.ts';
import { readBoardNotice } from '../../src/lib/server/notifications/board-audience.ts';
import { channelFor } from '../../src/lib/server/notifications/notify.ts';
import { channelHasEmail, NOTIFICATION_KINDS } from '../../src/lib/notifications/kinds.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import { deliverOnce } from './deliver.ts';

/** Job kind of the hourly look for weekly process digests falling due. */
export const PROCESS_DIGEST_SWEEP_JOB = 'process_digest.sweep';
/** Job kind of one person's weekly digest of one board. */
export const PROCESS_DIGEST_JOB = 'process_digest.send';
/** The digest's local time: Mondays at this hour. */
export const PROCESS_DIGEST_HOUR = 8;
const EVERY_MS = 3_600_000;
const DAY = 86_400_000;

/** Payload of a `process_digest.send` job: whose, which board, and the week it tells about. */
export interface ProcessDigestPayload {
	boardId: string;
	userId: string;
	/** The local Monday it is sent on. */
	monday: string;
	week: DigestWeek;
}

type Deps = Pick<AppContext, 'db' | 'documents' | 'clock' | 'mailer' | 'publicOrigin'>;
type Jobs = Pick<JobRunner, 'handle' | 'enqueue'>;

/** The top of the hour at or before `ms`. */
const hourOf = (ms: number): number => Math.floor(ms / EVERY_MS) * EVERY_MS;

/** The board's own time zone (for people who never saved mail settings); null while the board cannot be read. */
async function boardZone(deps: Deps, boardId: string): Promise<string | null> {
	try {
		return (await deps.documents.readBoard(boardId, { kind: 'workflow' })).process.timeZone;
	} catch (err) {
		if ((err as Error | null)?.name === 'RoomUnavailableError') return null;
		throw err;
	}
}

/**
 * Queues a digest for every process owner whose Monday 08:00 falls in (from, to]: at that instant, keyed per board,
 * person and Monday, so a second look (another process, a restart, an overlapping window) queues nothing more. Each
 * person gets the latest such Monday only: after a long stop, one digest, not one per missed week.
 */
export async function queueProcessDigests(deps: Deps, jobs: Pick<JobRunner, 'enqueue'>, from: number, to: number): Promise<number> {
	// Most hours of the week no clock anywhere shows Monday 08:00: nothing to read.
	if (!anyZoneMondayAt(from, to, PROCESS_DIGEST_HOUR)) return 0;
	const zones = new Map<string, string | null>();
	const zoneOf = async (r: DigestRecipient): Promise<string | null> => {
		if (r.mailTimeZone && isTimeZone(r.mailTimeZone)) return r.mailTimeZone;
		if (!zones.has(r.boardId)) zones.set(r.boardId, await boardZone(deps, r.boardId));
		return zones.get(r.boardId)!;
	};
	let queued = 0;
	for (const r of await digestRecipients(deps.db)) {
		const tz = await zoneOf(r);
		if (!tz) continue;
		const slot = lastMondayAt(new Date(to), tz, PROCESS_DIGEST_HOUR);
		if (slot.at.getTime() <= from) continue;
		const payload: ProcessDigestPayload = { boardId: r.boardId, userId: r.userId, monday: slot.monday, week: { from: addDays(slot.monday, -7), to: addDays(slot.monday, -1) } };
		const id = await jobs.enqueue({ kind: PROCESS_DIGEST_JOB, payload: payload as unknown as Record<string, unknown>, runAt: slot.at, key: `${PROCESS_DIGEST_JOB}:${r.boardId}:${r.userId}:${slot.monday}` });
		if (id !== null) queued++;
	}
	return queued;
}

/**
 * Sends one digest when it is still wanted: the person still owns the board's process, wants this kind by email, and
 * the board had a card event that week or has a card at risk now. Sent once per job key (deliverOnce's mail log).
 */
export async function sendProcessDigest(deps: Deps, job: ClaimedJob): Promise<'sent' | 'skipped'> {
	const p = job.payload as unknown as ProcessDigestPayload;
	const notice = await readBoardNotice(deps.db, p.boardId);
	if (!notice || !notice.processOwners.includes(p.userId)) return 'skipped';
	if (!channelHasEmail(await channelFor(deps.db, p.userId, 'process_digest'))) return 'skipped';
	const user = await userEmail(deps.db, p.userId);
	if (!user) return 'skipped';
	const digest = await weeklyDigest(deps.db, deps.documents, p.boardId, p.userId, p.week, deps.clock.now());
	if (!digestWorthSending(digest)) return 'skipped';
	const origin = mailOrigin(deps.publicOrigin);
	const board = `${origin}/b/${encodeURIComponent(p.boardId)}`;
	// The report of the month that holds most of the week (its Thursday's).
	const month = addDays(p.week.from, 3).slice(0, 7);
	const mail = processDigestMail({
		to: user.email,
		boardName: notice.name,
		week: p.week,
		headline: digest.headline,
		risky: digest.risky,
		kindLabel: NOTIFICATION_KINDS.process_digest.label,
		links: {
			report: `${board}/report?month=${month}`,
			stats: `${board}/stats?${new URLSearchParams({ from: p.week.from, to: p.week.to })}#process-h`,
			card: (cardId) => cardUrl(origin, p.boardId, cardId)!,
			unsubscribe: `${origin}/unsubscribe/${await unsubscribeToken(deps.db, p.userId, 'process_digest')}`,
			settings: `${origin}/account/notifications`
		}
	});
	await deliverOnce(deps, job, mail, { kind: 'process_digest', userId: p.userId });
	return 'sent';
}

/**
 * Registers the weekly process digest: an hourly sweep queues the digests whose Monday 08:00 (in each person's zone)
 * falls within the coming hour; each then runs at its time. The sweep queues the next one first, covering from where
 * this one stopped, so a sweep that ran late (the server was down) covers the hours it missed, once.
 */
export function installProcessDigest(deps: Deps, jobs: Jobs, log: (message: string, err?: unknown) => void): void {
	const queueSweep = (at: number, since: number) => jobs.enqueue({ kind: PROCESS_DIGEST_SWEEP_JOB, runAt: new Date(at), payload: { since: new Date(since).toISOString() }, key: `${PROCESS_DIGEST_SWEEP_JOB}:${new Date(at).toISOString()}` });
	jobs.handle(PROCESS_DIGEST_SWEEP_JOB, async (job) => {
		const now = deps.clock.now().getTime();
		// Up to the next top of the hour (the next sweep takes over from there); never more than a week and a day back.
		const until = hourOf(now) + EVERY_MS;
		const since = Math.max(Date.parse(String(job.payload.since)) || job.runAt.getTime(), until - 8 * DAY);
		await queueSweep(until, until);
		await queueProcessDigests(deps, jobs, since, until);
	});
	jobs.handle(PROCESS_DIGEST_JOB, async (job) => {
		await sendProcessDigest(deps, job);
	});
	// The first sweep at the next top of the hour, covering from now: starting a server sends nothing at once.
	const now = deps.clock.now().getTime();
	void queueSweep(hourOf(now) + EVERY_MS, now).catch((err: unknown) => log('Could not queue the weekly process digest.', err));
}
