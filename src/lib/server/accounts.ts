import { eq } from 'drizzle-orm';
import type { Db } from './db/client.ts';
import { users } from './db/schema/accounts.ts';
import { DomainError } from './errors.ts';
import { newId } from './ids.ts';
import { hashPassword, passwordProblem, verifyAgainstDummy, verifyPassword } from './auth/passwords.ts';
import { clearFailures, lockedForSeconds, loginKeys, recordFailure } from './auth/throttle.ts';
import { createSession, invalidateOtherSessions } from './auth/sessions.ts';
import { formatWait, requireRateSlots, signUpKeys, type CreationLimits } from './auth/rate-limit.ts';

/** Creates an account and returns its id. Refuses a taken email or a weak password, saving nothing. */
export async function signUp(db: Db, input: { name: string; email: string; password: string }, now: Date): Promise<string> {
	const id = await insertAccount(db, input, now);
	if (!id) throw new DomainError('email_taken', 'An account with this email already exists. Log in instead.', 'email');
	return id;
}

/**
 * The public sign-up form: under the per-address limit, creates the account if the email is free and
 * otherwise does nothing, answering both the same way (with the same work, so the same time) — the form
 * never tells a stranger which addresses have accounts. The person then signs in with what they chose.
 */
export async function register(
	db: Db,
	input: { name: string; email: string; password: string; address: string },
	limits: CreationLimits,
	now: Date
): Promise<void> {
	// A weak password is refused before it counts: fixing one's own typing should never use up the limit.
	const problem = passwordProblem(input.password);
	if (problem) throw new DomainError('invalid_input', problem, 'password');
	await requireRateSlots(db, signUpKeys(input.address, limits), now, (wait) => `Too many accounts were created from your network just now. Try again in ${wait}.`);
	await insertAccount(db, input, now);
}

// The id of the new account, or null when the email already has one (nothing is changed then).
async function insertAccount(db: Db, input: { name: string; email: string; password: string }, now: Date): Promise<string | null> {
	const problem = passwordProblem(input.password);
	if (problem) throw new DomainError('invalid_input', problem, 'password');
	const passwordHash = await hashPassword(input.password);
	const id = newId();
	const inserted = await db
		.insert(users)
		.values({ id, email: input.email, name: input.name, passwordHash, createdAt: now })
		.onConflictDoNothing({ target: users.email })
		.returning({ id: users.id });
	return inserted.length === 0 ? null : id;
}

const BAD_CREDENTIALS = 'That email and password do not match an account.';

/** Checks credentials under the throttle and starts a session; the same error for unknown email and wrong password. */
export async function logIn(
	db: Db,
	input: { email: string; password: string; address: string },
	now: Date
): Promise<{ token: string; userId: string; expiresAt: Date }> {
	const keys = loginKeys(input.email, input.address);
	const wait = await lockedForSeconds(db, keys, now);
	if (wait > 0) {
		throw new DomainError('throttled', `Too many sign-in attempts. Try again in ${formatWait(wait)}.`, undefined, wait);
	}
	const [user] = await db.select().from(users).where(eq(users.email, input.email)).limit(1);
	const ok = user ? await verifyPassword(user.passwordHash, input.password) : (await verifyAgainstDummy(input.password), false);
	if (!user || !ok) {
		await recordFailure(db, keys, now);
		throw new DomainError('bad_credentials', BAD_CREDENTIALS);
	}
	await clearFailures(db, keys[0]!.key);
	const { token, session } = await createSession(db, user.id, now);
	return { token, userId: user.id, expiresAt: session.expiresAt };
}

/** Replaces a password after checking the current one, and signs out every other session. */
export async function changePassword(
	db: Db,
	input: { userId: string; sessionId: string; currentPassword: string; newPassword: string }
): Promise<void> {
	const [user] = await db.select().from(users).where(eq(users.id, input.userId)).limit(1);
	if (!user) throw new DomainError('not_found', 'Your account no longer exists.');
	if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
		throw new DomainError('bad_credentials', 'Your current password is not correct.', 'currentPassword');
	}
	const problem = passwordProblem(input.newPassword);
	if (problem) throw new DomainError('invalid_input', problem, 'newPassword');
	const passwordHash = await hashPassword(input.newPassword);
	await db.update(users).set({ passwordHash }).where(eq(users.id, user.id));
	await invalidateOtherSessions(db, user.id, input.sessionId);
}
