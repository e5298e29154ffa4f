const DAY_MS = 24 * 60 * 60 * 1000;

/** Sessions last 30 days from their last renewal. */
export const SESSION_TTL_MS = 30 * DAY_MS;
/** A session is renewed when fewer than 15 days remain. */
export const SESSION_RENEW_BELOW_MS = 15 * DAY_MS;
/** No session outlives 90 days from sign-in, however active. */
export const SESSION_ABSOLUTE_TTL_MS = 90 * DAY_MS;

/** The lifetime fields of a session. */
export interface SessionTimes {
	expiresAt: Date;
	absoluteExpiresAt: Date;
}

/** Lifetimes for a session created at `now`. */
export function newSessionTimes(now: Date): SessionTimes & { createdAt: Date } {
	return {
		createdAt: now,
		expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
		absoluteExpiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_TTL_MS)
	};
}

/** What to do with a stored session at `now`: reject it, keep it, or extend it to a new expiry. */
export function judgeSession(
	session: SessionTimes,
	now: Date
): { verdict: 'expired' } | { verdict: 'valid' } | { verdict: 'renew'; expiresAt: Date } {
	const t = now.getTime();
	if (t >= session.expiresAt.getTime() || t >= session.absoluteExpiresAt.getTime()) return { verdict: 'expired' };
	if (session.expiresAt.getTime() - t >= SESSION_RENEW_BELOW_MS) return { verdict: 'valid' };
	const renewed = Math.min(t + SESSION_TTL_MS, session.absoluteExpiresAt.getTime());
	// Near the absolute cap there is nothing left to extend.
	if (renewed <= session.expiresAt.getTime()) return { verdict: 'valid' };
	return { verdict: 'renew', expiresAt: new Date(renewed) };
}
