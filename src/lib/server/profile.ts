import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from './db/client.ts';
import type { JobQueue } from './jobs/job-queue.ts';
import { users } from './db/schema/accounts.ts';
import { mailSettings } from './db/schema/notifications.ts';
import { isTimeZone } from './mail/local-time.ts';
import { scheduleDigest } from './mail/prefs.ts';

/** The profile form: a display name and the person's time zone (mail times and digests follow it). */
export const profileSchema = z.object({
	name: z.string().trim().min(1, 'Enter your name.').max(80, 'Keep your name under 80 characters.'),
	timeZone: z
		.string()
		.trim()
		.refine((zone) => isTimeZone(zone), 'Choose a time zone from the list (like Europe/Berlin).')
});

/** A person's name and time zone (null: never chosen; pages propose the browser's). */
export async function readProfile(db: Db, userId: string): Promise<{ name: string; timeZone: string | null }> {
	const [row] = await db.select({ name: users.name, timeZone: mailSettings.timeZone }).from(users).leftJoin(mailSettings, eq(mailSettings.userId, users.id)).where(eq(users.id, userId));
	return { name: row?.name ?? '', timeZone: row?.timeZone ?? null };
}

/**
 * Renames a person and sets their time zone, in one transaction. Everyone sees the new name on their next page
 * (boards read names from the accounts table); a daily digest moves to the same local hour in the new zone.
 */
export async function updateProfile(db: Db, jobs: JobQueue, userId: string, input: z.infer<typeof profileSchema>, now: Date): Promise<void> {
	const digest = await db.transaction(async (tx) => {
		await tx.update(users).set({ name: input.name }).where(eq(users.id, userId));
		const [settings] = await tx
			.insert(mailSettings)
			.values({ userId, timeZone: input.timeZone })
			.onConflictDoUpdate({ target: mailSettings.userId, set: { timeZone: input.timeZone } })
			.returning({ digestHour: mailSettings.digestHour });
		return settings?.digestHour ?? null;
	});
	if (digest !== null) await scheduleDigest(jobs, userId, { hour: digest, timeZone: input.timeZone }, now);
}
