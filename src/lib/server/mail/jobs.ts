import { newId } from '../ids.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { OutgoingMail } from '../notifications/mailer.ts';

/** Job kind that sends one ready-made mail (password reset, invitation); server/mail/ handles it. */
export const MAIL_SEND_JOB = 'mail.send';
/** Job kind of one person's daily digest; server/mail/ handles it. */
export const MAIL_DIGEST_JOB = 'mail.digest';

/** Payload of a `mail.send` job. */
export interface SendMailPayload {
	mail: OutgoingMail;
	/** For the mail log: 'password_reset', 'invite'. */
	kind: string;
	userId: string | null;
}

/** Queues one mail, keyed so that it is sent once (the job's key is also its mail_log row's). */
export async function enqueueMail(jobs: JobQueue, mail: OutgoingMail, kind: string, userId: string | null): Promise<void> {
	const payload: SendMailPayload = { mail, kind, userId };
	await jobs.enqueue({ kind: MAIL_SEND_JOB, payload: payload as unknown as Record<string, unknown>, key: `mail:send:${newId()}` });
}
