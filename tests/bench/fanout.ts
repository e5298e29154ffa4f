import * as Y from 'yjs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { LOCAL } from '../../src/lib/board/doc/origins.ts';
import { boardMaps, seedBoard } from '../../src/lib/board/doc/schema.ts';
import { connectClient, type BenchClient, type Endpoint } from './client.ts';
import { sleep, summary } from './stats.ts';

/** One fan-out run: one client moves cards on a fixed schedule, every other client on the board receives. */
export interface FanoutParams {
	/** Client i connects with endpoints[i % length] (our server caps sockets per user, so several accounts). */
	endpoints: Endpoint[];
	room: string;
	/** Clients on the board, the sender included. */
	clients: number;
	/** Moves per second. */
	rate: number;
	/** Measured seconds of sending (after the warm-up moves). */
	seconds: number;
	/** Moves sent first and not counted. */
	warmupMoves: number;
	/** Cards on the board to move around. */
	cards: number;
}

/** Raw samples of one fan-out run, to be merged across rounds (`summarizeFanout`). */
export interface FanoutSamples {
	/** Every (move, receiver) pair: scheduled send → arrival, ms. */
	latencies: number[];
	/** Per move: scheduled send → arrival at the last receiver, ms. */
	allReceived: number[];
	/** Per move: how late the sender's timer fired, ms. */
	lateness: number[];
	moves: number;
	lost: number;
	/** The driver's event-loop delay while sending (p99, ms). */
	driverLoopP99: number;
	/** CPU time the driver used while sending, ms, and the window's length. */
	driverCpuMs: number;
	windowMs: number;
	sends: SentMove[];
}

/** A sent move: whose clock it advanced to what, and when it was due (epoch ms). */
export interface SentMove {
	client: number;
	endClock: number;
	scheduledEpochMs: number;
}

/** Fan-out figures of one server over all rounds. */
export interface FanoutFigures {
	moves: number;
	deliveries: number;
	/** Deliveries that never arrived (within 10 s of the last send). */
	lost: number;
	/** Over every (move, receiver) pair, from the move's scheduled send time to its arrival. */
	p50_ms: number;
	p99_ms: number;
	max_ms: number;
	/** Per move, until the last receiver had it. */
	p99_all_received_ms: number;
	/** How late the sender's timer fired (p99): load on the driver, included in the latency. */
	send_lateness_p99_ms: number;
	/** The driver's event-loop delay while sending (worst round's p99). */
	driver_loop_delay_p99_ms: number;
	/** The driver's CPU use while sending (100 = one core): it must stay well below 100 for the figures to be about the server. */
	driver_cpu_pct: number;
}

/** Merges the rounds of one server into its figures. */
export function summarizeFanout(rounds: FanoutSamples[]): FanoutFigures {
	const latencies = rounds.flatMap((r) => r.latencies);
	const s = summary(latencies);
	return {
		moves: rounds.reduce((n, r) => n + r.moves, 0),
		deliveries: latencies.length,
		lost: rounds.reduce((n, r) => n + r.lost, 0),
		p50_ms: s.p50,
		p99_ms: s.p99,
		max_ms: s.max,
		p99_all_received_ms: summary(rounds.flatMap((r) => r.allReceived)).p99,
		send_lateness_p99_ms: summary(rounds.flatMap((r) => r.lateness)).p99,
		driver_loop_delay_p99_ms: Math.max(...rounds.map((r) => r.driverLoopP99)),
		driver_cpu_pct: Math.round((rounds.reduce((n, r) => n + r.driverCpuMs, 0) / rounds.reduce((n, r) => n + r.windowMs, 0)) * 1000) / 10
	};
}

/** Runs one fan-out measurement and disconnects everyone afterwards. */
export async function runFanout(p: FanoutParams, onSending: (sending: boolean) => void = () => {}): Promise<FanoutSamples> {
	const endpointOf = (i: number) => p.endpoints[i % p.endpoints.length]!;
	const sender = connectClient(endpointOf(0), p.room);
	const receivers: BenchClient[] = [];
	try {
		await sender.synced();
		// Our server seeds a new board's stages; the reference starts empty, so the sender seeds it.
		if (boardMaps(sender.doc).stages.size === 0) seedBoard(sender.doc);
		const commands = boardCommands(sender.doc, { userId: 'bench-sender', now: () => new Date() }, LOCAL);
		const stageIds = [...boardMaps(sender.doc).stages.keys()].sort();
		const cardIds: string[] = [];
		for (let i = 0; i < p.cards; i++) cardIds.push(commands.addCard(stageIds[i % stageIds.length]!, `Fan-out card ${i}`));
		for (let i = 0; i < p.clients - 1; i += 25) {
			const batch = Array.from({ length: Math.min(25, p.clients - 1 - i) }, (_, j) => connectClient(endpointOf(i + j + 1), p.room));
			receivers.push(...batch);
			await Promise.all(batch.map((c) => c.synced()));
		}
		const senderId = sender.doc.clientID;
		const ready = () => receivers.every((r) => Y.getState(r.doc.store, senderId) >= Y.getState(sender.doc.store, senderId));
		for (const deadline = Date.now() + 30_000; !ready(); await sleep(20)) if (Date.now() > deadline) throw new Error('receivers did not catch up');

		const total = p.warmupMoves + Math.round(p.rate * p.seconds);
		const interval = 1000 / p.rate;
		const scheduled = new Float64Array(total);
		const endClock = new Float64Array(total);
		const lateness: number[] = [];
		let sent = 0;
		// arrivals[k * R + r]: when receiver r had move k (0 = not yet).
		const R = receivers.length;
		const arrivals = new Float64Array(total * R);
		const next = new Int32Array(R);
		receivers.forEach((r, index) => {
			r.doc.on('update', () => {
				const now = performance.now();
				const state = Y.getState(r.doc.store, senderId);
				while (next[index]! < sent && endClock[next[index]!]! <= state) arrivals[next[index]!++ * R + index] = now;
			});
		});
		const loop = monitorEventLoopDelay({ resolution: 5 });
		loop.enable();
		onSending(true);
		const cpuBefore = process.cpuUsage();
		const windowStart = performance.now();
		const t0 = performance.now() + 200;
		let noop = 0;
		await new Promise<void>((resolve) => {
			const tick = () => {
				const now = performance.now();
				while (sent < total && t0 + sent * interval <= now) {
					const k = sent;
					scheduled[k] = t0 + k * interval;
					lateness.push(performance.now() - scheduled[k]!);
					const before = Y.getState(sender.doc.store, senderId);
					const card = cardIds[Math.floor(Math.random() * cardIds.length)]!;
					// Publish the clock before the transaction: its update is sent (and may be answered) inside it.
					endClock[k] = Number.MAX_SAFE_INTEGER;
					sent = k + 1;
					commands.moveCard(card, stageIds[Math.floor(Math.random() * stageIds.length)]!, Math.floor(Math.random() * 6));
					endClock[k] = Y.getState(sender.doc.store, senderId);
					if (endClock[k] === before) noop++;
				}
				if (sent >= total) return resolve();
				setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
			};
			setTimeout(tick, Math.max(0, t0 - performance.now()));
		});
		loop.disable();
		onSending(false);
		const cpu = process.cpuUsage(cpuBefore);
		const windowMs = performance.now() - windowStart;
		for (const deadline = Date.now() + 10_000; next.some((n) => n < total) && Date.now() < deadline; ) await sleep(20);

		const latencies: number[] = [];
		const allReceived: number[] = [];
		let lost = 0;
		for (let k = p.warmupMoves; k < total; k++) {
			let last = 0;
			for (let r = 0; r < R; r++) {
				const at = arrivals[k * R + r]!;
				if (at === 0) {
					lost++;
					continue;
				}
				latencies.push(at - scheduled[k]!);
				last = Math.max(last, at - scheduled[k]!);
			}
			allReceived.push(last);
		}
		if (noop > 0) throw new Error(`${noop} moves changed nothing; the workload is broken`);
		const origin = performance.timeOrigin;
		const tenth = (v: number) => Math.round(v * 10) / 10;
		return {
			latencies: latencies.map(tenth),
			allReceived: allReceived.map(tenth),
			lateness: lateness.map(tenth),
			moves: total - p.warmupMoves,
			lost,
			driverLoopP99: Math.round(loop.percentile(99) / 1e5) / 10,
			driverCpuMs: (cpu.user + cpu.system) / 1000,
			windowMs,
			sends: Array.from({ length: total }, (_, k) => ({ client: senderId, endClock: endClock[k]!, scheduledEpochMs: origin + scheduled[k]! }))
		};
	} finally {
		for (const r of receivers) r.destroy();
		sender.destroy();
	}
}
