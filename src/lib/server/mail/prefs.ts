import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import { mailSettings, notificationPrefs } from '../db/schema/notifications.ts';
import { effectiveChannel, NOTIFICATION_KINDS, notificationKinds, type NotificationChannel, type NotificationKind } from '../../notifications/kinds.ts';
import { ValidationError, type FieldErrors } from '../validation.ts';
import { isTimeZone, nextLocalHour } from './local-time.ts';
import { MAIL_DIGEST_JOB } from './jobs.ts';

/** A person's notification settings as the settings page shows them. */
export interface MailPrefs {
	channels: Record<NotificationKind, NotificationChannel>;
	/** One daily mail instead of single emails. */
	digest: boolean;
	/** The digest's local hour, 0–23 (shown as 8 when the digest is off). */
	digestHour: number;
	/** IANA name; null when never saved (the page then proposes the browser's). */
	timeZone: string | null;
}

/** The digest settings of a person, or null when they get single emails. */
export async function digestSettings(db: Db, userId: string): Promise<{ hour: number; timeZone: string } | null> {
	const [row] = await db.select().from(mailSettings).where(eq(mailSettings.userId, userId));
	return row && row.digestHour !== null ? { hour: row.digestHour, timeZone: row.timeZone } : null;
}

/** Reads a person's settings (defaults for kinds they never chose). */
export async function loadMailPrefs(db: Db, userId: string): Promise<MailPrefs> {
	const rows = await db.select().from(notificationPrefs).where(eq(notificationPrefs.userId, userId));
	const channels = Object.fromEntries(notificationKinds.map((k) => [k, NOTIFICATION_KINDS[k].channel])) as Record<NotificationKind, NotificationChannel>;
	for (const r of rows) if (r.kind in channels) channels[r.kind as NotificationKind] = effectiveChannel(r.kind as NotificationKind, r.channel as NotificationChannel);
	const [settings] = await db.select().from(mailSettings).where(eq(mailSettings.userId, userId));
	return { channels, digest: settings?.digestHour != null, digestHour: settings?.digestHour ?? 8, timeZone: settings?.timeZone ?? null };
}

const CHANNELS = ['app', 'email', 'both', 'off'] as const;

/** Parses the settings form: `channel.<kind>` per kind, `digest` (checkbox), `digestHour`, `timeZone`; throws per-field errors. */
export function parseMailPrefs(form: FormData): Omit<MailPrefs, 'timeZone'> & { timeZone: string } {
	const errors: FieldErrors = {};
	const channels = {} as Record<NotificationKind, NotificationChannel>;
	for (const kind of notificationKinds) {
		const parsed = z.enum(CHANNELS).safeParse(form.get(`channel.${kind}`));
		if (parsed.success) channels[kind] = effectiveChannel(kind, parsed.data);
		else errors[`channel.${kind}`] = `Choose in the app, email, both or off for “${NOTIFICATION_KINDS[kind].label}”.`;
	}
	const digest = form.get('digest') === 'on';
	const hourRaw = String(form.get('digestHour') ?? '');
	const digestHour = /^\d{1,2}$/.test(hourRaw) ? Number(hourRaw) : NaN;
	if (!(digestHour >= 0 && digestHour <= 23)) errors.digestHour = 'Choose an hour from 0 to 23.';
	const timeZone = String(form.get('timeZone') ?? '').trim();
	if (!isTimeZone(timeZone)) errors.timeZone = 'Choose a time zone from the list (like Europe/Berlin).';
	if (Object.keys(errors).length > 0) throw new ValidationError(errors);
	return { channels, digest, digestHour, timeZone };
}

/** Saves a person's settings in one transaction and, with the digest on, queues its next run. */
export async function saveMailPrefs(db: Db, jobs: JobQueue, userId: string, prefs: ReturnType<typeof parseMailPrefs>, now: Date): Promise<void> {
	await db.transaction(async (tx) => {
		for (const kind of notificationKinds) {
			const channel = prefs.channels[kind];
			await tx
				.insert(notificationPrefs)
				.values({ userId, kind, channel })
				.onConflictDoUpdate({ target: [notificationPrefs.userId, notificationPrefs.kind], set: { channel } });
		}
		const values = { timeZone: prefs.timeZone, digestHour: prefs.digest ? prefs.digestHour : null };
		await tx
			.insert(mailSettings)
			.values({ userId, ...values })
			.onConflictDoUpdate({ target: mailSettings.userId, set: values });
	});
	if (prefs.digest) await scheduleDigest(jobs, userId, { hour: prefs.digestHour, timeZone: prefs.timeZone }, now);
}

/** Payload of a `mail.digest` job: whose, and the settings it was scheduled under (a job of old settings does not reschedule). */
export interface DigestPayload {
	userId: string;
	hour: number;
	timeZone: string;
	localDate: string;
}

/**
 * Queues a person's next digest at the next `hour`:00 in their zone. Keyed per person, local date, hour and zone: saving
 * the same settings twice, or a run and a save racing, make one job.
 */
export async function scheduleDigest(jobs: JobQueue, userId: string, settings: { hour: number; timeZone: string }, now: Date): Promise<void> {
	const { runAt, localDate } = nextLocalHour(now, settings.timeZone, settings.hour);
	const payload: DigestPayload = { userId, hour: settings.hour, timeZone: settings.timeZone, localDate };
	await jobs.enqueue({ kind: MAIL_DIGEST_JOB, payload: payload as unknown as Record<string, unknown>, runAt, key: `mail:digest:${userId}:${localDate}:${settings.hour}:${settings.timeZone}` });
}
