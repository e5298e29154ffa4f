/**
 * Refused upgrades allowed per key (the session, by its token hash): a token bucket of `burst` that refills
 * by `perSecond`, charged only when an upgrade is refused after its database reads (no such session, no
 * such board or not a member, too many sockets).
 *
 * Every upgrade reads the database before it can be refused, and on PGlite those reads run on the event
 * loop everyone shares. A browser's upgrades succeed, so they never pay; a script trying thousands of board
 * ids runs dry after `burst` and is answered 429 without any read.
 */
export class UpgradeLimiter {
	private readonly buckets = new Map<string, { tokens: number; at: number }>();
	private charges = 0;

	/** `perSecond` 0 turns the limit off. */
	constructor(
		private readonly burst: number,
		private readonly perSecond: number,
		private readonly now: () => number = () => performance.now()
	) {}

	/** Whether `key` may try an upgrade now (its bucket is not empty). */
	allows(key: string): boolean {
		if (this.perSecond <= 0) return true;
		const bucket = this.buckets.get(key);
		return !bucket || this.refilled(bucket, this.now()) >= 1;
	}

	/** Records a refused upgrade for `key`. */
	charge(key: string): void {
		if (this.perSecond <= 0) return;
		const now = this.now();
		if (++this.charges % 1_000 === 0) this.sweep(now);
		const bucket = this.buckets.get(key);
		const tokens = bucket ? this.refilled(bucket, now) : this.burst;
		// Never below empty: refusals already in flight when it ran dry do not push recovery further off.
		this.buckets.set(key, { tokens: Math.max(0, tokens - 1), at: now });
	}

	/** Keys with a bucket that is not full (full ones are forgotten now and then). */
	get size(): number {
		return this.buckets.size;
	}

	private refilled(bucket: { tokens: number; at: number }, now: number): number {
		return Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
	}

	/** Forgets buckets that have refilled: they hold nothing a fresh one would not. */
	private sweep(now: number): void {
		for (const [key, bucket] of this.buckets) if (this.refilled(bucket, now) >= this.burst) this.buckets.delete(key);
	}
}
