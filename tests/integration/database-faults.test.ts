import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchPostgres, dbKinds } from '../helpers/db.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { HttpClient } from '../helpers/http-client.ts';
import { connectBoard, stageIds, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';

const BOARDS = 4;
const DROPS = 60;
const DROP_EVERY_MS = 150;

// PGlite has no connections to drop: this is PostgreSQL's half of "faults are survived".
describe.skipIf(!dbKinds().includes('postgres'))('PostgreSQL connections dropped under edits (postgres)', () => {
	let server: TestServer;
	let scratch: Awaited<ReturnType<typeof createScratchPostgres>>;
	let sql: postgres.Sql;
	const open: SyncClient[] = [];
	const boardIds: string[] = [];
	let owner: HttpClient;

	beforeAll(async () => {
		scratch = await createScratchPostgres();
		server = await startServer({ DATABASE_URL: scratch.url });
		sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
		owner = new HttpClient(server.url);
		await owner.signUp('Owner', 'owner@example.com');
		for (let i = 0; i < BOARDS; i++) boardIds.push((await owner.post('/?/create', { name: `Busy ${i}` })).location!.split('/').pop()!);
	}, 120_000);

	afterAll(async () => {
		for (const c of open) c.destroy();
		await server?.stop();
		await sql?.end({ timeout: 1 });
		await scratch?.drop();
	});

	/** Cards each board's stored state holds: what a fresh client receives, and the `created` events in card_events. */
	const stored = async (boardId: string) => {
		const fresh = connectBoard(server.url, boardId, { cookie: owner.cookieHeader });
		try {
			// A server that died refuses every socket: say so with its log, not as a sync timeout.
			expect(server.process.exitCode, server.output().slice(-3000)).toBeNull();
			await fresh.synced().catch((err: Error) => {
				throw new Error(`${err.message}; server log:\n${server.output().slice(-3000)}`);
			});
			const inDocument = new Set(Object.keys(fresh.snapshot().cards));
			const rows = await sql<{ card_id: string }[]>`select card_id from card_events where board_id = ${boardId} and type = 'created'`;
			return { inDocument, inHistory: new Set(rows.map((r) => r.card_id)) };
		} finally {
			fresh.destroy();
		}
	};

	it('the server stays up, stores every edit in the document and the history, and keeps taking edits', async () => {
		const created = boardIds.map(() => new Set<string>());
		const clients = boardIds.map((id) => connectBoard(server.url, id, { cookie: owner.cookieHeader }));
		open.push(...clients);
		await Promise.all(clients.map((c) => c.synced()));
		const edit = (i: number, title: string) => {
			const client = clients[i]!;
			const stages = stageIds(client.doc);
			const cmd = boardCommands(client.doc, { userId: 'client', now: () => new Date() });
			const card = cmd.addCard(stages[0]!, title);
			// Moves too: they write card_flow and compare stage kinds, not just append rows.
			cmd.moveCard(card, stages[1]!, 0);
			created[i]!.add(card);
		};
		let n = 0;
		const editing = setInterval(() => {
			for (let i = 0; i < BOARDS; i++) edit(i, `card ${n}`);
			n++;
		}, 20);
		let dropped = 0;
		let terminated = 0;
		try {
			while (dropped < DROPS) {
				const rows = await sql<{ t: boolean }[]>`SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
				terminated += rows.filter((r) => r.t).length;
				dropped++;
				await new Promise((r) => setTimeout(r, DROP_EVERY_MS));
				expect(server.process.exitCode, server.output()).toBeNull();
			}
		} finally {
			clearInterval(editing);
		}
		// Most drops find the server's connections busy (an idle pool may hold none at that instant).
		expect(terminated).toBeGreaterThanOrEqual(10);

		// Everything made during the drops ends up stored, in the document and in the history alike.
		for (let i = 0; i < BOARDS; i++) {
			const want = [...created[i]!].sort();
			let missing = '';
			await waitFor(
				`board ${i}: ${want.length} cards in the document and in card_events`,
				async () => {
					const { inDocument, inHistory } = await stored(boardIds[i]!);
					missing = `not in the document: ${want.filter((id) => !inDocument.has(id)).length}; not in card_events: ${want.filter((id) => !inHistory.has(id)).length}`;
					return want.every((id) => inDocument.has(id) && inHistory.has(id));
				},
				30_000,
				250
			).catch((err: Error) => {
				throw new Error(`${err.message} (${missing})\n${server.output().slice(-3000)}`);
			});
		}

		// And the board keeps working: a new edit flows to another client and is stored.
		const watcher = connectBoard(server.url, boardIds[0]!, { cookie: owner.cookieHeader });
		open.push(watcher);
		await watcher.synced();
		edit(0, 'after the drops');
		const last = [...created[0]!].pop()!;
		await waitFor('the new card reaches another client', () => last in watcher.snapshot().cards);
		await waitFor('the new card is stored', async () => {
			const { inDocument, inHistory } = await stored(boardIds[0]!);
			return inDocument.has(last) && inHistory.has(last);
		});
		expect(server.process.exitCode).toBeNull();
		expect(server.output()).not.toMatch(/uncaughtException|unhandledRejection|Cannot read properties of null/);
		console.log(`database faults: ${dropped} drops terminated ${terminated} backends; ${created.reduce((a, s) => a + s.size, 0)} cards made meanwhile, all stored`);
	}, 120_000);
});
