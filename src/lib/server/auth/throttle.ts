import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { loginThrottle } from '../db/schema/accounts.ts';
import { throttleAddress } from './client-address.ts';

/** After how many failures within the window a key is locked, and how the lock grows. */
export interface ThrottlePolicy {
	lockAfter: number;
	windowMs: number;
	baseLockMs: number;
	maxLockMs: number;
}

/** Per account *and* client address: locked after 5 failures, for 30 s, doubling with each further failure up to 15 min. */
export const PAIR_POLICY: ThrottlePolicy = {
	lockAfter: 5,
	windowMs: 15 * 60_000,
	baseLockMs: 30_000,
	maxLockMs: 15 * 60_000
};
/**
 * Per account from anywhere: far looser, so a stranger guessing from elsewhere cannot lock the owner out with
 * a handful of tries, yet a guessing campaign spread over many addresses still slows to a crawl.
 */
export const ACCOUNT_POLICY: ThrottlePolicy = {
	lockAfter: 100,
	windowMs: 15 * 60_000,
	baseLockMs: 60_000,
	maxLockMs: 15 * 60_000
};
/** Per client address: more room (shared offices), same growth. */
export const ADDRESS_POLICY: ThrottlePolicy = {
	lockAfter: 20,
	windowMs: 15 * 60_000,
	baseLockMs: 30_000,
	maxLockMs: 15 * 60_000
};

/** A throttle key and the policy that governs it. */
export interface ThrottleKey {
	key: string;
	policy: ThrottlePolicy;
}

/**
 * The keys a sign-in attempt counts against: the (account, address) pair first — the one a success clears —
 * then the account alone and the client address.
 */
export function loginKeys(email: string, clientAddress: string): ThrottleKey[] {
	const address = throttleAddress(clientAddress);
	const account = email.toLowerCase();
	return [
		{ key: `account-address:${account}|${address}`, policy: PAIR_POLICY },
		{ key: `account:${account}`, policy: ACCOUNT_POLICY },
		{ key: `address:${address}`, policy: ADDRESS_POLICY }
	];
}

/** Seconds until the longest lock among `keys` lifts, or 0 if none is locked. */
export async function lockedForSeconds(db: Db, keys: ThrottleKey[], now: Date): Promise<number> {
	const rows = await db
		.select()
		.from(loginThrottle)
		.where(
			inArray(
				loginThrottle.key,
				keys.map((k) => k.key)
			)
		);
	let longest = 0;
	for (const row of rows) {
		if (row.lockedUntil && row.lockedUntil > now) longest = Math.max(longest, row.lockedUntil.getTime() - now.getTime());
	}
	return Math.ceil(longest / 1000);
}

/** Counts a failed attempt against every key, locking those that reached their limit. */
export async function recordFailure(db: Db, keys: ThrottleKey[], now: Date): Promise<void> {
	for (const { key, policy } of keys) {
		const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).limit(1);
		const windowOpen = row && now.getTime() - row.windowStartedAt.getTime() < policy.windowMs;
		const failures = windowOpen ? row.failures + 1 : 1;
		const windowStartedAt = windowOpen ? row.windowStartedAt : now;
		const excess = failures - policy.lockAfter + 1;
		const lockedUntil =
			excess > 0
				? new Date(now.getTime() + Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** Math.min(excess - 1, 20)))
				: null;
		await db
			.insert(loginThrottle)
			.values({ key, failures, windowStartedAt, lockedUntil })
			.onConflictDoUpdate({ target: loginThrottle.key, set: { failures, windowStartedAt, lockedUntil } });
	}
}

/** Forgets the failures of one key (after a successful sign-in to that account). */
export async function clearFailures(db: Db, key: string): Promise<void> {
	await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}
