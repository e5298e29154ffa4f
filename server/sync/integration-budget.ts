import { encodeNotice } from '../../src/lib/sync-protocol/notice.ts';
import type { Connection } from './connection.ts';
import { CLOSE } from './protocol.ts';

/** Milliseconds of integration a connection may use at once (a big offline catch-up takes a few hundred). */
export const INTEGRATION_BURST_MS = 2_000;
/** Milliseconds of integration per second a connection earns back: a fifth of one core. */
export const INTEGRATION_REFILL_PER_S = 200;

interface Allowance {
	ms: number;
	at: number;
}

/**
 * What integrating a connection's updates costs the server's thread, as a token bucket in milliseconds. The
 * shape guard refuses the known costly shapes before integration; this catches whatever costs too much anyway
 * (updates that are each cheap but, repeated, keep the thread busy for everyone): over the allowance, the
 * connection is closed with a notice, and its board and every other board carry on.
 */
export class IntegrationBudget {
	private readonly allowances = new WeakMap<Connection, Allowance>();

	constructor(
		private readonly burstMs = INTEGRATION_BURST_MS,
		private readonly refillPerSecond = INTEGRATION_REFILL_PER_S
	) {}

	/** Records that integrating one of `conn`'s updates took `ms`. */
	charge(conn: Connection, ms: number): void {
		const allowance = this.current(conn);
		allowance.ms -= ms;
	}

	/** Closes `conn` (1008, with a notice) if it used more than its allowance; true when it did. */
	enforce(conn: Connection): boolean {
		if (this.current(conn).ms >= 0) return false;
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

	private current(conn: Connection): Allowance {
		const now = performance.now();
		let allowance = this.allowances.get(conn);
		if (!allowance) {
			allowance = { ms: this.burstMs, at: now };
			this.allowances.set(conn, allowance);
		}
		allowance.ms = Math.min(this.burstMs, allowance.ms + ((now - allowance.at) / 1000) * this.refillPerSecond);
		allowance.at = now;
		return allowance;
	}
}
