import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { Clock } from '../clock.ts';
import { boards } from '../db/schema/boards.ts';
import { notifications } from '../db/schema/notifications.ts';
import { isNotificationKind } from '../../notifications/kinds.ts';
import { groupByCard, type Inbox } from '../../notifications/inbox.ts';
import { ValidationError } from '../validation.ts';
import type { NotificationHub } from './hub.ts';
import { unreadCount } from './notify.ts';

/** The most entries the inbox shows (the newest). */
export const INBOX_LIMIT = 200;

/** A person's inbox: their in-app notifications, newest first, grouped by card. */
export async function readInbox(db: Db, userId: string, limit = INBOX_LIMIT): Promise<Inbox> {
	const rows = await db
		.select({
			id: notifications.id,
			kind: notifications.kind,
			title: notifications.title,
			body: notifications.body,
			boardId: notifications.boardId,
			boardName: boards.name,
			cardId: notifications.cardId,
			data: notifications.data,
			createdAt: notifications.createdAt,
			readAt: notifications.readAt
		})
		.from(notifications)
		.leftJoin(boards, eq(boards.id, notifications.boardId))
		.where(and(eq(notifications.userId, userId), eq(notifications.inApp, true)))
		.orderBy(desc(notifications.createdAt), desc(notifications.id))
		.limit(limit);
	const entries = rows.flatMap((r) =>
		isNotificationKind(r.kind)
			? [
					{
						id: r.id,
						kind: r.kind,
						title: r.title,
						body: r.body,
						boardId: r.boardId,
						boardName: r.boardName ?? null,
						cardId: r.cardId,
						createdAt: r.createdAt.toISOString(),
						read: r.readAt !== null,
						cardTitle: typeof r.data?.cardTitle === 'string' ? r.data.cardTitle : null
					}
				]
			: []
	);
	return { unread: await unreadCount(db, userId), groups: groupByCard(entries) };
}

/** What `POST /api/notifications/read` accepts: one entry's id, or every entry. */
export const markReadSchema = z.union([z.strictObject({ id: z.coerce.number().int().positive() }), z.strictObject({ all: z.literal(true) })]);

/** Parses a mark-read request, with a clear message when it is neither form. */
export function parseMarkRead(input: unknown): z.output<typeof markReadSchema> {
	const parsed = markReadSchema.safeParse(input);
	if (!parsed.success) throw new ValidationError({ id: 'Send { "id": <notification id> } or { "all": true }.' });
	return parsed.data;
}

/**
 * Marks one of the person's notifications read (another person's id changes nothing), or all of them, and pushes the
 * new unread count to their open pages. Resolves with that count.
 */
export async function markRead(deps: { db: Db; clock: Clock; hub: NotificationHub }, userId: string, which: { id: number } | { all: true }): Promise<number> {
	const mine = and(eq(notifications.userId, userId), isNull(notifications.readAt));
	await deps.db
		.update(notifications)
		.set({ readAt: deps.clock.now() })
		.where('id' in which ? and(mine, eq(notifications.id, which.id)) : mine);
	const unread = await unreadCount(deps.db, userId);
	deps.hub.publish(userId, { unread });
	return unread;
}
