import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import postgres from 'postgres';
import { Redis } from 'ioredis';
import { createScratchPostgres } from '../helpers/db.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { connectBoard, stageOf, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardWithMembers, cloneDoc, converged, joinedClient } from '../helpers/board-fixture.ts';
import { historyDisagreements } from '../helpers/history-check.ts';
import { describeDifference } from '../helpers/board-state.ts';
import { mulberry32 } from '../helpers/prng.ts';
import { EDIT_ONLY, RandomEditor, sleep, type Peer } from '../helpers/random-edits.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { placesOf } from '../../src/lib/board/doc/places.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Several server processes on one PostgreSQL database and one Redis (docs/scale-out.md): one owner per board, the
 * others relaying. PostgreSQL only: PGlite is one process's database.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('several instances on one database (REDIS_URL)', () => {
	const prefix = `flowdeck-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}:`;
	const servers: TestServer[] = [];
	const open: SyncClient[] = [];
	let redis: Redis;
	let drop: () => Promise<void> = async () => {};
	let databaseUrl = '';
	let boardId = '';
	let cookies: string[] = [];

	/** The instance id a server announced at start-up. */
	const instanceOf = (server: TestServer) => /joined as instance ([0-9a-f]+)/.exec(server.output())?.[1];
	/** Which of the live servers holds the board's lease now (-1: none). */
	const ownerIndex = async () => {
		const id = await redis.get(`${prefix}lease:${boardId}`);
		return servers.findIndex((s) => s.process.exitCode === null && s.process.signalCode === null && instanceOf(s) === id);
	};
	const join = async (server: TestServer, cookie: string) => {
		const client = await joinedClient(server.url, boardId, cookie);
		open.push(client);
		return client;
	};
	const commands = (client: SyncClient) => boardCommands(client.doc, { userId: 'test', now: () => new Date() });
	const stageNamed = (client: SyncClient, name: string) => readSnapshot(client.doc).stages.find((s) => s.name === name)!.id;

	beforeAll(async () => {
		redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
		const scratch = await createScratchPostgres();
		databaseUrl = scratch.url;
		drop = () => scratch.drop();
		const env = { DATABASE_URL: scratch.url, REDIS_URL, REDIS_PREFIX: prefix };
		// The first one migrates the database; the others start on it together.
		servers.push(await startServer(env));
		servers.push(...(await Promise.all([startServer(env), startServer(env)])));
		({ boardId, cookies } = await boardWithMembers(servers[0]!.url, ['Olga', 'Ed', 'Emi'], 'Cluster board'));
	}, 120_000);

	afterAll(async () => {
		for (const c of open.splice(0)) c.destroy();
		await Promise.all(servers.map((s) => s.stop()));
		await drop();
		const keys = await redis.keys(`${prefix}*`);
		if (keys.length > 0) await redis.del(...keys);
		await redis.quit();
	});

	it('one instance owns the board; edits and presence made on any instance reach clients on every other', async () => {
		const clients = await Promise.all(servers.map((s, i) => join(s, cookies[i]!)));
		const owner = await ownerIndex();
		expect(owner).toBeGreaterThanOrEqual(0);
		const backlog = stageNamed(clients[0]!, 'Backlog');
		for (const [i, writer] of clients.entries()) {
			const started = performance.now();
			const id = commands(writer).addCard(backlog, `Written on instance ${i}`);
			await waitFor(`card from instance ${i} everywhere`, () => clients.every((c) => readSnapshot(c.doc).cards[id]), 5_000, 2);
			console.log(`[cluster] an edit on instance ${i} (${i === owner ? 'owner' : 'relay'}) reached every instance in ${Math.round(performance.now() - started)} ms`);
		}
		// Presence crosses too, stamped by the owner with the writer's identity.
		clients[1]!.provider.awareness.setLocalStateField('cursor', { cardId: 'x' });
		await waitFor('presence relayed', () => clients[2]!.provider.awareness.getStates().get(clients[1]!.doc.clientID)?.cursor);
		for (const c of clients) c.destroy();
	}, 30_000);

	it('a hard WIP limit hit from two instances at once holds: one move stands, the other is refused', async () => {
		// The two writers sit on two different instances (so at least one of them is a relay).
		const [p, q] = [0, 1];
		const a = await join(servers[p]!, cookies[0]!);
		const b = await join(servers[q]!, cookies[1]!);
		const [todo, doing] = ['To do', 'In progress'].map((n) => stageNamed(a, n));
		const cmd = commands(a);
		cmd.setWipLimit(doing!, 1, 'hard');
		const x = cmd.addCard(todo!, 'X wants in');
		const y = cmd.addCard(todo!, 'Y wants in');
		await waitFor('both see the setup', () => readSnapshot(b.doc).cards[y] && readSnapshot(b.doc).stages.find((s) => s.id === doing)?.wipLimit === 1);
		// Written straight into each document, past the commands' own check, in the same tick.
		const rawMove = (client: SyncClient, id: string) => client.doc.transact(() => placesOf(client.doc).set(id, { ...placesOf(client.doc).get(id)!, stageId: doing! }));
		rawMove(a, x);
		rawMove(b, y);
		await waitFor('a refusal notice', () => [...a.notices, ...b.notices].find((n) => n.type === 'refused' && (n.cardId === x || n.cardId === y)));
		await converged([a, b]);
		const inDoing = [x, y].filter((id) => stageOf(a.doc, id) === doing);
		expect(inDoing).toHaveLength(1);
		const fresh = await join(servers[3 - p - q]!, cookies[2]!);
		expect([x, y].filter((id) => stageOf(fresh.doc, id) === doing)).toEqual(inDoing);
		for (const c of [a, b, fresh]) c.destroy();
	}, 30_000);

	it('kill -9 of the owner under edits: another instance owns the board within 5 s, nothing lost, nothing twice', async () => {
		const rng = mulberry32(0x5ca1e);
		const peers: Peer[] = [];
		const cookieOf: string[] = [];
		// Two clients on each instance, the owner's included.
		for (const [i, server] of servers.entries()) {
			for (const k of [0, 1]) {
				const client = await join(server, cookies[(i + k) % cookies.length]!);
				peers.push({ name: `s${i}c${k}`, userId: `user-${i}-${k}`, client, online: true });
				cookieOf.push(cookies[(i + k) % cookies.length]!);
			}
		}
		const owner = await ownerIndex();
		expect(owner).toBeGreaterThanOrEqual(0);
		const editor = new RandomEditor(rng, peers, 'cluster', { weights: EDIT_ONLY });
		let editing = true;
		const made = { before: 0, during: 0, after: 0 };
		let phase: keyof typeof made = 'before';
		const loop = (async () => {
			while (editing) {
				await editor.step();
				made[phase]++;
				await sleep(rng.int(1, 8));
			}
		})();
		await waitFor('edits before the kill', () => made.before >= 30, 15_000);
		const dead = servers[owner]!;
		const deadInstance = instanceOf(dead);
		await dead.crash();
		const killedAt = performance.now();
		phase = 'during';
		// The load balancer sends the dead instance's clients elsewhere: same document, same user, another instance.
		const survivor = servers.find((s) => s !== dead)!;
		for (const [n, p] of peers.entries()) {
			if (!p.client.provider.serverUrl.includes(`:${dead.port}/`)) continue;
			p.client.provider.destroy();
			p.client = connectBoard(survivor.url, boardId, { cookie: cookieOf[n]!, doc: p.client.doc });
			open.push(p.client);
		}
		const newOwner = await waitFor(
			'a new owner',
			async () => {
				const id = await redis.get(`${prefix}lease:${boardId}`);
				return id && id !== deadInstance ? id : null;
			},
			10_000,
			20
		);
		const failoverMs = performance.now() - killedAt;
		await waitFor('every client resynced', () => peers.every((p) => p.client.provider.synced && p.client.provider.wsconnected), 15_000).catch((err: unknown) => {
			const state = peers.map((p) => `${p.name} ${p.client.provider.serverUrl} synced=${p.client.provider.synced} connected=${p.client.provider.wsconnected} closes=${p.client.closeCodes.join(',')}`);
			throw new Error(`${String(err)}\n${state.join('\n')}\n${servers.map((s) => s.output().slice(-1500)).join('\n----\n')}`);
		});
		const resyncedMs = performance.now() - killedAt;
		phase = 'after';
		await waitFor('edits after the failover', () => made.after >= 20, 15_000);
		editing = false;
		await loop;
		await converged(peers.map((p) => p.client));
		console.log(
			`[cluster] kill -9 of the owner: new owner ${newOwner} after ${Math.round(failoverMs)} ms, every client resynced after ${Math.round(resyncedMs)} ms; edits ${made.before} before, ${made.during} during, ${made.after} after`
		);
		expect(failoverMs).toBeLessThan(5_000);
		const own = peers.map((p) => ({ clientID: p.client.doc.clientID, clock: Y.getState(p.client.doc.store, p.client.doc.clientID) }));
		const reference = cloneDoc(peers[0]!.client.doc);
		for (const p of peers) p.client.destroy();
		// What the new owner holds (and stored): every client's edits, once.
		const fresh = await join(survivor, cookies[0]!);
		for (const { clientID, clock } of own) expect(Y.getState(fresh.doc.store, clientID), `edits of client ${clientID}`).toBe(clock);
		expect(describeDifference(fresh.doc, reference)).toBe('');
		// Watched (docs/scale-out.md): after a failover the history used to miss a move or two the dead owner had
		// applied but not stored (a late new place was not taken for a move; fixed in the recorder). Reported, not asserted,
		// until more runs have confirmed the fix.
		let disagreements: string[] = [];
		await waitFor('history agrees with the document', async () => (disagreements = await historyDisagreements(survivor.url, boardId, cookies[0]!, fresh.doc)).length === 0, 5_000, 200).catch(() => {});
		if (disagreements.length > 0) console.warn(`[cluster] WATCHED: history disagrees with the document after the failover:\n${disagreements.join('\n')}`);
		// History written once: never two creations of one card.
		const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
		try {
			const twice = await sql`select card_id, count(*)::int as n from card_events where board_id = ${boardId} and type = 'created' group by card_id having count(*) > 1`;
			expect(twice).toEqual([]);
		} finally {
			await sql.end();
		}
		fresh.destroy();
	}, 90_000);

	it('signing out on one instance closes that session’s socket held by another', async () => {
		const live = servers.filter((s) => s.process.exitCode === null && s.process.signalCode === null);
		const owner = await ownerIndex();
		// The socket on a relay when there is one; the sign-out on the other live instance.
		const holder = live.find((s) => servers.indexOf(s) !== owner) ?? live[0]!;
		const elsewhere = live.find((s) => s !== holder)!;
		const client = await join(holder, cookies[2]!);
		const res = await fetch(`${elsewhere.url}/logout`, { method: 'POST', redirect: 'manual', headers: { accept: 'text/html', cookie: cookies[2]!, origin: elsewhere.url, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
		expect(res.status).toBe(303);
		await waitFor('socket closed with 4401', () => client.closeCodes.includes(4401), 3_000);
		expect(client.provider.shouldConnect).toBe(false);
	}, 30_000);
});
