import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../helpers/db.ts';
import { forkBackend, type ForkedBackend } from '../helpers/forked-backend.ts';
import { connectBoard, waitFor } from '../helpers/sync-client.ts';
import { mulberry32 } from '../helpers/prng.ts';
import { missingCreations, RandomEditor, setOnline, sleep, type Peer } from '../helpers/random-edits.ts';
import { boardViolations, describeDifference, docContent, sameHistory, stateVectorHex } from '../helpers/board-state.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import * as Y from 'yjs';

/**
 * Seeded property test in the spirit of Yjs's random tests: 5–7 stock y-websocket clients per board against the
 * real sync backend and database, random commands, random disconnects (including everyone at once, so the room
 * unloads and reloads from the database mid-run) and a jittery network. After each run every client, the
 * server and the database hold the same history and content, and the board invariants hold.
 *
 *   FLOWDECK_PROPERTY_RUNS=1000   more runs (default 200 on PGlite; PostgreSQL runs FLOWDECK_PROPERTY_PG_RUNS, default
 *                                 min(RUNS, 100), to keep CI within its time budget)
 *   FLOWDECK_PROPERTY_SEED=1234   replay one seed (same script and network jitter; where real timing makes a
 *                                 client's view differ, the choices made against that view may differ too)
 *   FLOWDECK_PROPERTY_BASE_SEED=n seeds n, n+1, … instead of a random base (printed on every run)
 */
const SEED = process.env.FLOWDECK_PROPERTY_SEED ? Number(process.env.FLOWDECK_PROPERTY_SEED) : undefined;
const RUNS = Number(process.env.FLOWDECK_PROPERTY_RUNS ?? 200);
const PG_RUNS = Number(process.env.FLOWDECK_PROPERTY_PG_RUNS ?? Math.min(RUNS, 100));
const PARALLEL = Number(process.env.FLOWDECK_PROPERTY_PARALLEL ?? 6);
/** Every run's seed is BASE + i; the base is random unless given, so CI explores new scripts every time. */
const BASE = Number(process.env.FLOWDECK_PROPERTY_BASE_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONVERGE_MS = 15_000;

interface RunResult {
	seed: number;
	ms: number;
	steps: number;
	refused: number;
	cards: number;
	/** Milliseconds spent in each phase of the run. */
	phases: Record<string, number>;
	/** Refusals the server sent (moves its policy guard reverted). */
	notices: number;
	/** Times the room unloaded mid-run and loaded again from the database. */
	reloads: number;
}

describe.each(dbKinds())('convergence property (%s)', (kind) => {
	let fd: ForkedBackend;
	let users: { id: string; cookie: string }[] = [];
	const runs = SEED !== undefined ? 1 : kind === 'pglite' ? RUNS : PG_RUNS;

	beforeAll(async () => {
		// Each WebsocketProvider adds a process 'exit' listener.
		process.setMaxListeners(200);
		// Short grace and compaction thresholds so unload/reload and compaction happen inside runs.
		// The backend runs in its own process (its own core), as in production.
		fd = await forkBackend(kind, { unloadGraceMs: 20, compactAfter: 12, retryMs: 20, retryMaxMs: 200 });
		for (const name of ['Olga', 'Ed', 'Emi']) users.push(await fd.user(name));
	}, 90_000);
	afterAll(async () => {
		await fd?.close();
		users = [];
	});

	const newBoard = (seed: number) => fd.newBoard(users[0]!.id, users.slice(1).map((u) => u.id), `Seed ${seed}`);
	/** The server room's document, rebuilt here from its full state (null when the room is not loaded). */
	async function serverDoc(boardId: string): Promise<Y.Doc | null> {
		const state = await fd.roomState(boardId);
		if (!state) return null;
		const doc = new Y.Doc();
		Y.applyUpdate(doc, state);
		return doc;
	}
	async function storedDoc(boardId: string): Promise<Y.Doc> {
		const { snapshot, updates } = await fd.stored(boardId);
		const doc = new Y.Doc();
		if (snapshot) Y.applyUpdate(doc, snapshot);
		for (const update of updates) Y.applyUpdate(doc, update);
		return doc;
	}

	async function runOnce(seed: number): Promise<RunResult> {
		const started = Date.now();
		const phases: Record<string, number> = {};
		let mark = started;
		const phase = (name: string) => {
			phases[name] = Date.now() - mark;
			mark = Date.now();
		};
		const rng = mulberry32(seed);
		// Network jitter has its own stream, so the command script does not depend on how many frames flew.
		const net = mulberry32(seed ^ 0x5bd1e995);
		const delayMs = () => (net.chance(0.05) ? net.int(8, 25) : net.int(0, 4));
		const boardId = await newBoard(seed);
		const peers: Peer[] = [];
		const fresh: { destroy(): void }[] = [];
		try {
			const peer = (i: number): Peer => {
				const user = users[i % users.length]!;
				return { name: `p${i}`, userId: user.id, online: true, client: connectBoard(fd.url, boardId, { cookie: user.cookie, delayMs }) };
			};
			const n = rng.int(5, 7);
			for (let i = 0; i < n; i++) peers.push(peer(i));
			await Promise.all(peers.map((p) => p.client.synced()));
			phase('connect');
			let reloads = 0;
			const editor = new RandomEditor(rng, peers, `s${seed}`, {
				// Half the time everyone stays away until the room wrote everything and unloaded: it reloads from the database.
				afterAllOffline: async () => {
					if (!rng.chance(0.5)) return;
					await waitFor('the room unloads while everyone is away', async () => !(await fd.roomLoaded(boardId)), 10_000);
					reloads++;
				},
				// Someone opens the board mid-run: a fresh doc, filled by the server, then editing with the rest.
				join: () => peer(peers.length)
			});
			const steps = rng.int(30, 60);
			for (let i = 0; i < steps; i++) {
				await editor.step();
				// Often several steps in one tick (truly concurrent), otherwise a short gap.
				if (rng.chance(0.4)) await sleep(rng.int(0, 3));
			}
			phase('edit');
			for (const p of peers) setOnline(p, true);
			let server: Y.Doc | null = null;
			try {
				await waitFor(
					'every client and the server hold the same history',
					async () => {
						if (!peers.every((p) => p.client.provider.synced)) return false;
						const first = peers[0]!.client.doc;
						if (!peers.every((p) => sameHistory(p.client.doc, first))) return false;
						// Clients agree: ask the server (one round trip to its process) only now.
						server = await serverDoc(boardId);
						return server !== null && sameHistory(first, server);
					},
					CONVERGE_MS,
					15
				);
			} catch (err) {
				const now = await serverDoc(boardId);
				const detail = now ? peers.map((p) => `${p.name} (synced ${p.client.provider.synced}): ${describeDifference(p.client.doc, now) || 'same'}`).join('\n') : 'room not loaded';
				throw new Error(`${(err as Error).message}\n${detail}`);
			}
			phase('converge');
			const reference = peers[0]!.client.doc;
			const content = docContent(reference);
			const snapshot = readSnapshot(reference);
			for (const p of [...peers.slice(1).map((q) => q.client.doc), server!]) {
				expect(stateVectorHex(p)).toBe(stateVectorHex(reference));
				expect(docContent(p)).toBe(content);
				expect(readSnapshot(p)).toEqual(snapshot);
			}
			// Spelled out: the failure message of a run is all a seed's replay has to go on.
			const violations = boardViolations(reference);
			if (violations.length > 0) throw new Error(`the board breaks its invariants: ${violations.join('; ')}`);
			expect(missingCreations(editor, snapshot), 'created by a client, missing at the end').toEqual([]);
			const closeCodes = peers.flatMap((p) => p.client.closeCodes);
			expect(closeCodes, 'the server closed a client').toEqual([]);

			// The database: once every client left, the room writes everything and unloads; what is stored must be the same.
			for (const p of peers) p.client.destroy();
			await waitFor('the room unloads after its last write', async () => !(await fd.roomLoaded(boardId)), 10_000);
			phase('unload');
			// Unloading folds the stored updates into one snapshot, so the next cold load applies a single state.
			const rows = await fd.stored(boardId);
			expect({ snapshot: rows.snapshot !== null, updates: rows.updates.length }, 'stored after unload').toEqual({ snapshot: true, updates: 0 });
			const stored = await storedDoc(boardId);
			expect(describeDifference(stored, reference), 'database vs clients').toBe('');
			// And a fresh client, which makes the server load the board from the database again.
			const late = connectBoard(fd.url, boardId, { cookie: users[0]!.cookie });
			fresh.push(late);
			await late.synced();
			expect(describeDifference(late.doc, reference), 'fresh client vs clients').toBe('');
			phase('reload');
			const notices = peers.reduce((sum, p) => sum + p.client.notices.length, 0);
			return { seed, ms: Date.now() - started, steps, refused: editor.refused, cards: Object.keys(snapshot.cards).length, phases, notices, reloads };
		} finally {
			for (const p of peers) p.client.destroy();
			for (const f of fresh) f.destroy();
		}
	}

	it(`${runs} seeded runs converge, and what the database holds is what the clients hold`, async () => {
		const seeds = SEED !== undefined ? [SEED] : Array.from({ length: runs }, (_, i) => (BASE + i) >>> 0);
		const results: RunResult[] = [];
		const failures: string[] = [];
		let next = 0;
		const started = Date.now();
		const worker = async () => {
			while (next < seeds.length && failures.length < 3) {
				const seed = seeds[next++]!;
				try {
					results.push(await runOnce(seed));
				} catch (err) {
					failures.push(
						`seed ${seed} failed (replay: FLOWDECK_PROPERTY_SEED=${seed} npx vitest run --project integration tests/integration/convergence.test.ts):\n${(err as Error).stack ?? err}` +
							// The server's own log so far: a failed write or compaction shows only there.
							(fd.errors.length > 0 ? `\nserver log:\n${fd.errors.slice(-20).join('\n')}` : '')
					);
				}
			}
		};
		await Promise.all(Array.from({ length: Math.min(PARALLEL, seeds.length) }, worker));
		const ms = results.map((r) => r.ms).sort((a, b) => a - b);
		console.log(
			`[${kind}] ${results.length}/${seeds.length} runs passed in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
				`(${SEED !== undefined ? `replayed seed ${SEED}` : `seeds ${BASE}…${BASE + seeds.length - 1}`}; per run p50 ${ms[Math.floor(ms.length / 2)] ?? 0} ms, max ${ms[ms.length - 1] ?? 0} ms; ` +
				`${results.reduce((s, r) => s + r.steps, 0)} steps, ${results.reduce((s, r) => s + r.refused, 0)} refused by the domain, ` +
				`${results.reduce((s, r) => s + r.cards, 0)} cards, ${results.reduce((s, r) => s + r.notices, 0)} policy refusals from the server, ` +
				`${results.reduce((s, r) => s + r.reloads, 0)} mid-run reloads from the database; ` +
				`mean ms per phase: ${Object.keys(results[0]?.phases ?? {})
					.map((k) => `${k} ${Math.round(results.reduce((s, r) => s + (r.phases[k] ?? 0), 0) / results.length)}`)
					.join(', ')})`
		);
		expect(failures, failures.join('\n\n')).toEqual([]);
		expect(fd.errors, 'the server logged errors').toEqual([]);
		expect(results).toHaveLength(seeds.length);
	}, 600_000);
});
