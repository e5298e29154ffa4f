import { eq } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client.ts';
import type { Clock } from '../../src/lib/server/clock.ts';
import type { ClaimedJob } from '../../src/lib/server/jobs/queue.ts';
import type { Mailer, OutgoingMail } from '../../src/lib/server/notifications/mailer.ts';
import { mailLog } from '../../src/lib/server/db/schema/notifications.ts';
import { PermanentJobError } from '../jobs/job-runner.ts';

/** What sending needs. */
export interface DeliverDeps {
	db: Db;
	clock: Clock;
	mailer: Mailer;
}

/** What the mail log records beside the mail itself. */
export interface LogFacts {
	kind: string;
	userId: string | null;
	notificationId?: number | null;
}

/** The key of a job's mail_log row (one row per job). */
export const logKey = (job: ClaimedJob): string => job.key ?? `job:${job.id}`;

/** The mail_log row of a job, made (status 'queued') on its first run. */
export async function logRow(db: Db, now: Date, job: ClaimedJob, mail: Pick<OutgoingMail, 'to' | 'subject'>, facts: LogFacts, status = 'queued') {
	const jobKey = logKey(job);
	await db
		.insert(mailLog)
		.values({ jobKey, toAddress: mail.to, subject: mail.subject.slice(0, 500), kind: facts.kind, status, attempts: 0, createdAt: now, userId: facts.userId, notificationId: facts.notificationId ?? null })
		.onConflictDoNothing();
	const [row] = await db.select().from(mailLog).where(eq(mailLog.jobKey, jobKey));
	if (!row) throw new Error(`The mail log row of ${jobKey} is missing.`);
	return row;
}

/**
 * Sends a job's mail at most once, whatever retries happen. The job's mail_log row is the record: 'sent' means done
 * (a retry of a job whose completion was not stored sends nothing); 'sending' is written before the SMTP exchange and
 * replaced by 'sent' the moment the server accepted the mail, before the job itself is marked done. A run that finds
 * 'sending' follows one that died mid-exchange: whether that mail went out is unknown, so it is not sent again (a
 * duplicate is worse than a mail the admin sees as failed in the log). A refusal or an unreachable server records
 * 'retrying' (or 'failed' on the last attempt) with the error and throws, so the runner retries with its backoff.
 */
export async function deliverOnce(deps: DeliverDeps, job: ClaimedJob, mail: OutgoingMail, facts: LogFacts): Promise<void> {
	const row = await logRow(deps.db, deps.clock.now(), job, mail, facts);
	if (row.status === 'sent') return;
	if (row.status === 'sending') {
		await deps.db.update(mailLog).set({ status: 'failed', lastError: 'The server stopped while sending this mail; it is not sent again, so that it cannot arrive twice.' }).where(eq(mailLog.id, row.id));
		throw new PermanentJobError('Interrupted mid-send: not retried, to never send twice.');
	}
	if (!deps.mailer.configured) {
		await deps.db.update(mailLog).set({ status: 'failed', lastError: 'No SMTP server is configured (SMTP_URL).' }).where(eq(mailLog.id, row.id));
		throw new PermanentJobError('No SMTP server is configured.');
	}
	await deps.db.update(mailLog).set({ status: 'sending', attempts: row.attempts + 1 }).where(eq(mailLog.id, row.id));
	let messageId: string;
	try {
		({ messageId } = await deps.mailer.send(mail));
	} catch (err) {
		const message = err instanceof Error ? err.message : String(err);
		const last = job.attempts >= job.maxAttempts;
		await deps.db.update(mailLog).set({ status: last ? 'failed' : 'retrying', lastError: message.slice(0, 1000) }).where(eq(mailLog.id, row.id));
		throw err;
	}
	await deps.db.update(mailLog).set({ status: 'sent', messageId, sentAt: deps.clock.now(), lastError: null }).where(eq(mailLog.id, row.id));
}
