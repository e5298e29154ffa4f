import { eq } from 'drizzle-orm';
import type { AppContext } from '../../src/lib/server/context.ts';
import { jobs as jobTable } from '../../src/lib/server/db/schema/jobs.ts';
import { MAIL_NOTIFICATION_JOB } from '../../src/lib/server/notifications/notify.ts';
import { MAIL_DIGEST_JOB, MAIL_SEND_JOB, type SendMailPayload } from '../../src/lib/server/mail/jobs.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import { deliverOnce } from './deliver.ts';
import { notificationMailHandler } from './notification-mail.ts';
import { digestHandler } from './digest.ts';

/** Registers the mail jobs: single notifications, daily digests, and ready-made mails (password reset, invitations). */
export function installMail(jobs: JobRunner, ctx: AppContext): void {
	const deps = { db: ctx.db, clock: ctx.clock, mailer: ctx.mailer, publicOrigin: ctx.publicOrigin, jobs: ctx.jobs };
	jobs.handle(MAIL_NOTIFICATION_JOB, notificationMailHandler(deps));
	jobs.handle(MAIL_DIGEST_JOB, digestHandler(deps));
	jobs.handle(MAIL_SEND_JOB, async (job) => {
		const p = job.payload as unknown as Partial<SendMailPayload>;
		// Sent before, and its content wiped: a replay of a job whose completion was lost.
		if (!p.mail) return;
		await deliverOnce(deps, job, p.mail, { kind: p.kind ?? 'mail', userId: p.userId ?? null });
		// These mails carry secrets (reset and invite links): once sent, keep no copy in the queue.
		await ctx.db.update(jobTable).set({ payload: { kind: p.kind, userId: p.userId, sent: true } }).where(eq(jobTable.id, job.id));
	});
}
