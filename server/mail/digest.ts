import { and, asc, eq } from 'drizzle-orm';
import type { ClaimedJob } from '../../src/lib/server/jobs/queue.ts';
import type { JobQueue } from '../../src/lib/server/jobs/job-queue.ts';
import { mailLog, notifications } from '../../src/lib/server/db/schema/notifications.ts';
import { cardUrl, digestMail, mailOrigin } from '../../src/lib/server/mail/compose.ts';
import { digestSettings, scheduleDigest, type DigestPayload } from '../../src/lib/server/mail/prefs.ts';
import { userEmail } from '../../src/lib/server/mail/admin.ts';
import { deliverOnce, logRow, type DeliverDeps } from './deliver.ts';

/**
 * The `mail.digest` job: one mail with every notification waiting for this person's digest (mail_log rows 'digest'),
 * then nothing until the next. It first queues the next digest (when its settings are still the person's: a job of
 * older settings only sends), so a failing send never breaks the daily chain. The waiting rows are claimed for this
 * digest once (status 'in_digest', digest_id) so that a retry sends the same set, and marked 'sent' with it.
 */
export function digestHandler(deps: DeliverDeps & { publicOrigin: string | null; jobs: JobQueue }) {
	return async (job: ClaimedJob): Promise<void> => {
		const p = job.payload as unknown as DigestPayload;
		const now = deps.clock.now();
		const current = await digestSettings(deps.db, p.userId);
		if (current && current.hour === p.hour && current.timeZone === p.timeZone) await scheduleDigest(deps.jobs, p.userId, current, now);
		const user = await userEmail(deps.db, p.userId);
		if (!user) return;
		const digest = await logRow(deps.db, now, job, { to: user.email, subject: `Digest for ${p.localDate}` }, { kind: 'digest', userId: p.userId });
		if (digest.status === 'sent') return;
		await deps.db.update(mailLog).set({ status: 'in_digest', digestId: digest.id }).where(and(eq(mailLog.userId, p.userId), eq(mailLog.status, 'digest')));
		const items = await deps.db
			.select({ title: notifications.title, body: notifications.body, boardId: notifications.boardId, cardId: notifications.cardId })
			.from(mailLog)
			.innerJoin(notifications, eq(notifications.id, mailLog.notificationId))
			.where(eq(mailLog.digestId, digest.id))
			.orderBy(asc(notifications.createdAt), asc(notifications.id));
		if (items.length === 0) {
			// Nothing happened that day: no mail, and no empty row in the admin's log.
			await deps.db.delete(mailLog).where(eq(mailLog.id, digest.id));
			return;
		}
		const origin = mailOrigin(deps.publicOrigin);
		const mail = digestMail({
			to: user.email,
			date: p.localDate,
			items: items.map((i) => {
				const href = cardUrl(origin, i.boardId, i.cardId);
				return { heading: i.title, body: i.body || undefined, link: href ? { href, label: 'Open the card' } : undefined };
			}),
			settingsUrl: `${origin}/account/notifications`
		});
		await deps.db.update(mailLog).set({ subject: mail.subject }).where(eq(mailLog.id, digest.id));
		await deliverOnce(deps, job, mail, { kind: 'digest', userId: p.userId });
		await deps.db.update(mailLog).set({ status: 'sent', sentAt: deps.clock.now() }).where(eq(mailLog.digestId, digest.id));
	};
}
