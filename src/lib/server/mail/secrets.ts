import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { appSecrets } from '../db/schema/notifications.ts';

/**
 * A server-wide secret by name, made (32 random bytes) on first use and kept in the database: links signed with it
 * (unsubscribe) must keep working after restarts and on every instance. Two processes racing both read the winner's.
 */
export async function appSecret(db: Db, name: string): Promise<string> {
	await db.insert(appSecrets).values({ name, value: randomBytes(32).toString('base64url') }).onConflictDoNothing();
	const [row] = await db.select({ value: appSecrets.value }).from(appSecrets).where(eq(appSecrets.name, name));
	if (!row) throw new Error(`The secret "${name}" could not be stored.`);
	return row.value;
}
