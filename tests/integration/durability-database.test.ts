import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../helpers/db.ts';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { upgradeStatus, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardWithMembers, cloneDoc, converged, joinedClient } from '../helpers/board-fixture.ts';
import { historyDisagreements } from '../helpers/history-check.ts';
import { describeDifference, storedBoardDoc } from '../helpers/board-state.ts';
import { clusterBinaries, startPrivateCluster, type PrivateCluster } from '../helpers/pg-cluster.ts';
import { mulberry32 } from '../helpers/prng.ts';
import { EDIT_ONLY, RandomEditor, sleep, type Peer } from '../helpers/random-edits.ts';
import { openDatabase } from '../../src/lib/server/db/client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';

const OUTAGE_MS = 3_000;
const haveBinaries = clusterBinaries() !== null;
if (!haveBinaries && process.env.CI) throw new Error('CI needs initdb and pg_ctl (PostgreSQL server binaries) for the database outage test.');
if (!haveBinaries) console.warn('No initdb/pg_ctl on this machine: skipping the PostgreSQL outage test.');

describe.skipIf(!haveBinaries)('PostgreSQL stopped for a few seconds under load (private cluster)', () => {
	let cluster: PrivateCluster;
	let server: TestServer;
	let boardId = '';
	let cookies: string[] = [];
	const open: SyncClient[] = [];

	beforeAll(async () => {
		// Our own cluster: the shared one at 5432 serves every other test and must never be stopped.
		cluster = await startPrivateCluster();
		// Frequent compaction, so some compactions (one transaction: snapshot + delete) also meet the outage.
		server = await startServer({ DATABASE_URL: cluster.url, SYNC_COMPACT_AFTER: '20' });
		({ boardId, cookies } = await boardWithMembers(server.url, ['Olga', 'Ed', 'Emi'], 'Outage board'));
	}, 90_000);
	afterAll(async () => {
		for (const c of open.splice(0)) c.destroy();
		await server?.stop();
		await cluster?.destroy();
	});

	it('the live board keeps working, writes retry, and nothing is lost once the database is back', async () => {
		const peers: Peer[] = [];
		for (const [i, cookie] of cookies.entries()) {
			const client = await joinedClient(server.url, boardId, cookie);
			open.push(client);
			peers.push({ name: `p${i}`, userId: `user-${i}`, client, online: true });
		}
		const rng = mulberry32(0xdb0);
		const editor = new RandomEditor(rng, peers, 'outage', { weights: EDIT_ONLY });
		let editing = true;
		let edits = 0;
		const loop = (async () => {
			while (editing) {
				await editor.step();
				edits++;
				await sleep(rng.int(5, 20));
			}
		})();
		await sleep(500);

		await cluster.stop();
		const down = performance.now();
		const editsBefore = edits;
		// Live editing goes on: a card made now reaches the others through the server's copy.
		const [a, b] = [peers[0]!.client, peers[1]!.client];
		const during = boardCommands(a.doc, { userId: 'a', now: () => new Date() }).addCard(readSnapshot(a.doc).stages[0]!.id, 'Made while the database is down');
		const sent = performance.now();
		// It must arrive while the database is still down (a server that held relays until then would fail here).
		await waitFor('the card reaches another client during the outage', () => readSnapshot(b.doc).cards[during], OUTAGE_MS - 500).catch((err: Error) => {
			const state = peers.map((p) => `${p.name}: connected ${p.client.provider.wsconnected}, synced ${p.client.provider.synced}, closes [${p.client.closeCodes}]`);
			throw new Error(`${err.message}\n${state.join('\n')}\nserver exit code ${server.process.exitCode}; output:\n${server.output().slice(-3000)}`);
		});
		const relayMs = performance.now() - sent;
		// New connections need the database (session, membership): they are refused with 503 meanwhile.
		expect(await upgradeStatus(server.url, `/sync/${boardId}`, { cookie: cookies[0]!, origin: server.url })).toBe(503);
		expect(performance.now() - down, 'still within the outage').toBeLessThan(OUTAGE_MS);
		await sleep(OUTAGE_MS - (performance.now() - down));
		await cluster.start();
		const outageMs = performance.now() - down;
		const editsDuring = edits - editsBefore;
		await sleep(500);
		editing = false;
		await loop;
		await converged(peers.map((p) => p.client));
		const reference = cloneDoc(peers[0]!.client.doc);

		// Read the database directly until it holds everything the clients hold.
		const database = await openDatabase({ url: cluster.url }, migrationsFolder);
		const back = performance.now();
		try {
			let last = '';
			await waitFor(
				'the database holds every edit',
				async () => (last = describeDifference(await storedBoardDoc(database.db, boardId), reference)) === '',
				20_000,
				100
			).catch((err: Error) => {
				throw new Error(`${err.message}\n${last}\n${server.output().slice(-2000)}`);
			});
		} finally {
			await database.close();
		}
		const caughtUpMs = performance.now() - back;
		const output = server.output();
		expect(output).toContain('could not save changes, retrying');
		expect(output).toContain('database writes work again');
		expect(server.process.exitCode).toBeNull();
		// And connections work again.
		const late = await joinedClient(server.url, boardId, cookies[2]!);
		open.push(late);
		expect(readSnapshot(late.doc).cards[during], 'the card made during the outage').toBeDefined();
		expect(describeDifference(late.doc, reference)).toBe('');
		// The history agrees with the document: every card's stage is that of its last created or moved event.
		expect(await historyDisagreements(server.url, boardId, cookies[0]!, late.doc)).toEqual([]);
		console.log(
			`[postgres outage] database down ${Math.round(outageMs)} ms with ${editsDuring} edits meanwhile (${editsBefore} before), ` +
				`a card relayed in ${Math.round(relayMs)} ms during it; ` +
				`every edit stored ${Math.round(caughtUpMs)} ms after the clients converged`
		);
	}, 90_000);
});

describe('PGlite data folder', () => {
	const lockPid = (dir: string) => Number(readFileSync(join(dir, 'flowdeck.lock'), 'utf8').trim().split(/\s+/)[0]);

	it('a second server on the same folder is refused with a clear message; after a crash the lock is taken over even if its pid was reused', async () => {
		const data = tempDataDir();
		const env = { DATA_DIR: data.dir, DATABASE_URL: '' };
		let first: TestServer | undefined;
		let third: TestServer | undefined;
		const clients: SyncClient[] = [];
		let bystander: ReturnType<typeof spawn> | undefined;
		try {
			first = await startServer(env);
			// Any live process that is not a Flowdeck server, started after it (start times tick every 10 ms,
			// and a process that reuses a dead server's pid always started later than it).
			await sleep(50);
			bystander = spawn('sleep', ['60'], { stdio: 'ignore' });
			const pid = first.process.pid!;
			const refused = await startServer(env).then(
				async (second) => {
					await second.stop();
					return 'started';
				},
				(err: Error) => err.message
			);
			expect(refused).toMatch(/server exited with 1:/);
			expect(refused).toContain(`The data folder ${data.dir} is in use by another Flowdeck process (pid ${pid})`);
			expect(lockPid(data.dir)).toBe(pid);
			// The refused process touched nothing: the first still signs people up and syncs boards.
			const { boardId, cookies } = await boardWithMembers(first.url, ['Olga'], 'Still here');
			const client = await joinedClient(first.url, boardId, cookies[0]!);
			clients.push(client);
			const stages = readSnapshot(client.doc).stages.length;
			expect(stages).toBeGreaterThan(0);
			client.destroy();

			// A crash leaves the lock behind, and the OS may hand the dead server's pid to another process.
			await sleep(300);
			await first.crash();
			const lockFile = join(data.dir, 'flowdeck.lock');
			writeFileSync(lockFile, readFileSync(lockFile, 'utf8').replace(String(pid), String(bystander!.pid)));
			third = await startServer(env);
			expect(lockPid(data.dir)).toBe(third.process.pid);
			const again = await joinedClient(third.url, boardId, cookies[0]!);
			clients.push(again);
			expect(readSnapshot(again.doc).stages.length).toBe(stages);
		} finally {
			bystander?.kill();
			for (const c of clients) c.destroy();
			await first?.stop();
			await third?.stop();
			data.remove();
		}
	}, 120_000);
});
