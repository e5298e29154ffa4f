// The isolation phase's attacker, run in its own driver process: one signed-up member sending hostile updates
// into their own board from raw `ws` sockets (session cookie and Origin as a browser's), reconnecting whenever
// the server closes a socket, until told to stop.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { rawSocket, type RawSocket } from '../helpers/abuse.ts';
import { step1Frame, updateFrame } from '../helpers/hostile-frames.ts';
import { POISONS, concurrentInserts, poisonUpdate } from '../helpers/poison.ts';
import { sleep } from './stats.ts';

/** Where and how hard to attack. */
export interface AttackParams {
	/** Our server's http://127.0.0.1:port. */
	baseUrl: string;
	/** The attacker's own board. */
	boardId: string;
	cookie: string;
	/** Inserts at one spot in the crafted frame (4,000: what stalled a server for 4 s before the guard). */
	craftedInserts: number;
	/** Inserts at one spot per accepted update (the guard's MAX_CONCURRENT_AT_ONE_SPOT). */
	crowdedInserts: number;
	/** Accepted crowded updates sent per second, per socket (the input budget allows 200 frames/s). */
	crowdedRate: number;
	/** Which streams run (each on its own socket at a time). */
	streams: AttackStream[];
}

/** The attack's streams: the crafted frame, wrong-type values, accepted crowded updates. */
export type AttackStream = 'crafted' | 'poison' | 'crowded';

/** What one attack stream did. */
export interface StreamFigures {
	/** Sockets opened (upgrades accepted). */
	sockets: number;
	/** Update frames sent. */
	frames: number;
	/** How the server ended its sockets: close code → count ("open" = still open when the attack stopped). */
	closes: Record<string, number>;
	/** The same by "code reason" (reasons cut to 60 characters). */
	close_reasons: Record<string, number>;
	/** Upgrades refused: HTTP status → count. */
	refused: Record<string, number>;
}

/** The whole attack's figures. */
export interface AttackFigures {
	seconds: number;
	/** The attacker process's CPU use meanwhile (100 = one core): on 2 cores it competes with the server and the fan-out driver. */
	attacker_cpu_pct: number;
	/** The crafted frame: `craftedInserts` inserts at one spot in one update (refused, 1007). */
	crafted: StreamFigures & { frame_bytes: number };
	/** Values of the wrong type (issue 10's poisons, in turn; refused, 1007). */
	poison: StreamFigures;
	/** Updates of `crowdedInserts` inserts at one spot each, ever later clients (accepted; integration grows with the board). */
	crowded: StreamFigures & { rate: number; inserts_per_update: number; frame_bytes: number; updates_integrated: number };
}

/** Crowded updates' client ids start here and grow, so every insert is ordered against all the earlier ones. */
const CROWDED_FIRST_CLIENT = 10_000_000;
/** A socket still open this long after its refused frame (or at the attack's end) is counted "open" and closed by us. */
const CLOSE_WAIT_MS = 3_000;

let running: { stop(): Promise<AttackFigures> } | null = null;

function emptyStream(): StreamFigures {
	return { sockets: 0, frames: 0, closes: {}, close_reasons: {}, refused: {} };
}

function bump(counts: Record<string, number>, key: string | number): void {
	counts[String(key)] = (counts[String(key)] ?? 0) + 1;
}

/**
 * Opens sockets to the board one after another until `stopped()`, handing each to `use` (which sends and
 * returns once the socket ended or the attack stops); counts opens, refusals and how each socket ended.
 */
async function reconnecting(p: AttackParams, figures: StreamFigures, stopped: () => boolean, use: (s: RawSocket) => Promise<void>): Promise<void> {
	while (!stopped()) {
		const s = rawSocket(p.baseUrl, p.boardId, p.cookie);
		try {
			await s.opened;
		} catch {
			const ending = await s.ended;
			bump(figures.refused, ending.code);
			// Refused upgrades are throttled per session (429): do not spin on them.
			await sleep(100);
			continue;
		}
		figures.sockets++;
		await use(s);
		const ending = await Promise.race([s.ended, sleep(stopped() ? 0 : CLOSE_WAIT_MS).then(() => null)]);
		if (ending) {
			bump(figures.closes, ending.code);
			bump(figures.close_reasons, `${ending.code} ${ending.reason.slice(0, 60)}`.trim());
		} else {
			bump(figures.closes, 'open');
			s.ws.terminate();
			await s.ended;
		}
	}
}

/** Sends `frame` once per socket and waits for the server to close it (or the attack to stop). */
function oneFramePerSocket(figures: StreamFigures, stopped: () => boolean, frame: () => Uint8Array) {
	return async (s: RawSocket): Promise<void> => {
		s.ws.send(frame());
		figures.frames++;
		await Promise.race([s.ended, waitUntil(stopped)]);
	};
}

/** Resolves once `stopped()` turns true (polled every 20 ms). */
async function waitUntil(stopped: () => boolean): Promise<void> {
	while (!stopped()) await sleep(20);
}

/** The board's current state, as a fresh client gets it (sync step 1 with an empty state vector). */
async function fetchBoard(p: AttackParams): Promise<Y.Doc> {
	const s = rawSocket(p.baseUrl, p.boardId, p.cookie);
	await s.opened;
	s.ws.send(step1Frame(Y.encodeStateVector(new Y.Doc())));
	const doc = new Y.Doc();
	for (const deadline = performance.now() + 30_000; ; await sleep(20)) {
		const reply = s.received.find((f) => f[0] === 0 && f[1] === 1);
		if (reply) {
			const d = decoding.createDecoder(reply);
			decoding.readVarUint(d);
			decoding.readVarUint(d);
			Y.applyUpdate(doc, decoding.readVarUint8Array(d));
			break;
		}
		if (performance.now() > deadline) throw new Error('the attacker board did not sync within 30 s');
	}
	s.ws.close();
	await s.ended;
	return doc;
}

/** Starts the chosen attack streams on the attacker's board; they run until `stopAttack`. */
export async function startAttack(p: AttackParams): Promise<{ started: true }> {
	if (running) throw new Error('an attack is already running');
	// The poisons are written against the board as its members see it (its stages exist).
	const board = await fetchBoard(p);
	let stopped = false;
	const isStopped = () => stopped;
	const started = performance.now();
	const cpuBefore = process.cpuUsage();
	const crafted = concurrentInserts(p.craftedInserts);
	const figures: AttackFigures = {
		seconds: 0,
		attacker_cpu_pct: 0,
		crafted: { ...emptyStream(), frame_bytes: updateFrame(crafted).length },
		poison: emptyStream(),
		crowded: { ...emptyStream(), rate: p.crowdedRate, inserts_per_update: p.crowdedInserts, frame_bytes: updateFrame(concurrentInserts(p.crowdedInserts)).length, updates_integrated: 0 }
	};
	const craftedFrame = updateFrame(crafted);
	let nextPoison = 0;
	let nextClient = CROWDED_FIRST_CLIENT;
	const crowdedSocket = async (s: RawSocket): Promise<void> => {
		let open = true;
		void s.ended.then(() => (open = false));
		const t0 = performance.now();
		let sent = 0;
		while (open && !stopped) {
			const due = Math.floor(((performance.now() - t0) / 1000) * p.crowdedRate) + 1;
			for (; sent < due && open; sent++) {
				s.ws.send(updateFrame(concurrentInserts(p.crowdedInserts, nextClient)));
				nextClient += p.crowdedInserts;
				figures.crowded.frames++;
			}
			await sleep(5);
		}
	};
	const run: Record<AttackStream, () => Promise<void>> = {
		crafted: () => reconnecting(p, figures.crafted, isStopped, oneFramePerSocket(figures.crafted, isStopped, () => craftedFrame)),
		poison: () =>
			reconnecting(p, figures.poison, isStopped, oneFramePerSocket(figures.poison, isStopped, () => updateFrame(poisonUpdate(board, POISONS[nextPoison++ % POISONS.length]!)))),
		crowded: () => reconnecting(p, figures.crowded, isStopped, crowdedSocket)
	};
	const streams = Promise.all(p.streams.map((stream) => run[stream]()));
	running = {
		async stop() {
			stopped = true;
			const cpu = process.cpuUsage(cpuBefore);
			figures.attacker_cpu_pct = Math.round((cpu.user + cpu.system) / (performance.now() - started)) / 10;
			figures.seconds = Math.round((performance.now() - started) / 100) / 10;
			await streams;
			running = null;
			// What landed: the crowded clients whose inserts the board now holds.
			const after = await fetchBoard(p);
			for (const client of Y.decodeStateVector(Y.encodeStateVector(after)).keys()) if (client >= CROWDED_FIRST_CLIENT && client < nextClient) figures.crowded.updates_integrated++;
			figures.crowded.updates_integrated = Math.round(figures.crowded.updates_integrated / p.crowdedInserts);
			after.destroy();
			board.destroy();
			return figures;
		}
	};
	return { started: true };
}

/** Stops the running attack; resolves with its figures once every socket is closed. */
export function stopAttack(): Promise<AttackFigures> {
	if (!running) throw new Error('no attack is running');
	return running.stop();
}
