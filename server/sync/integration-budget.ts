import { encodeNotice } from '../../src/lib/sync-protocol/notice.ts';
import type { Connection } from './connection.ts';
import { CLOSE } from './protocol.ts';

interface Allowance {
	ms: number;
	at: number;
}

/**
 * What integrating a user's updates costs the server's thread, as a token bucket in milliseconds per user,
 * across their sockets and boards (one instance per server), so that reconnecting does not refill it. The guards
 * refuse the known costly shapes before integration; this catches whatever costs too much anyway: once a user
 * is over the allowance their socket is closed with a notice, and their next updates are refused unapplied until
 * it has refilled. Every other user and board carries on.
 */
export class IntegrationBudget {
	private readonly allowances = new Map<string, Allowance>();

	constructor(
		private readonly burstMs: number,
		private readonly refillPerSecond: number
	) {}

	/** Records that integrating one of `conn`'s updates took `ms`. */
	charge(conn: Connection, ms: number): void {
		const allowance = this.current(conn.userId);
		allowance.ms -= ms;
		// A full allowance is the default: forget it, so the map holds only users who recently spent.
		if (allowance.ms >= this.burstMs) this.allowances.delete(conn.userId);
	}

	/**
	 * Closes `conn` (1008, with a notice) if its user has used more than their allowance; true when it did.
	 * Called before integrating an update (which is then not applied) and after.
	 */
	enforce(conn: Connection): boolean {
		if (this.current(conn.userId).ms >= 0) return false;
		conn.send(
			encodeNotice({
				type: 'limit',
				reason: 'over-budget',
				message: 'Your recent changes took the server too long to apply, so this connection was paused. It reconnects by itself; nothing you did is lost.'
			})
		);
		conn.close(CLOSE.overBudget, 'Updates cost too much to apply');
		return true;
	}

	private current(userId: string): Allowance {
		const now = performance.now();
		let allowance = this.allowances.get(userId);
		if (!allowance) {
			allowance = { ms: this.burstMs, at: now };
			this.allowances.set(userId, allowance);
		}
		allowance.ms = Math.min(this.burstMs, allowance.ms + ((now - allowance.at) / 1000) * this.refillPerSecond);
		allowance.at = now;
		return allowance;
	}
}
