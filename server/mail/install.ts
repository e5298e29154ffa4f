import type { AppContext } from '../../src/lib/server/context.ts';
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
		const p = job.payload as unknown as SendMailPayload;
		await deliverOnce(deps, job, p.mail, { kind: p.kind, userId: p.userId });
	});
}
