import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dbKinds } from '../helpers/db.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardWithMembers, cloneDoc, joinedClient, serverDatabase } from '../helpers/board-fixture.ts';
import { historyDisagreements } from '../helpers/history-check.ts';
import { describeDifference } from '../helpers/board-state.ts';
import { mulberry32 } from '../helpers/prng.ts';
import { EDIT_ONLY, RandomEditor, sleep, type Peer } from '../helpers/random-edits.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { boardMaps } from '../../src/lib/board/doc/schema.ts';

const WRITERS = 4;
/** Edits per writer in the burst; the server is ended after SIGTERM_AT of them. */
const BURST = 100;
const SIGTERM_AT = 60;

/** How the server ends mid-burst: a supervisor's SIGTERM (exit 0), or a bug's uncaught exception (exit 1). */
const endings = [
	{ name: 'SIGTERM', signal: 'SIGTERM', exitCode: 0, logged: 'SIGTERM: saving' },
	{ name: 'an uncaught exception', signal: 'SIGUSR2', exitCode: 1, logged: 'uncaughtException: an unexpected error' }
] as const;
const preload = resolve(import.meta.dirname, '../helpers/throw-on-signal.ts');

describe.each(dbKinds().flatMap((kind) => endings.map((ending) => [kind, ending.name, ending] as const)))('%s: %s writes every change the server accepted', (kind, _name, ending) => {
	let server: TestServer;
	let env: Record<string, string>;
	let remove: () => Promise<void> | void = () => {};
	let boardId = '';
	let cookies: string[] = [];
	const open: SyncClient[] = [];

	beforeAll(async () => {
		const database = await serverDatabase(kind);
		env = database.env;
		remove = database.remove;
		server = await startServer(env, { preload });
		// The observer signs in as the owner; the writers are one editor's tabs.
		({ boardId, cookies } = await boardWithMembers(server.url, ['Olga', 'Ed'], 'Shutdown board'));
	}, 90_000);
	afterAll(async () => {
		for (const c of open.splice(0)) c.destroy();
		await server?.stop();
		await remove();
	});

	it('a burst of edits from several clients with the server ending in the middle: everything it relayed is stored', async () => {
		// A passive observer: everything the server applied it relays to the observer before closing its socket.
		const observer = await joinedClient(server.url, boardId, cookies[0]!);
		open.push(observer);
		observer.provider.on('connection-close', () => (observer.provider.shouldConnect = false));
		const writers: Peer[] = [];
		for (let i = 0; i < WRITERS; i++) {
			const client = await joinedClient(server.url, boardId, cookies[1]!);
			open.push(client);
			writers.push({ name: `w${i}`, userId: `user-${i}`, client, online: true });
		}
		const rng = mulberry32(0x5157);
		const editors = writers.map((w, i) => new RandomEditor(rng, [w], `w${i}`, { weights: EDIT_ONLY }));
		// Edits well before the shutdown, long since written.
		for (let i = 0; i < 10; i++) for (const e of editors) await e.step();
		await sleep(300);

		// The burst itself: cheap commands, so the server gets many changes per 50 ms write batch.
		const bursts = writers.map((w) => {
			const cmd = boardCommands(w.client.doc, { userId: w.userId, now: () => new Date() });
			const stages = readSnapshot(w.client.doc).stages.map((st) => st.id);
			return (i: number) => {
				const id = cmd.addCard(stages[i % stages.length]!, `${w.name} burst ${i}`);
				cmd.moveCard(id, stages[(i + 1) % stages.length]!, 0);
			};
		});
		let sigtermAt = 0;
		const relayedBurst = () => [...boardMaps(observer.doc).cards.values()].some((card) => card instanceof Y.Map && String(card.get('title')).includes(' burst '));
		const started = performance.now();
		for (let i = 0; i < BURST; i++) {
			for (const burst of bursts) burst(i);
			// Once the server is busy with the burst (another member already saw some of it), so that it has work left.
			if (!sigtermAt && (i === BURST - 1 || (i >= SIGTERM_AT && relayedBurst()))) {
				server.process.kill(ending.signal);
				sigtermAt = performance.now();
			}
			// Let frames go out between rounds, as typing and dragging would.
			if (i % 2 === 0) await new Promise((r) => setImmediate(r));
		}
		const burstMs = performance.now() - started;
		// The writers vanish: nothing they still hold can be resent to the next server.
		for (const w of writers) w.client.destroy();
		// The exception is thrown once the server's event loop gets to it: wait for that, not a SIGTERM race.
		await waitFor(`the server logs "${ending.logged}"`, () => server.output().includes(ending.logged), 15_000);
		expect(await server.stop(), server.output().slice(-800)).toBe(ending.exitCode);
		const exitMs = performance.now() - sigtermAt;
		const queued = Number(/(\d+) changes not yet stored/.exec(server.output())?.[1] ?? -1);
		// The shutdown had work left to do (else this test would prove nothing).
		expect(queued, `changes not yet stored at SIGTERM, from the log:\n${server.output().slice(-500)}`).toBeGreaterThan(0);
		await waitFor('the observer saw the server close (1012)', () => observer.closeCodes.includes(1012), 5_000);
		const relayed = cloneDoc(observer.doc);
		observer.destroy();

		server = await startServer(env, { port: server.port });
		const fresh = await joinedClient(server.url, boardId, cookies[0]!);
		open.push(fresh);
		// Everything relayed is stored. The store may hold more: frames that reached the server before it closed the
		// sockets, still being applied on the board's engine thread when the observer was disconnected.
		const storedAndRelayed = cloneDoc(fresh.doc);
		Y.applyUpdate(storedAndRelayed, Y.encodeStateAsUpdate(relayed));
		expect(describeDifference(storedAndRelayed, fresh.doc), 'relayed before the shutdown but not stored').toBe('');
		// The history agrees with the document: every card's stage is that of its last created or moved event.
		expect(await historyDisagreements(server.url, boardId, cookies[0]!, fresh.doc)).toEqual([]);
		const storedOnly = writers.reduce((sum, w) => sum + Y.getState(fresh.doc.store, w.client.doc.clientID) - Y.getState(relayed.store, w.client.doc.clientID), 0);
		// Yjs clocks count a client's operations (insertions, by length): how much of each writer's work is stored.
		const made = writers.reduce((sum, w) => sum + Y.getState(relayed.store, w.client.doc.clientID), 0);
		expect(made, 'most of the burst reached the server before SIGTERM').toBeGreaterThan(WRITERS * SIGTERM_AT * 0.5);
		console.log(
			`[${kind}] ${ending.name} mid-burst: ${WRITERS}×${BURST}×2 edits in ${Math.round(burstMs)} ms, ended after ${SIGTERM_AT} rounds; ` +
				`${queued} changes were not yet stored then; stored ${made} writer operations (Yjs clock), everything relayed, and ${storedOnly} operations applied after the observer's socket closed; exit after ${Math.round(exitMs)} ms`
		);
	}, 90_000);
});
