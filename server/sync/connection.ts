import type { WebSocket, RawData } from 'ws';
import type { Role } from '../../src/lib/server/auth/permissions.ts';
import type { AwarenessUser } from '../../src/lib/sync-protocol/identity.ts';
import { encodeNotice } from '../../src/lib/sync-protocol/notice.ts';
import { CATCH_UP_WINDOW_MS, type InputBudget } from './input-budget.ts';
import { CLOSE } from './protocol.ts';

/** Who is on the other end of a socket, as established when the upgrade was authorized. */
export interface ConnectionIdentity {
	sessionId: string;
	user: AwarenessUser;
	role: Role;
}

/** What a connection reports to its room. */
export interface ConnectionEvents {
	/** A binary frame arrived. */
	message(conn: Connection, frame: Uint8Array): void;
	/** The socket closed (for any reason); called once. */
	close(conn: Connection): void;
}

let nextConnectionId = 1;

/** A socket closes when this much output is queued: the client is too slow and will resync on reconnect. */
const MAX_BUFFERED = 16 * 1024 * 1024;
/**
 * A socket whose frames wait for the board's engine (another thread) beyond these is not read until the engine
 * caught up: its client's frames back up in its own buffers, not in the server's memory.
 */
const MAX_OUTSTANDING_FRAMES = 64;
const MAX_OUTSTANDING_BYTES = 4 * 1024 * 1024;
/** Most input held while access is re-checked (a re-check takes milliseconds; this is a flood). */
const MAX_HELD = 8 * 1024 * 1024;
/**
 * Requests for the whole state (sync step 1, presence query) answered per socket: two at once, then one per
 * 10 s. Each answer encodes the whole document (about 100 ms for 3,000 cards); y-websocket sends one per
 * connection, so more is a loop or an attack.
 */
const STATE_REQUESTS_BURST = 2;
const STATE_REQUEST_EVERY_MS = 10_000;

/** One client socket on a board: its identity, current role, awareness ids, and keep-alive state. */
export class Connection {
	/** Unique in this process: names the socket to its board's engine (which may run on another thread). */
	readonly id = nextConnectionId++;
	/** Current role; access changes update it in place (a demoted editor's writes are dropped from then on). */
	role: Role;
	/** Awareness client ids this connection introduced; it may update only these. */
	readonly awarenessIds = new Set<number>();
	private answeredPing = true;
	private closed = false;
	/** While > 0, incoming frames wait in `held` (in order) instead of being handled. */
	private holds = 0;
	private held: Uint8Array[] = [];
	private heldBytes = 0;
	private stateRequests = { tokens: STATE_REQUESTS_BURST, at: performance.now() };
	/** Charged for every frame on arrival (see `meterWith`); none until set. */
	private budget: InputBudget | null = null;
	private log: (message: string) => void = () => {};
	/** While set, the socket is not read (over budget): the client's own frames back up, not the server's work. */
	private resumeTimer: ReturnType<typeof setTimeout> | null = null;
	private resumeAt = 0;
	/** Lowers the frame cap when the catch-up window ends, even if the socket sent nothing meanwhile. */
	private capTimer: ReturnType<typeof setTimeout> | null = null;
	/** Frames handed to the board's engine and not answered yet (see `workStarted`). */
	private outstanding = { frames: 0, bytes: 0 };
	/** Set while the socket is not read because too much of its input waits for the engine. */
	private backedUp = false;
	/** Asked before each frame is handled; may `hold()` the connection (a session re-check), see `guardWith`. */
	private gate: ((conn: Connection) => void) | null = null;

	constructor(
		private readonly ws: WebSocket,
		readonly identity: ConnectionIdentity,
		private readonly events: ConnectionEvents
	) {
		this.role = identity.role;
		ws.binaryType = 'nodebuffer';
		ws.on('message', (data: RawData, isBinary: boolean) => {
			if (this.closed) return;
			if (!isBinary) return this.close(CLOSE.unsupported, 'Binary frames only');
			const frame = toBytes(data);
			if (!this.admit(frame)) return;
			if (this.holds === 0 && this.held.length === 0 && this.passesGate()) return events.message(this, frame);
			this.heldBytes += frame.length;
			// One frame was admitted by the budget already; only a pile of them while held is a flood.
			if (this.heldBytes > MAX_HELD && this.held.length > 0) return this.close(CLOSE.tryAgain, 'Too much input while access was checked');
			this.held.push(frame);
			this.drain();
		});
		ws.on('pong', () => (this.answeredPing = true));
		// Errors are followed by 'close'; listening keeps them from being thrown. The one a client can cause is
		// a frame over the cap, cut off by ws as its header arrives: say so, or a client resending it looks fine.
		ws.on('error', (err: Error & { code?: string }) => {
			if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.log(`sync: user ${this.userId}: frame over ${this.budget?.frameCap ?? 'the'} byte cap, closed (1009)`);
		});
		ws.once('close', () => {
			this.closed = true;
			if (this.resumeTimer) clearTimeout(this.resumeTimer);
			if (this.capTimer) clearTimeout(this.capTimer);
			events.close(this);
		});
	}

	/** The signed-in user's id. */
	get userId(): string {
		return this.identity.user.id;
	}

	/** Whether the socket is still usable. */
	get open(): boolean {
		return !this.closed && this.ws.readyState === this.ws.OPEN;
	}

	/**
	 * Stops handling this socket's frames until a matching `release()`: they queue, in order. Used while its
	 * access is re-read after a role change, so that no write slips in under the old role.
	 */
	hold(): void {
		this.holds++;
	}

	/** Ends one `hold()`; once none is left, the queued frames are handled in the order they arrived. */
	release(): void {
		if (this.holds === 0) return;
		this.holds--;
		this.drain();
	}

	/**
	 * Meters this socket's input with `budget` from now on: over it, the socket is not read until the budget
	 * allows (the client's frames back up in its own buffers); a frame the budget refuses closes the socket,
	 * with a notice when the user should know why. `log` gets one line per such close.
	 */
	meterWith(budget: InputBudget, log: (message: string) => void): void {
		this.budget = budget;
		this.log = log;
		setFrameCap(this.ws, budget.frameCap);
		// A quiet socket must not keep the raised cap (ws buffers a whole frame before we see it).
		this.capTimer = setTimeout(() => {
			budget.expireCatchUp();
			if (!this.closed) setFrameCap(this.ws, budget.frameCap);
		}, CATCH_UP_WINDOW_MS + 1);
	}

	/**
	 * Asks `gate` before each frame is handled; the gate may `hold()` this connection (and later `release()` or
	 * `close()` it), and the frame waits with the rest. Used to re-check a session whose known expiry passed.
	 */
	guardWith(gate: (conn: Connection) => void): void {
		this.gate = gate;
	}

	/** Takes one answer to a whole-state request (sync step 1, presence query); false when this socket used them up. */
	takeStateRequest(): boolean {
		const now = performance.now();
		const { tokens, at } = this.stateRequests;
		const refilled = Math.min(STATE_REQUESTS_BURST, tokens + (now - at) / STATE_REQUEST_EVERY_MS);
		this.stateRequests = { tokens: refilled >= 1 ? refilled - 1 : refilled, at: now };
		return refilled >= 1;
	}

	/**
	 * A frame of `bytes` was handed to the board's engine. Past MAX_OUTSTANDING_* unanswered, the socket is not read
	 * until `workDone` brings it back under half of that.
	 */
	workStarted(bytes: number): void {
		this.outstanding.frames++;
		this.outstanding.bytes += bytes;
		if (this.backedUp || (this.outstanding.frames <= MAX_OUTSTANDING_FRAMES && this.outstanding.bytes <= MAX_OUTSTANDING_BYTES)) return;
		this.backedUp = true;
		this.ws.pause();
	}

	/** The engine answered a frame of `bytes` handed to it with `workStarted`. */
	workDone(bytes: number): void {
		this.outstanding.frames--;
		this.outstanding.bytes -= bytes;
		if (!this.backedUp || this.outstanding.frames > MAX_OUTSTANDING_FRAMES / 2 || this.outstanding.bytes > MAX_OUTSTANDING_BYTES / 2) return;
		this.backedUp = false;
		if (!this.closed && !this.resumeTimer) this.ws.resume();
	}

	/** Whether the socket is not being read right now because it went over its input budget. */
	get throttled(): boolean {
		return this.resumeTimer !== null;
	}

	/** Whether frames are being held (an access re-check is under way). */
	get onHold(): boolean {
		return this.holds > 0;
	}

	/** Sends one frame; a client that stopped reading is dropped rather than buffered forever. */
	send(frame: Uint8Array, sent?: () => void): void {
		if (!this.open) return;
		if (this.ws.bufferedAmount > MAX_BUFFERED) return this.terminate();
		this.ws.send(frame, sent && (() => sent()));
	}

	/** Closes with a code and reason; the client sees them in its close event. */
	close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		this.held = [];
		this.ws.close(code, reason);
		// A peer that never answers the close handshake must not keep the socket alive.
		setTimeout(() => this.ws.terminate(), 5_000).unref();
	}

	/** Drops the socket at once (dead or hopelessly slow peers). */
	terminate(): void {
		this.closed = true;
		this.ws.terminate();
	}

	/** Keep-alive tick: a peer that did not answer the previous ping is dropped. */
	ping(): void {
		if (this.closed) return;
		// While we do not read the socket its pong waits unread too: not the peer's fault.
		if (this.resumeTimer || this.backedUp) return;
		if (!this.answeredPing) return this.terminate();
		this.answeredPing = false;
		this.ws.ping();
	}

	/** Handles queued frames in order while nothing holds the connection. */
	private drain(): void {
		while (this.holds === 0 && !this.closed && this.held.length > 0) {
			if (!this.passesGate()) return;
			const frame = this.held.shift()!;
			this.heldBytes -= frame.length;
			this.events.message(this, frame);
		}
	}

	/** Runs the gate; false when it put the connection on hold. */
	private passesGate(): boolean {
		this.gate?.(this);
		return this.holds === 0 && !this.closed;
	}

	/** Charges a frame to the budget: false when the connection was closed for it; pauses reading when over budget. */
	private admit(frame: Uint8Array): boolean {
		if (!this.budget) return true;
		const admission = this.budget.admit(frame);
		if (admission.verdict === 'close') {
			this.log(`sync: user ${this.userId}: ${admission.reason} (${frame.length} bytes), closed (${admission.code})`);
			if (admission.notice) this.send(encodeNotice({ type: 'limit', ...admission.notice }));
			this.close(admission.code, admission.reason);
			return false;
		}
		// The catch-up window ends with the first step 2: from then on ws cuts bigger frames off at their header.
		setFrameCap(this.ws, this.budget.frameCap);
		if (admission.pauseMs > 0) this.pauseFor(admission.pauseMs);
		return true;
	}

	/** Stops reading the socket for `ms` (or longer, if a pause already runs past that). */
	private pauseFor(ms: number): void {
		const until = performance.now() + ms;
		if (this.resumeTimer && until <= this.resumeAt) return;
		if (this.resumeTimer) clearTimeout(this.resumeTimer);
		this.resumeAt = until;
		this.ws.pause();
		this.resumeTimer = setTimeout(() => {
			this.resumeTimer = null;
			if (!this.closed && !this.backedUp) this.ws.resume();
		}, Math.ceil(ms));
	}
}

/**
 * Lowers (or raises) the frame size at which ws cuts a frame off as its header arrives, for this socket only.
 * ws has no public per-socket setting; without its receiver's field the server-wide cap stays in force and
 * the budget still refuses over-cap frames after they arrived, so this only saves buffering them.
 */
function setFrameCap(ws: WebSocket, bytes: number): void {
	const receiver = (ws as unknown as { _receiver?: { _maxPayload?: unknown } })._receiver;
	if (receiver && typeof receiver._maxPayload === 'number') receiver._maxPayload = bytes;
}

function toBytes(data: RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
