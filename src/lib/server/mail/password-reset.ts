import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import { users } from '../db/schema/accounts.ts';
import { passwordResets } from '../db/schema/notifications.ts';
import { hashPassword, passwordProblem, MAX_PASSWORD_LENGTH } from '../auth/passwords.ts';
import { invalidateOtherSessions } from '../auth/sessions.ts';
import { requireRateSlots, type RateKey } from '../auth/rate-limit.ts';
import { throttleAddress } from '../auth/client-address.ts';
import { DomainError } from '../errors.ts';
import { hashToken, newSecretToken } from '../ids.ts';
import { passwordResetMail } from './compose.ts';
import { enqueueMail } from './jobs.ts';

/** How long a reset link works. */
export const RESET_TTL_MS = 60 * 60_000;
const HOUR = 60 * 60_000;

/** The one answer to every well-formed request, whether or not the address has an account. */
export const RESET_REQUESTED = 'If an account exists for that address, we sent a link to reset its password. It works for one hour.';

/** The "forgot password" form. */
export const forgotSchema = z.object({
	email: z.string().trim().toLowerCase().max(254, 'That email address is too long.').pipe(z.email('Enter a valid email address, like name@example.com.'))
});
/** The "choose a new password" form. */
export const resetSchema = z.object({ password: z.string().max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters.`) });

/** Per address and per target email: a few an hour (each sends a mail to a stranger's inbox otherwise). */
function resetKeys(email: string, address: string): RateKey[] {
	return [
		{ key: `reset:email:${email}`, limit: { max: 3, windowMs: HOUR } },
		{ key: `reset:address:${throttleAddress(address)}`, limit: { max: 10, windowMs: HOUR } }
	];
}

/**
 * Starts a reset: when `email` has an account, stores the SHA-256 of a fresh token (an hour) and queues the mail with
 * the link. Throttled per address and per email; the answer never tells whether the account exists (the work done is
 * the same rate-limit upsert either way, the mail goes out from a job).
 */
export async function requestPasswordReset(db: Db, jobs: JobQueue, input: { email: string; address: string; origin: string }, now: Date): Promise<void> {
	await requireRateSlots(db, resetKeys(input.email, input.address), now, (wait) => `Too many reset requests. Try again in ${wait}.`, 'email');
	const [user] = await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.email, input.email));
	if (!user) return;
	const token = newSecretToken();
	await db.insert(passwordResets).values({ tokenHash: hashToken(token), userId: user.id, expiresAt: new Date(now.getTime() + RESET_TTL_MS) });
	await enqueueMail(jobs, passwordResetMail(user.email, `${input.origin}/reset/${token}`), 'password_reset', user.id);
}

/** Whether a reset token still works (the page shows the form only then). */
export async function resetTokenValid(db: Db, token: string, now: Date): Promise<boolean> {
	const [row] = await db
		.select({ userId: passwordResets.userId })
		.from(passwordResets)
		.where(and(eq(passwordResets.tokenHash, hashToken(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)));
	return !!row;
}

const LINK_DEAD = 'This reset link has expired or was already used. Ask for a new one.';

/**
 * Sets a new password with a reset token: the password must pass the sign-up rules first (a bad one does not use the
 * token up); then, in one transaction, the token is marked used (only if unused and unexpired: two tabs cannot both use
 * it), the password replaced, and every session of the account ended. Resolves with the user's id.
 */
export async function resetPassword(db: Db, token: string, password: string, now: Date): Promise<string> {
	const problem = passwordProblem(password);
	if (problem) throw new DomainError('invalid_input', problem, 'password');
	const passwordHash = await hashPassword(password);
	return db.transaction(async (tx) => {
		const [claimed] = await tx
			.update(passwordResets)
			.set({ usedAt: now })
			.where(and(eq(passwordResets.tokenHash, hashToken(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
			.returning({ userId: passwordResets.userId });
		if (!claimed) throw new DomainError('invite_expired', LINK_DEAD);
		await tx.update(users).set({ passwordHash }).where(eq(users.id, claimed.userId));
		// Other links sent before this reset stop working too: the password they were meant to replace is gone.
		await tx.update(passwordResets).set({ usedAt: now }).where(and(eq(passwordResets.userId, claimed.userId), isNull(passwordResets.usedAt)));
		// No session is kept: the browser resetting the password is not signed in.
		await invalidateOtherSessions(tx as unknown as Db, claimed.userId, '');
		return claimed.userId;
	});
}
