import * as Y from 'yjs';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { LOCAL } from '../../src/lib/board/doc/origins.ts';
import { boardMaps } from '../../src/lib/board/doc/schema.ts';
import { connectClient, type Endpoint } from './client.ts';
import { generateBoard } from './generate-board.ts';
import { sleep, summary } from './stats.ts';

/** What was loaded onto a server. */
export interface PushResult {
	cards: number;
	chunks: number;
	shards: number;
	generatedMs: number;
	pushMs: number;
	/** The board as Yjs encodes it for a new client (V1 state update: what sync step 2 carries). */
	docBytes: number;
	/** The same state in Yjs's V2 encoding, for comparison. */
	docBytesV2: number;
}

const PUSH_ORIGIN = { kind: 'bench-load' };
let lastState: Uint8Array | null = null;

/** Waits until `target` holds everything `source` has (by state vector). */
async function caughtUp(target: Y.Doc, source: Y.Doc, timeoutMs: number, what: string): Promise<void> {
	const want = Y.encodeStateVector(source);
	for (const deadline = Date.now() + timeoutMs; ; await sleep(50)) {
		if (Buffer.compare(Buffer.from(Y.encodeStateVector(target)), Buffer.from(want)) === 0) return;
		if (Date.now() > deadline) throw new Error(`${what}: the server did not receive the whole board within ${timeoutMs} ms`);
	}
}

/**
 * Loads a generated board (cards + moves of history) onto our server's board `room`: a client syncs the
 * server-seeded board, applies the generated updates chunk by chunk (each is sent as an ordinary update
 * frame under the 2 MiB cap), deletes the server's seeded stages (the generated board has its own), and a
 * second client confirms the server has it all. The resulting state is kept for `pushState`.
 */
export async function pushBoard(endpoint: Endpoint, room: string, cards: number, moves: number): Promise<PushResult> {
	const generated = generateBoard(cards, moves);
	const started = performance.now();
	const pusher = connectClient(endpoint, room);
	try {
		await pusher.synced();
		const seeded = [...boardMaps(pusher.doc).stages.keys()];
		for (const chunk of generated.chunks) {
			Y.applyUpdate(pusher.doc, chunk, PUSH_ORIGIN);
			// Let the socket drain so the server is not handed 7 MB at once.
			while ((pusher.provider.ws?.bufferedAmount ?? 0) > 1024 * 1024) await sleep(10);
			await sleep(0);
		}
		const commands = boardCommands(pusher.doc, { userId: 'bench-loader', now: () => new Date() }, LOCAL);
		for (const stageId of seeded) commands.deleteStage(stageId, null);
		const checker = connectClient(endpoint, room);
		try {
			await checker.synced(120_000);
			await caughtUp(checker.doc, pusher.doc, 120_000, room);
			lastState = Y.encodeStateAsUpdate(checker.doc);
			const found = boardMaps(checker.doc).cards.size;
			if (found !== cards) throw new Error(`expected ${cards} cards on the server, found ${found}`);
			return {
				cards: found,
				chunks: generated.chunks.length,
				shards: generated.shards,
				generatedMs: generated.generatedMs,
				pushMs: Math.round(performance.now() - started),
				docBytes: lastState.byteLength,
				docBytesV2: Y.encodeStateAsUpdateV2(checker.doc).byteLength
			};
		} finally {
			checker.destroy();
		}
	} finally {
		pusher.destroy();
	}
}

/** Gives the reference server the very board `pushBoard` produced, from one client, in one update. */
export async function pushState(endpoint: Endpoint, room: string): Promise<{ pushMs: number }> {
	if (!lastState) throw new Error('pushBoard must run first');
	const started = performance.now();
	const pusher = connectClient(endpoint, room);
	try {
		await pusher.synced();
		Y.applyUpdate(pusher.doc, lastState, PUSH_ORIGIN);
		const checker = connectClient(endpoint, room);
		try {
			await checker.synced(120_000);
			await caughtUp(checker.doc, pusher.doc, 120_000, room);
		} finally {
			checker.destroy();
		}
		return { pushMs: Math.round(performance.now() - started) };
	} finally {
		pusher.destroy();
	}
}

/** Time-to-synced samples of new clients, one after another. */
export interface SyncSamples {
	/** Socket created → provider `synced` (the board is in the client's doc). */
	synced_p95_ms: number;
	synced_p50_ms: number;
	synced_max_ms: number;
	/** Socket created → the sync step 2 frame arrived (before the client applied it). */
	received_p95_ms: number;
	/** The first sample (for our server: the first load after a restart). */
	first_ms: number;
	stepTwoBytes: number;
	samples: number[];
}

/**
 * Connects `samples` fresh clients one at a time, each waiting for `synced`, disconnecting, then idling
 * `betweenMs` (long enough for our server to unload the room, so each sample loads it from the database).
 */
export async function syncSamples(endpoint: Endpoint, room: string, samples: number, betweenMs: number, expectCards: number): Promise<SyncSamples> {
	const synced: number[] = [];
	const received: number[] = [];
	let bytes = 0;
	for (let i = 0; i < samples; i++) {
		const client = connectClient(endpoint, room);
		try {
			await client.synced(120_000);
			synced.push(client.syncedAt - client.startedAt);
			received.push(client.stepTwoAt - client.startedAt);
			bytes = client.stepTwoBytes;
			const found = boardMaps(client.doc).cards.size;
			if (found !== expectCards) throw new Error(`synced ${found} cards, expected ${expectCards}`);
		} finally {
			client.destroy();
		}
		await sleep(betweenMs);
	}
	const s = summary(synced);
	return {
		synced_p95_ms: s.p95,
		synced_p50_ms: s.p50,
		synced_max_ms: s.max,
		received_p95_ms: summary(received).p95,
		first_ms: Math.round(synced[0]! * 10) / 10,
		stepTwoBytes: bytes,
		samples: synced.map((v) => Math.round(v * 10) / 10)
	};
}
