import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { loginThrottle } from '../db/schema/accounts.ts';
import { DomainError } from '../errors.ts';
import { throttleAddress } from './client-address.ts';

/** At most `max` actions per key in each fixed window of `windowMs`. */
export interface RateLimit {
	max: number;
	windowMs: number;
}

/** How many accounts and boards may be created, per client address (and per user for boards). */
export interface CreationLimits {
	signUp: RateLimit;
	boardCreate: RateLimit;
}

const HOUR = 60 * 60_000;
const TEN_MINUTES = 10 * 60_000;

/**
 * Limits from SIGNUP_LIMIT_PER_HOUR (default 10 per address) and BOARD_LIMIT_PER_10_MIN (default 30 per
 * address and per user). Ten sign-ups an hour still lets a team behind one office address join together.
 */
export function creationLimitsFromEnv(env: Record<string, string | undefined>): CreationLimits {
	return {
		signUp: { max: positiveInt(env, 'SIGNUP_LIMIT_PER_HOUR', 10), windowMs: HOUR },
		boardCreate: { max: positiveInt(env, 'BOARD_LIMIT_PER_10_MIN', 30), windowMs: TEN_MINUTES }
	};
}

/** A throttle key and the limit that governs it. */
export interface RateKey {
	key: string;
	limit: RateLimit;
}

/** The key a sign-up counts against: the client address. */
export function signUpKeys(address: string, limits: CreationLimits): RateKey[] {
	return [{ key: `signup:address:${throttleAddress(address)}`, limit: limits.signUp }];
}

/** The keys a new board counts against: its creator and the client address. */
export function boardCreateKeys(userId: string, address: string, limits: CreationLimits): RateKey[] {
	return [
		{ key: `board:user:${userId}`, limit: limits.boardCreate },
		{ key: `board:address:${throttleAddress(address)}`, limit: limits.boardCreate }
	];
}

/**
 * Counts one action against every key and throws a `throttled` DomainError (with the seconds to wait) if any
 * key is over its limit. `message` words the refusal for the user, given a readable wait.
 */
export async function requireRateSlots(db: Db, keys: RateKey[], now: Date, message: (wait: string) => string, field?: string): Promise<void> {
	let wait = 0;
	for (const { key, limit } of keys) wait = Math.max(wait, await takeSlot(db, key, limit, now));
	if (wait > 0) throw new DomainError('throttled', message(formatWait(wait)), field, wait);
}

/** "45 seconds", "3 minutes": how long someone must wait, rounded up. */
export function formatWait(seconds: number): string {
	if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
	const minutes = Math.ceil(seconds / 60);
	return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

// One upsert, so parallel requests cannot all read "0 so far" and all pass (80 sign-ups in 1.5 s did).
// Reuses the login throttle table: `failures` is the count in the window, `locked_until` stays null.
async function takeSlot(db: Db, key: string, limit: RateLimit, now: Date): Promise<number> {
	const stamp = now.toISOString();
	const expired = sql`${loginThrottle.windowStartedAt} <= ${stamp}::timestamptz - ${`${limit.windowMs} milliseconds`}::interval`;
	const [row] = await db
		.insert(loginThrottle)
		.values({ key, failures: 1, windowStartedAt: now, lockedUntil: null })
		.onConflictDoUpdate({
			target: loginThrottle.key,
			set: {
				failures: sql`case when ${expired} then 1 else ${loginThrottle.failures} + 1 end`,
				windowStartedAt: sql`case when ${expired} then ${stamp}::timestamptz else ${loginThrottle.windowStartedAt} end`
			}
		})
		.returning({ count: loginThrottle.failures, since: loginThrottle.windowStartedAt });
	if (!row || row.count <= limit.max) return 0;
	return Math.max(1, Math.ceil((row.since.getTime() + limit.windowMs - now.getTime()) / 1000));
}

function positiveInt(env: Record<string, string | undefined>, name: string, fallback: number): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, not "${raw}".`);
	return value;
}
