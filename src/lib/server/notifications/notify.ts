import { and, count, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Clock } from '../clock.ts';
import { notificationPrefs, notifications } from '../db/schema/notifications.ts';
import { channelHasApp, channelHasEmail, NOTIFICATION_KINDS, type NotificationChannel, type NotificationKind } from '../../notifications/kinds.ts';
import type { NotificationHub } from './hub.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { Mailer } from './mailer.ts';

/** What `notify` needs from the running app. */
export interface NotifyDeps {
	db: Db;
	clock: Clock;
	hub: NotificationHub;
	jobs: JobQueue;
	mailer: Mailer;
}

/** One thing to tell one person. */
export interface NotificationInput {
	userId: string;
	kind: NotificationKind;
	/** One line ("Sam assigned you “Spring launch post”"). */
	title: string;
	body?: string;
	boardId?: string | null;
	cardId?: string | null;
	data?: Record<string, unknown>;
	/** The rule that sent it, or 'process' for the process's own (the automation share counts these). */
	ruleId?: string | null;
	/** Once per key per person, ever (a reminder: card, step, kind, threshold). */
	key?: string | null;
}

/** Job kind that emails one notification (server/mail/ handles it). */
export const MAIL_NOTIFICATION_JOB = 'mail.notification';

/** The channel `userId` chose for `kind` (the kind's default when they chose nothing). */
export async function channelFor(db: Db, userId: string, kind: NotificationKind): Promise<NotificationChannel> {
	const [row] = await db
		.select({ channel: notificationPrefs.channel })
		.from(notificationPrefs)
		.where(and(eq(notificationPrefs.userId, userId), eq(notificationPrefs.kind, kind)));
	return (row?.channel as NotificationChannel | undefined) ?? NOTIFICATION_KINDS[kind].channel;
}

/** How many unread inbox entries `userId` has. */
export async function unreadCount(db: Db, userId: string): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(notifications)
		.where(and(eq(notifications.userId, userId), eq(notifications.inApp, true), isNull(notifications.readAt)));
	return Number(row?.n ?? 0);
}

/**
 * Tells a person something, the way they chose for its kind: an inbox entry (pushed live to their open pages) and/or
 * a mail job. Resolves with the notification's id, or null when they turned the kind off or a notification with the
 * same key was already made (so a reminder produced twice, by a retry or by two processes, is sent once).
 */
export async function notify(deps: NotifyDeps, input: NotificationInput): Promise<number | null> {
	const channel = await channelFor(deps.db, input.userId, input.kind);
	if (channel === 'off') return null;
	const inApp = channelHasApp(channel);
	const now = deps.clock.now();
	const [row] = await deps.db
		.insert(notifications)
		.values({
			userId: input.userId,
			boardId: input.boardId ?? null,
			cardId: input.cardId ?? null,
			kind: input.kind,
			title: input.title,
			body: input.body ?? '',
			data: input.data ?? {},
			ruleId: input.ruleId ?? null,
			key: input.key ?? null,
			inApp,
			createdAt: now
		})
		.onConflictDoNothing()
		.returning({ id: notifications.id });
	if (!row) return null;
	if (channelHasEmail(channel) && deps.mailer.configured) await deps.jobs.enqueue({ kind: MAIL_NOTIFICATION_JOB, payload: { notificationId: row.id }, key: `mail:notification:${row.id}` });
	if (inApp) {
		const unread = await unreadCount(deps.db, input.userId);
		deps.hub.publish(input.userId, {
			unread,
			entry: {
				id: row.id,
				kind: input.kind,
				title: input.title,
				body: input.body ?? '',
				boardId: input.boardId ?? null,
				boardName: null,
				cardId: input.cardId ?? null,
				createdAt: now.toISOString(),
				read: false
			}
		});
	}
	return row.id;
}
