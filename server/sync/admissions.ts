import type { SyncOptions } from './options.ts';
import { UpgradeLimiter } from './upgrade-limiter.ts';

/**
 * Who may connect, as far as upgrades need to know: a per-user count of sockets (open or being
 * authorized) for the cap, each session's allowance of refused upgrades, and an epoch that every access
 * change bumps.
 *
 * The epoch closes a race: an upgrade reads the session and the membership, then waits for the room to
 * load. A sign-out or role change in that window finds no socket to close yet. The upgrade notes the
 * epoch before its first read and, if it moved by the time the socket would attach, reads both again.
 */
export class Admissions {
	private readonly perUser = new Map<string, number>();
	private readonly maxPerUser: number;
	private readonly refusals: UpgradeLimiter;
	private changes = 0;

	/** `maxSocketsPerUser` 0 means no cap; `refusedUpgradesPerSecond` 0 means no allowance limit. */
	constructor(options: Pick<SyncOptions, 'maxSocketsPerUser' | 'refusedUpgradeBurst' | 'refusedUpgradesPerSecond'>) {
		this.maxPerUser = options.maxSocketsPerUser;
		this.refusals = new UpgradeLimiter(options.refusedUpgradeBurst, options.refusedUpgradesPerSecond);
	}

	/** Whether the session (by its id, the token's hash) may try an upgrade: it has not run out of refusals. */
	mayTry(sessionId: string): boolean {
		return this.refusals.allows(sessionId);
	}

	/** Records that an upgrade of the session was refused after reading the database. */
	refused(sessionId: string): void {
		this.refusals.charge(sessionId);
	}

	/** Changes whenever any session ends or any membership changes. */
	get epoch(): number {
		return this.changes;
	}

	/** Called by the access listener on every access change, before it looks for open sockets. */
	accessChanged(): void {
		this.changes++;
	}

	/**
	 * Takes one of the user's socket slots; null when they already hold `maxPerUser`. The returned
	 * function gives the slot back (calling it again does nothing).
	 */
	reserve(userId: string): (() => void) | null {
		const held = this.perUser.get(userId) ?? 0;
		if (this.maxPerUser > 0 && held >= this.maxPerUser) return null;
		this.perUser.set(userId, held + 1);
		let released = false;
		return () => {
			if (released) return;
			released = true;
			const now = (this.perUser.get(userId) ?? 1) - 1;
			if (now > 0) this.perUser.set(userId, now);
			else this.perUser.delete(userId);
		};
	}

	/** Sockets the user holds (open or being authorized). */
	held(userId: string): number {
		return this.perUser.get(userId) ?? 0;
	}

	/** Users holding at least one socket (for diagnostics: returns to 0 when everyone left). */
	get users(): number {
		return this.perUser.size;
	}
}
