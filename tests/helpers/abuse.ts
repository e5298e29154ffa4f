import { connect, type Socket } from 'node:net';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import WebSocket from 'ws';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/lib/server/db/client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { boardMaps, mapAt } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { waitFor, type SyncClient } from './sync-client.ts';

/** Tools for the abuse suite: legitimate traffic to watch, event-loop stalls, raw sockets that misbehave. */

/**
 * Two legitimate clients editing all the time: every `everyMs`, A retitles one card and B another; each
 * edit is timed from the moment it is made until the other client holds it.
 */
/** Adds a probe card for each of two synced clients on one board (as `a`'s user) and waits until `b` has both. */
export async function addProbeCards(a: SyncClient, b: SyncClient, userId: string): Promise<{ a: string; b: string }> {
	const cmd = boardCommands(a.doc, { userId, now: () => new Date() });
	const stage = readSnapshot(a.doc).stages[0]!.id;
	const probes = { a: cmd.addCard(stage, 'probe A'), b: cmd.addCard(stage, 'probe B') };
	await waitFor('b has the probe cards', () => boardMaps(b.doc).cards.has(probes.b));
	return probes;
}

export class EditFlow {
	private n = 0;
	private timer: ReturnType<typeof setInterval> | null = null;
	/** Per direction: when each numbered edit was made, and when it arrived. */
	private readonly lanes = new Map<string, { sent: Map<number, number>; arrived: Map<number, number> }>();
	private windowStart = 0;

	constructor(
		private readonly a: SyncClient,
		private readonly b: SyncClient,
		private readonly cards: { a: string; b: string },
		private readonly userIds: { a: string; b: string }
	) {
		this.watch('a→b', b, cards.a);
		this.watch('b→a', a, cards.b);
	}

	/** Starts editing every `everyMs`. */
	start(everyMs = 50): void {
		this.timer = setInterval(() => this.tick(), everyMs);
	}

	/** Stops editing. */
	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
	}

	/** Starts a new measurement window (e.g. one attack). */
	mark(): void {
		this.windowStart = this.n + 1;
	}

	/**
	 * Waits until every edit made so far in the window arrived (or `boundMs` passed since it was made),
	 * then returns the window's figures: edits, the slowest arrival, and edits that did not arrive in time.
	 */
	async settle(boundMs: number): Promise<{ edits: number; maxMs: number; p50Ms: number; late: number }> {
		const last = this.n;
		const deadline = performance.now() + boundMs + 50;
		while (performance.now() < deadline && !this.allArrived(last)) await new Promise((r) => setTimeout(r, 10));
		const latencies: number[] = [];
		let late = 0;
		for (const { sent, arrived } of this.lanes.values()) {
			for (let i = this.windowStart; i <= last; i++) {
				const t = sent.get(i);
				if (t === undefined) continue;
				const at = arrived.get(i);
				if (at === undefined || at - t > boundMs) late++;
				if (at !== undefined) latencies.push(at - t);
			}
		}
		latencies.sort((x, y) => x - y);
		return {
			edits: latencies.length,
			maxMs: latencies.at(-1) ?? 0,
			p50Ms: latencies[Math.floor(latencies.length / 2)] ?? 0,
			late
		};
	}

	private allArrived(last: number): boolean {
		for (const { sent, arrived } of this.lanes.values()) {
			for (let i = Math.max(this.windowStart, 1); i <= last; i++) if (sent.has(i) && !arrived.has(i)) return false;
		}
		return true;
	}

	private tick(): void {
		const i = ++this.n;
		const now = performance.now();
		boardCommands(this.a.doc, { userId: this.userIds.a, now: () => new Date() }).setTitle(this.cards.a, `probe ${i}`);
		this.lane('a→b').sent.set(i, now);
		boardCommands(this.b.doc, { userId: this.userIds.b, now: () => new Date() }).setTitle(this.cards.b, `probe ${i}`);
		this.lane('b→a').sent.set(i, now);
	}

	private lane(name: string) {
		let lane = this.lanes.get(name);
		if (!lane) this.lanes.set(name, (lane = { sent: new Map(), arrived: new Map() }));
		return lane;
	}

	private watch(name: string, receiver: SyncClient, cardId: string): void {
		const lane = this.lane(name);
		receiver.doc.on('update', () => {
			const title = mapAt(boardMaps(receiver.doc).cards, cardId)?.get('title');
			const m = typeof title === 'string' ? /^probe (\d+)$/.exec(title) : null;
			if (!m) return;
			const now = performance.now();
			// Titles overwrite each other: seeing edit i means every earlier one arrived too.
			for (let i = Number(m[1]); i > 0 && !lane.arrived.has(i); i--) if (lane.sent.has(i)) lane.arrived.set(i, now);
		});
	}
}

/**
 * Event-loop stalls of this process (the in-process server's loop) while it runs, two ways:
 * - `maxMs`: the longest delay as `monitorEventLoopDelay` sees it (wall clock). On a loaded machine this
 *   includes time the OS gave the CPU to other processes.
 * - `busyMaxMs`: the longest stall counting only CPU time this process burned during it: the part the
 *   server itself caused. A 5 ms ticker compares wall time and process.cpuUsage() between ticks.
 */
export class LoopWatch {
	private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 5 });
	private ticker: ReturnType<typeof setInterval> | null = null;
	private busyMax = 0;

	/** Starts (or restarts) measuring. */
	start(): void {
		this.histogram.reset();
		this.histogram.enable();
		this.busyMax = 0;
		const tickMs = 5;
		let last = performance.now();
		let lastCpu = process.cpuUsage();
		this.ticker = setInterval(() => {
			const now = performance.now();
			const cpu = process.cpuUsage();
			const blocked = now - last - tickMs;
			const burned = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
			if (blocked > 0) this.busyMax = Math.max(this.busyMax, Math.min(blocked, burned));
			last = now;
			lastCpu = cpu;
		}, tickMs);
	}

	/** Stops; returns the longest stall and the 99th percentile (wall clock), and the longest stall of our own making, in ms. */
	stop(): { maxMs: number; p99Ms: number; busyMaxMs: number } {
		this.histogram.disable();
		if (this.ticker) clearInterval(this.ticker);
		this.ticker = null;
		return { maxMs: this.histogram.max / 1e6, p99Ms: this.histogram.percentile(99) / 1e6, busyMaxMs: this.busyMax };
	}
}

/** How a raw socket ended. */
export interface Ending {
	/** WebSocket close code, or the HTTP status of a refused upgrade. */
	code: number;
	reason: string;
	/** performance.now() when it ended. */
	at: number;
}

/** A bare `ws` client that completed (or was refused) the upgrade to `/sync/<boardId>`. */
export interface RawSocket {
	ws: WebSocket;
	/** Resolves when the upgrade was accepted; rejects with the HTTP status if it was refused. */
	opened: Promise<void>;
	/** Resolves once the socket is gone: the close code, or the refusal's status. */
	ended: Promise<Ending>;
	/** Frames received, in order. */
	received: Uint8Array[];
}

/** Opens a raw socket to `/sync/<boardId>` with `cookie`, as a browser on our origin would. */
export function rawSocket(baseUrl: string, boardId: string, cookie: string, options: WebSocket.ClientOptions = {}): RawSocket {
	const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/sync/${boardId}`, { ...options, headers: { cookie, origin: baseUrl } });
	const received: Uint8Array[] = [];
	ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
	ws.on('error', () => {});
	let refusedWith = 0;
	const opened = new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('unexpected-response', (_req, res) => {
			refusedWith = res.statusCode ?? 0;
			res.resume();
			reject(new Error(`upgrade refused: ${refusedWith}`));
			ws.terminate();
		});
	});
	opened.catch(() => {});
	const ended = new Promise<Ending>((resolve) =>
		ws.once('close', (code: number, reason: Buffer) => resolve({ code: refusedWith || code, reason: reason.toString(), at: performance.now() }))
	);
	return { ws, opened, ended, received };
}

/** A plain TCP connection to the server that sends `bytes` (maybe nothing) and records when the server drops it. */
export function tcpConnection(baseUrl: string, bytes: string | null): { socket: Socket; closedAt: Promise<number> } {
	const { hostname, port } = new URL(baseUrl);
	const socket = connect(Number(port), hostname);
	socket.on('error', () => {});
	socket.on('data', () => {});
	if (bytes !== null) socket.once('connect', () => socket.write(bytes));
	const closedAt = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
	return { socket, closedAt };
}

/** Plain HTTP upgrade requests to `paths`, `concurrency` at a time; resolves to the status of each. */
export async function upgradeStatuses(baseUrl: string, paths: string[], headers: Record<string, string>, concurrency: number): Promise<number[]> {
	const statuses: number[] = new Array<number>(paths.length);
	let next = 0;
	const { hostname, port } = new URL(baseUrl);
	const one = (path: string) =>
		new Promise<number>((resolve) => {
			const socket = connect(Number(port), hostname);
			let text = '';
			socket.on('error', () => resolve(-1));
			socket.on('data', (d: Buffer) => {
				text += d.toString('latin1');
				const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
				if (m) {
					resolve(Number(m[1]));
					socket.destroy();
				}
			});
			socket.on('close', () => resolve(-1));
			const head = Object.entries({
				Host: `${hostname}:${port}`,
				Connection: 'Upgrade',
				Upgrade: 'websocket',
				'Sec-WebSocket-Version': '13',
				'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
				...headers
			})
				.map(([k, v]) => `${k}: ${v}\r\n`)
				.join('');
			socket.write(`GET ${path} HTTP/1.1\r\n${head}\r\n`);
		});
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < paths.length) {
				const i = next++;
				statuses[i] = await one(paths[i]!);
			}
		})
	);
	return statuses;
}

/**
 * Takes an exclusive lock on `table` in a transaction of its own and holds it until the returned function is
 * called: queries touching the table wait meanwhile (on PGlite, which runs one query at a time, all do).
 */
export async function holdTableLock(database: Database, table: string): Promise<() => Promise<void>> {
	let release!: () => void;
	const released = new Promise<void>((r) => (release = r));
	let locked!: () => void;
	const isLocked = new Promise<void>((r) => (locked = r));
	const done = database.db.transaction(async (tx) => {
		await tx.execute(sql`lock table ${sql.identifier(table)} in access exclusive mode`);
		locked();
		await released;
	});
	await Promise.race([isLocked, done]);
	return async () => {
		release();
		await done;
	};
}

/** Asks V8 for a full garbage collection (so memory figures mean live memory, not garbage). */
export function collectGarbage(): void {
	setFlagsFromString('--expose-gc');
	(runInNewContext('gc') as () => void)();
}
