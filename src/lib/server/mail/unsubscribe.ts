import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { notificationPrefs } from '../db/schema/notifications.ts';
import { users } from '../db/schema/accounts.ts';
import { channelFor } from '../notifications/notify.ts';
import { isNotificationKind, NOTIFICATION_KINDS, type NotificationChannel, type NotificationKind } from '../../notifications/kinds.ts';
import { appSecret } from './secrets.ts';

const SECRET = 'unsubscribe-hmac';

function sign(secret: string, userId: string, kind: string): string {
	return createHmac('sha256', secret).update(`unsubscribe:${userId}:${kind}`).digest('base64url');
}

/**
 * The token of a one-click unsubscribe link: `<userId>.<kind>.<HMAC>`. It needs no login (a mail client posts it) and
 * no table: the HMAC proves we made it. It does not expire; all it can do is turn one kind's email off for one person.
 */
export async function unsubscribeToken(db: Db, userId: string, kind: NotificationKind): Promise<string> {
	return `${userId}.${kind}.${sign(await appSecret(db, SECRET), userId, kind)}`;
}

/** Who and what a token unsubscribes, or null when it is not one of ours (tampered, truncated). */
export async function readUnsubscribeToken(db: Db, token: string): Promise<{ userId: string; kind: NotificationKind; label: string } | null> {
	const [userId, kind, mac, extra] = token.split('.');
	if (!userId || !kind || !mac || extra !== undefined || !isNotificationKind(kind)) return null;
	const expected = Buffer.from(sign(await appSecret(db, SECRET), userId, kind));
	const given = Buffer.from(mac);
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
	const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
	if (!user) return null;
	return { userId, kind, label: NOTIFICATION_KINDS[kind].label };
}

/** The channel left after taking email away: both → in-app only, email → off. */
export function withoutEmail(channel: NotificationChannel): NotificationChannel {
	return channel === 'both' ? 'app' : channel === 'email' ? 'off' : channel;
}

/** Turns email off for the token's kind (the in-app inbox stays as chosen); null when the token is not valid. */
export async function unsubscribe(db: Db, token: string): Promise<{ kind: NotificationKind; label: string; channel: NotificationChannel } | null> {
	const who = await readUnsubscribeToken(db, token);
	if (!who) return null;
	const channel = withoutEmail(await channelFor(db, who.userId, who.kind));
	await db
		.insert(notificationPrefs)
		.values({ userId: who.userId, kind: who.kind, channel })
		.onConflictDoUpdate({ target: [notificationPrefs.userId, notificationPrefs.kind], set: { channel } });
	return { kind: who.kind, label: who.label, channel };
}

/** Whether `userId` has a stored choice for `kind` (tests and the settings page). */
export async function hasChoice(db: Db, userId: string, kind: NotificationKind): Promise<boolean> {
	const rows = await db.select({ c: notificationPrefs.channel }).from(notificationPrefs).where(and(eq(notificationPrefs.userId, userId), eq(notificationPrefs.kind, kind)));
	return rows.length > 0;
}
