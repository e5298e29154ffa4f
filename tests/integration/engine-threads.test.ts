import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { concurrentInserts } from '../helpers/poison.ts';
import { rawSocket } from '../helpers/abuse.ts';
import { step1Frame } from '../helpers/hostile-frames.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import * as Y from 'yjs';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { drizzleDocumentStore } from '../../server/persistence/drizzle-document-store.ts';
import { systemClock } from '../../src/lib/server/clock.ts';

/** The longest the main thread may go without running a timer while an engine thread is busy for seconds. */
const MAIN_THREAD_STALL_MS = 150;
/** The slowest an edit on a board of the other engine thread may take to reach another member meanwhile. */
const FAN_OUT_MS = 250;

/** Records the longest gap between 5 ms timer ticks on this thread (the server's main thread: it runs in process). */
function stallProbe(): { stop(): number } {
	let last = performance.now();
	let worst = 0;
	const timer = setInterval(() => {
		const now = performance.now();
		worst = Math.max(worst, now - last - 5);
		last = now;
	}, 5);
	return {
		stop() {
			clearInterval(timer);
			return worst;
		}
	};
}

describe.each(dbKinds())('each board’s Yjs work runs on an engine thread (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let owner: { id: string; cookie: string };
	const clients: SyncClient[] = [];
	const open = (boardId: string) => {
		const c = connectBoard(fd.url, boardId, { cookie: owner.cookie });
		clients.push(c);
		return c;
	};

	beforeAll(async () => {
		// A load budget no load here reaches: this is about what a slow load does to everyone else, not read-only boards.
		fd = await startInProcess(kind, { engineThreads: 2, loadBudgetMs: 600_000, unloadGraceMs: 100 });
		owner = await fd.user('Owner');
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await fd?.close();
	});

	it('a board that takes seconds to load stalls only its engine thread: the main thread, new sockets and the boards on the other thread carry on', async () => {
		const calm = await createBoard(fd.app.ctx.db, owner.id, 'Calm', new Date());
		const costly = await createBoard(fd.app.ctx.db, owner.id, 'Costly', new Date());
		const [a, b] = [open(calm), open(calm)];
		await Promise.all([a.synced(), b.synced()]);
		const seed = open(costly);
		await seed.synced();
		seed.destroy();
		await waitFor('the costly board unloaded', () => !fd.app.rooms.has(costly), 10_000);
		// Stored before the server bounded concurrent inserts: two crowds under one key, in separate rows, so loading
		// walks each insert of the second crowd past the first (about 1.6 s on this machine).
		const store = drizzleDocumentStore(fd.app.ctx.db, systemClock);
		await store.append(costly, concurrentInserts(4_000, 1_000_000));
		await store.append(costly, concurrentInserts(4_000, 3_000_000));

		const cmd = boardCommands(a.doc, { userId: owner.id, now: () => new Date() });
		const stage = readSnapshot(a.doc).stages[0]!.id;
		const probe = stallProbe();
		const started = performance.now();
		// A bare socket: a client doc here would integrate the board on this thread, which is the server's too.
		const heavy = rawSocket(fd.url, costly, owner.cookie);
		const isStepTwo = (f: Uint8Array) => f[0] === 0 && f[1] === 1;
		let loaded = false;
		const heavyLoaded = heavy.opened.then(async () => {
			heavy.ws.send(step1Frame(Y.encodeStateVector(new Y.Doc())));
			await waitFor('the costly board arrived', () => heavy.received.some(isStepTwo), 30_000, 1);
			loaded = true;
		});
		// Meanwhile: edits on the calm board, timed until the other member has them, and a new socket on it.
		const fanOut: number[] = [];
		let newcomerMs = 0;
		const newcomer = (async () => {
			const t = performance.now();
			await open(calm).synced();
			newcomerMs = performance.now() - t;
		})();
		for (let i = 0; !loaded && i < 200; i++) {
			const sent = performance.now();
			const id = cmd.addCard(stage, `While the other thread works ${i}`);
			await waitFor(`edit ${i} reached the other member`, () => readSnapshot(b.doc).cards[id], 5_000, 1);
			if (!loaded) fanOut.push(performance.now() - sent);
			await new Promise((r) => setTimeout(r, 20));
		}
		await heavyLoaded;
		await newcomer;
		const loadMs = performance.now() - started;
		const stall = probe.stop();
		console.log(`[${kind}] a ${Math.round(loadMs)} ms load on one engine thread: main thread stalled at most ${Math.round(stall)} ms; ${fanOut.length} edits on another board arrived in at most ${Math.round(Math.max(...fanOut))} ms; a new socket synced in ${Math.round(newcomerMs)} ms`);

		// The load really was heavy, and on the other thread…
		expect(loadMs).toBeGreaterThan(800);
		expect(heavy.received.find(isStepTwo)!.length).toBeGreaterThan(100_000);
		expect(fd.app.rooms.peek(costly)!.engineThread).not.toBe(fd.app.rooms.peek(calm)!.engineThread);
		// …and nobody else waited for it. On a loaded machine (a CI run beside other suites) the load takes several
		// times longer and every thread is scheduled late: the bounds grow with it, but stay a small part of the
		// load, which is what everyone waited for with the engines on the main thread (the stall was the whole load).
		const slack = Math.max(1, loadMs / 1_600);
		expect(fanOut.length).toBeGreaterThanOrEqual(5);
		expect(Math.max(...fanOut)).toBeLessThan(FAN_OUT_MS * slack);
		expect(newcomerMs).toBeLessThan(FAN_OUT_MS * 2 * slack);
		expect(stall).toBeLessThan(MAIN_THREAD_STALL_MS * slack);
		expect(a.closeCodes).toEqual([]);
		heavy.ws.close();
	});
});
