import { eq } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client.ts';
import { boardOwnerFences } from '../../src/lib/server/db/schema/documents.ts';
import { advanceFence, type OwnerFences } from '../persistence/owner-fence.ts';
import type { Cluster } from './cluster.ts';

/** Who owns a board after a claim: this instance (with its fencing token), or another one. */
export type Claim = { fence: number } | { owner: string };

/** What a RoomRegistry asks before it loads a board, and tells when it unloads one. */
export interface BoardOwnership {
	/** Takes the board's lease if nobody holds it (and raises the stored fence); says who owns it otherwise. */
	claim(boardId: string): Promise<Claim>;
	/** The room unloaded: the lease is given up (only if still ours). */
	release(boardId: string): void;
}

/** Renews the lease if it is still ours. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes the lease if it is still ours. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Raises the fence counter to at least ARGV[1] (a Redis that lost its data must not hand out old tokens again). */
const RAISE = `local v = tonumber(redis.call('get', KEYS[1]) or '0') if v < tonumber(ARGV[1]) then redis.call('set', KEYS[1], ARGV[1]) end return 1`;

/**
 * One lease per open board in Redis (`SET lease NX PX`), renewed every third of its lifetime while the board is
 * open here, with a fencing token from `INCR` at each acquisition. The token is written to the database before the
 * board is loaded and checked by every write (owner-fence.ts): an instance that lost its lease cannot store.
 */
export class BoardLeases implements BoardOwnership, OwnerFences {
	private readonly held = new Map<string, { fence: number; renewedAt: number }>();
	private readonly timer: ReturnType<typeof setInterval>;
	/** Told when a lease was lost while the board was open here (another instance may own it now). */
	onLost: (boardId: string) => void = () => {};

	constructor(
		private readonly cluster: Cluster,
		private readonly db: Db
	) {
		this.timer = setInterval(() => void this.renew(), Math.max(100, Math.floor(cluster.options.leaseMs / 3)));
		this.timer.unref();
	}

	async claim(boardId: string): Promise<Claim> {
		const { redis, id } = this.cluster;
		const leaseKey = this.cluster.key(`lease:${boardId}`);
		for (let tries = 0; tries < 3; tries++) {
			const got = await redis.set(leaseKey, id, 'PX', this.cluster.options.leaseMs, 'NX');
			if (got === 'OK') return { fence: await this.fence(boardId) };
			const owner = await redis.get(leaseKey);
			// Expired between the two commands: try again.
			if (owner === null) continue;
			// Ours already (an unload that has not released yet): a fresh token all the same.
			if (owner === id) return { fence: await this.fence(boardId) };
			return { owner };
		}
		throw new Error(`Could not tell who owns board ${boardId}`);
	}

	release(boardId: string): void {
		if (!this.held.delete(boardId)) return;
		this.cluster.redis.eval(RELEASE, 1, this.cluster.key(`lease:${boardId}`), this.cluster.id).catch(() => {});
	}

	current(boardId: string): number | null {
		return this.held.get(boardId)?.fence ?? null;
	}

	stale(boardId: string): void {
		this.lose(boardId);
	}

	/** Stops renewing (shutdown: the rooms released their leases already, or they expire). */
	stop(): void {
		clearInterval(this.timer);
	}

	/** A new token, stored in the database before anything of the board is read. */
	private async fence(boardId: string): Promise<number> {
		const fenceKey = this.cluster.key(`fence:${boardId}`);
		for (;;) {
			const fence = await this.cluster.redis.incr(fenceKey);
			this.held.set(boardId, { fence, renewedAt: Date.now() });
			if (await advanceFence(this.db, boardId, fence)) return fence;
			// The database knows a newer token than Redis (Redis lost its data): move the counter past it.
			const [row] = await this.db.select({ fence: boardOwnerFences.fence }).from(boardOwnerFences).where(eq(boardOwnerFences.boardId, boardId));
			await this.cluster.redis.eval(RAISE, 1, fenceKey, String(row?.fence ?? fence + 1000));
		}
	}

	private async renew(): Promise<void> {
		const now = Date.now();
		await Promise.all(
			[...this.held].map(async ([boardId, lease]) => {
				try {
					const ok = await this.cluster.redis.eval(RENEW, 1, this.cluster.key(`lease:${boardId}`), this.cluster.id, String(this.cluster.options.leaseMs));
					if (ok === 1) lease.renewedAt = now;
					else this.lose(boardId);
				} catch {
					// Redis unreachable: ours only as long as the lease would have lasted.
					if (now - lease.renewedAt >= this.cluster.options.leaseMs) this.lose(boardId);
				}
			})
		);
	}

	private lose(boardId: string): void {
		if (!this.held.delete(boardId)) return;
		this.cluster.options.log(`cluster: lost the lease on board ${boardId}; another server takes it over`);
		this.onLost(boardId);
	}
}
