import type { Db } from '../../src/lib/server/db/client.ts';
import type { Clock } from '../../src/lib/server/clock.ts';
import { liveSessionExpiries } from '../../src/lib/server/auth/sessions.ts';
import type { Connection } from './connection.ts';
import { CLOSE } from './protocol.ts';

/** What a session watch needs. */
export interface SessionWatchDeps {
	db: Db;
	clock: Clock;
	/** Every open connection of this server. */
	connections(): Iterable<Connection>;
	/** How often every open connection's session is read again. */
	intervalMs: number;
	log(message: string, err?: unknown): void;
}

/**
 * Ends sockets whose session ended by any route: expiry, deletion in the database, sign-out on another server.
 * Every `intervalMs` one query reads all open sessions (renewals by HTTP requests included); a frame arriving
 * after a connection's known expiry is held until a fresh read says whether the session still lives. Dead
 * sessions' sockets close with 4401. Sign-outs through this server's routes close them at once as well
 * (access-listener.ts); this is what catches everything else.
 */
export class SessionWatch {
	/** The session expiry each watched connection last saw (ms since the epoch). */
	private readonly known = new WeakMap<Connection, number>();
	/** Connections on hold until the next read. */
	private waiting = new Set<Connection>();
	private running: Promise<void> | null = null;
	private again = false;
	private timer: ReturnType<typeof setInterval> | null = null;
	private failing = false;

	constructor(private readonly deps: SessionWatchDeps) {}

	/** Starts the periodic check. */
	start(): void {
		this.timer ??= setInterval(() => void this.check(), this.deps.intervalMs);
		this.timer.unref();
	}

	/** Stops the periodic check (shutdown). */
	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
	}

	/** Guards `conn`, whose session was valid until `expiresAt` when it was authorized. */
	watch(conn: Connection, expiresAt: Date): void {
		this.known.set(conn, expiresAt.getTime());
		conn.guardWith((c) => this.gate(c));
	}

	/**
	 * Reads the session of every open connection (one query) and closes those whose session ended; resolves
	 * when done. A call while a read runs is served by one more read right after it.
	 */
	check(): Promise<void> {
		if (this.running) {
			this.again = true;
			return this.running;
		}
		this.running = this.loop().finally(() => {
			this.running = null;
			// A call in the gap between the loop's last pass and this line asked for one more read.
			if (this.again) void this.check();
		});
		return this.running;
	}

	/** Before a frame is handled: past the known expiry, hold the connection until a fresh read. */
	private gate(conn: Connection): void {
		if (this.waiting.has(conn)) return;
		const expiresAt = this.known.get(conn);
		if (expiresAt === undefined || this.deps.clock.now().getTime() < expiresAt) return;
		conn.hold();
		this.waiting.add(conn);
		void this.check();
	}

	private async loop(): Promise<void> {
		do {
			this.again = false;
			await this.once();
		} while (this.again);
	}

	private async once(): Promise<void> {
		const held = [...this.waiting];
		this.waiting = new Set();
		// Judged: only the connections open when the query was made (one that attaches meanwhile is not in it).
		const judged = new Set([...this.deps.connections()].filter((c) => c.open));
		for (const conn of held) judged.add(conn);
		let live: Map<string, Date>;
		try {
			live = await liveSessionExpiries(this.deps.db, [...new Set([...judged].map((c) => c.identity.sessionId))], this.deps.clock.now());
		} catch (err) {
			if (!this.failing) this.deps.log('sync: could not re-check open sessions', err);
			this.failing = true;
			// A periodic read failing (database down) leaves sockets alone: boards stay live in an outage. A socket
			// past its known expiry, though, is not served on a guess: it reconnects and is authorized afresh.
			for (const conn of held) conn.close(CLOSE.unresponsive, 'Session check failed');
			return;
		}
		this.failing = false;
		for (const conn of judged) {
			const expiresAt = live.get(conn.identity.sessionId);
			if (expiresAt === undefined) conn.close(CLOSE.sessionEnded, 'Session ended');
			else this.known.set(conn, expiresAt.getTime());
		}
		for (const conn of held) conn.release();
	}
}
