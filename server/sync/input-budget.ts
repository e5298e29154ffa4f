import type { SyncOptions } from './options.ts';
import { CLOSE, syncStepOf } from './protocol.ts';

/** The tunables an input budget reads. */
export type BudgetOptions = Pick<
	SyncOptions,
	'maxPayload' | 'maxCatchUpBytes' | 'inputBytesPerSecond' | 'inputBytesBurst' | 'inputFramesPerSecond' | 'inputFramesBurst' | 'overBudgetCloseMs'
>;

/** What to do with one arrived frame: handle it (and stop reading for `pauseMs` first, if > 0), or close. */
export type Admission =
	| { verdict: 'accept'; pauseMs: number; catchUp: boolean }
	| { verdict: 'close'; code: number; reason: string; notice?: { reason: 'too-large' | 'over-budget'; message: string } };

/**
 * The largest frame ws reads at all (the server-wide `maxPayload` of the WebSocketServer): a catch-up up to one
 * ordinary frame over its cap is still read, so that it can be refused with 4413 and a notice rather than cut
 * off by ws with 1009, which clients retry. Each connection's own cap drops to `maxPayload` after its catch-up.
 */
export function frameCeiling(options: Pick<SyncOptions, 'maxPayload' | 'maxCatchUpBytes'>): number {
	return Math.max(options.maxPayload, options.maxCatchUpBytes + options.maxPayload);
}

/** The catch-up is the first sync step 2 a connection sends, and only within this long of connecting. */
export const CATCH_UP_WINDOW_MS = 30_000;
/**
 * A connection is back within its budget once it sent nothing that put it in debt for this long after its last
 * slow-down ended. A flooder's next frame is waiting the moment reading resumes, so it never gets there (however
 * busy the server, which only delays the resume); a person who pasted something big does within a second or two.
 */
const RECOVERED_AFTER_MS = 1_000;

/** A token bucket; `rate` 0 means unlimited. */
class Bucket {
	private tokens: number;
	constructor(
		private readonly rate: number,
		private readonly size: number,
		private at: number
	) {
		this.tokens = size;
	}

	/** Refills up to now. */
	refill(now: number): void {
		if (this.rate === 0) return;
		this.tokens = Math.min(this.size, this.tokens + ((now - this.at) / 1000) * this.rate);
		this.at = now;
	}

	/** Takes `amount`; returns how long (ms) until the bucket is out of debt again (0 when it is not in debt). */
	take(amount: number): number {
		if (this.rate === 0) return 0;
		this.tokens -= amount;
		return this.tokens >= 0 ? 0 : (-this.tokens / this.rate) * 1000;
	}
}

/** What a user's connections share: their buckets, and whether one of them has its catch-up window open. */
interface UserShare {
	bytes: Bucket;
	frames: Bucket;
	/** Until when one of the user's connections may send its catch-up (only one at a time). */
	catchUpOpenUntil: number;
}

/**
 * The input budgets of every user (one instance per server). A user's connections draw on one pair of buckets,
 * so that closing a socket and opening another does not bring a full burst or forget a debt, and only one of
 * them at a time may send a catch-up above the frame cap (each is a frame ws reads whole before we judge it).
 */
export class UserInputBudgets {
	private readonly users = new Map<string, UserShare>();

	constructor(private readonly options: BudgetOptions) {}

	/** A new connection's budget, drawing on its user's shared buckets. */
	forConnection(userId: string, now = performance.now()): InputBudget {
		let share = this.users.get(userId);
		if (!share) {
			share = {
				bytes: new Bucket(this.options.inputBytesPerSecond, this.options.inputBytesBurst, now),
				frames: new Bucket(this.options.inputFramesPerSecond, this.options.inputFramesBurst, now),
				catchUpOpenUntil: 0
			};
			this.users.set(userId, share);
		}
		return new InputBudget(this.options, now, share);
	}
}

/**
 * One connection's input budget: bytes and frames per second as token buckets (shared by the user's
 * connections when made by `UserInputBudgets`), the per-frame cap, and the one catch-up a connection may send
 * above that cap. Over budget, the connection is slowed first (the caller
 * stops reading its socket until the buckets are out of debt); still over budget after `overBudgetCloseMs`,
 * it is closed with a notice. A catch-up's debt is paid by slowing only: it is one frame, not a flood.
 */
export class InputBudget {
	private readonly bytes: Bucket;
	private readonly frames: Bucket;
	/** When the connection went over budget and has not been back within it since (null: within budget). */
	private overSince: number | null = null;
	/** When the last slow-down ends (or ended). */
	private slowedUntil = -Infinity;
	private catchUpUntil: number;

	constructor(
		private readonly options: BudgetOptions,
		now = performance.now(),
		private readonly share: UserShare = {
			bytes: new Bucket(options.inputBytesPerSecond, options.inputBytesBurst, now),
			frames: new Bucket(options.inputFramesPerSecond, options.inputFramesBurst, now),
			catchUpOpenUntil: 0
		}
	) {
		this.bytes = share.bytes;
		this.frames = share.frames;
		// Another connection of this user may be sending its catch-up: then this one gets the ordinary cap.
		this.catchUpUntil = share.catchUpOpenUntil > now ? 0 : now + CATCH_UP_WINDOW_MS;
		if (this.catchUpUntil > 0) share.catchUpOpenUntil = this.catchUpUntil;
	}

	/** The largest frame this connection may still send: the catch-up cap until its catch-up arrived, then `maxPayload`. */
	get frameCap(): number {
		return this.catchUpUntil > 0 ? frameCeiling(this.options) : this.options.maxPayload;
	}

	/** Closes the catch-up window if it has run out (the frame cap drops to `maxPayload`). */
	expireCatchUp(now = performance.now()): void {
		if (this.catchUpUntil > 0 && now >= this.catchUpUntil) this.endCatchUp();
	}

	private endCatchUp(): void {
		if (this.catchUpUntil === 0) return;
		// The user's next connection may have a window of its own.
		if (this.share.catchUpOpenUntil === this.catchUpUntil) this.share.catchUpOpenUntil = 0;
		this.catchUpUntil = 0;
	}

	/** Charges one arrived frame and says what to do with it. */
	admit(frame: Uint8Array, now = performance.now()): Admission {
		const size = frame.length;
		const isStep2 = syncStepOf(frame) === 1;
		const catchUp = isStep2 && now < this.catchUpUntil;
		// Once per connection: a later step 2 is an ordinary frame.
		if (isStep2) this.endCatchUp();
		else this.expireCatchUp(now);
		if (size > this.options.maxPayload) {
			if (!catchUp) return { verdict: 'close', code: CLOSE.tooBig, reason: 'Frame too big' };
			if (size > this.options.maxCatchUpBytes) {
				const message =
					`Your changes made while offline are too large for the server to accept (${mb(size)}; the limit is ${mb(this.options.maxCatchUpBytes)}). ` +
					'They are kept in this browser but were not sent, and reconnecting will not help. Ask the board owner or your administrator for help.';
				return { verdict: 'close', code: CLOSE.tooLarge, reason: 'Catch-up too large', notice: { reason: 'too-large', message } };
			}
		}
		this.bytes.refill(now);
		this.frames.refill(now);
		if (now - this.slowedUntil >= RECOVERED_AFTER_MS) this.overSince = null;
		const debtMs = Math.max(this.bytes.take(size), this.frames.take(1));
		if (debtMs === 0) return { verdict: 'accept', pauseMs: 0, catchUp };
		this.slowedUntil = Math.max(this.slowedUntil, now + debtMs);
		if (catchUp) return { verdict: 'accept', pauseMs: debtMs, catchUp };
		this.overSince ??= now;
		if (now + debtMs - this.overSince > this.options.overBudgetCloseMs) {
			const message = 'This connection sent changes faster than the server accepts for too long, so it was closed. Your changes are kept and are sent again when you reconnect.';
			return { verdict: 'close', code: CLOSE.overBudget, reason: 'Over the input budget', notice: { reason: 'over-budget', message } };
		}
		return { verdict: 'accept', pauseMs: debtMs, catchUp };
	}
}

function mb(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
