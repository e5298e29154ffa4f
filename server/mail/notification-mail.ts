import { eq } from 'drizzle-orm';
import type { ClaimedJob } from '../../src/lib/server/jobs/queue.ts';
import { mailLog, notifications } from '../../src/lib/server/db/schema/notifications.ts';
import { users } from '../../src/lib/server/db/schema/accounts.ts';
import { channelFor } from '../../src/lib/server/notifications/notify.ts';
import { channelHasEmail, isNotificationKind, NOTIFICATION_KINDS } from '../../src/lib/notifications/kinds.ts';
import { cardUrl, mailOrigin, notificationMail } from '../../src/lib/server/mail/compose.ts';
import { unsubscribeToken } from '../../src/lib/server/mail/unsubscribe.ts';
import { digestSettings } from '../../src/lib/server/mail/prefs.ts';
import { deliverOnce, logKey, logRow, type DeliverDeps } from './deliver.ts';

/**
 * The `mail.notification` job: mails one notification, or, when its person chose the daily digest, leaves it in the
 * mail log as 'digest' for their next digest. Reads the person's choice when it runs: email turned off since (an
 * unsubscribe) sends nothing.
 */
export function notificationMailHandler(deps: DeliverDeps & { publicOrigin: string | null }) {
	return async (job: ClaimedJob): Promise<void> => {
		const id = Number(job.payload.notificationId);
		const [n] = await deps.db
			.select({ id: notifications.id, userId: notifications.userId, kind: notifications.kind, title: notifications.title, body: notifications.body, boardId: notifications.boardId, cardId: notifications.cardId, email: users.email })
			.from(notifications)
			.innerJoin(users, eq(users.id, notifications.userId))
			.where(eq(notifications.id, id));
		// Gone (the person or board was deleted): nothing to tell.
		if (!n || !isNotificationKind(n.kind)) return;
		if (!channelHasEmail(await channelFor(deps.db, n.userId, n.kind))) return;
		const facts = { kind: n.kind, userId: n.userId, notificationId: n.id };
		const [existing] = await deps.db.select({ status: mailLog.status }).from(mailLog).where(eq(mailLog.jobKey, logKey(job)));
		if (!existing && (await digestSettings(deps.db, n.userId))) {
			await logRow(deps.db, deps.clock.now(), job, { to: n.email, subject: n.title }, facts, 'digest');
			return;
		}
		if (existing?.status === 'digest' || existing?.status === 'in_digest') return;
		const origin = mailOrigin(deps.publicOrigin);
		const mail = notificationMail({
			to: n.email,
			title: n.title,
			body: n.body,
			link: cardUrl(origin, n.boardId, n.cardId),
			kindLabel: NOTIFICATION_KINDS[n.kind].label,
			unsubscribeUrl: `${origin}/unsubscribe/${await unsubscribeToken(deps.db, n.userId, n.kind)}`,
			settingsUrl: `${origin}/account/notifications`
		});
		await deliverOnce(deps, job, mail, facts);
	};
}
