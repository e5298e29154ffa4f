import { asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema/accounts.ts';
import { mailLog } from '../db/schema/notifications.ts';

/**
 * Whether a person may see the server's admin pages: their email is in ADMIN_EMAILS (comma separated), or, when
 * ADMIN_EMAILS is unset, they made the first account on this server.
 */
export async function isAdmin(db: Db, user: { id: string; email: string }, adminEmails: string | undefined): Promise<boolean> {
	const list = (adminEmails ?? '')
		.split(',')
		.map((e) => e.trim().toLowerCase())
		.filter(Boolean);
	if (list.length > 0) return list.includes(user.email.toLowerCase());
	const [first] = await db.select({ id: users.id }).from(users).orderBy(asc(users.createdAt), asc(users.id)).limit(1);
	return first?.id === user.id;
}

/** One row of the admin's mail log. */
export interface MailLogEntry {
	id: number;
	to: string;
	subject: string;
	kind: string;
	status: string;
	attempts: number;
	error: string | null;
	createdAt: Date;
	sentAt: Date | null;
}

/** The most recent mail log rows, newest first. */
export async function recentMail(db: Db, limit = 200): Promise<MailLogEntry[]> {
	const rows = await db.select().from(mailLog).orderBy(desc(mailLog.createdAt), desc(mailLog.id)).limit(limit);
	return rows.map((r) => ({ id: r.id, to: r.toAddress, subject: r.subject, kind: r.kind, status: r.status, attempts: r.attempts, error: r.lastError, createdAt: r.createdAt, sentAt: r.sentAt }));
}

/** A person's email address (mail jobs look it up when they run, so a changed address is used). */
export async function userEmail(db: Db, userId: string): Promise<{ email: string; name: string } | null> {
	const [row] = await db.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, userId));
	return row ?? null;
}
