import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { rawSocket, type Ending, type RawSocket } from '../helpers/abuse.ts';
import { updateFrame } from '../helpers/hostile-frames.ts';
import { decodeNotice } from '../../src/lib/sync-protocol/notice.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';

/** A tiny allowance, so that a few honest-looking but big updates use it up. */
const BURST_MS = 20;
const REFILL_PER_S = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(dbKinds())('integration time is budgeted per user, across reconnects (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	const sockets: RawSocket[] = [];
	const clients: SyncClient[] = [];

	beforeAll(async () => {
		fd = await startInProcess(kind, { integrationBurstMs: BURST_MS, integrationMsPerSecond: REFILL_PER_S, inputBytesPerSecond: 0, inputFramesPerSecond: 0 });
	}, 60_000);

	afterAll(async () => {
		for (const s of sockets) s.ws.terminate();
		for (const c of clients) c.destroy();
		await fd?.close();
	});

	it('a user over their allowance is closed (1008, told why), refused unapplied on reconnect until it refills; others never notice', async () => {
		const [owner, edna, mallory] = [await fd.user('Owner'), await fd.user('Edna'), await fd.user('Mallory')];
		const calm = await createBoard(fd.app.ctx.db, owner.id, 'Calm', new Date());
		const own = await createBoard(fd.app.ctx.db, mallory.id, "Mallory's", new Date());
		const { token } = await createInvite(fd.app.ctx.db, calm, owner.id, { role: 'editor', days: 7 }, new Date());
		await acceptInvite(fd.app.ctx.db, token, edna.id, new Date());
		const [a, b, watcher] = [connectBoard(fd.url, calm, { cookie: owner.cookie }), connectBoard(fd.url, calm, { cookie: edna.cookie }), connectBoard(fd.url, own, { cookie: mallory.cookie })];
		clients.push(a, b, watcher);
		await Promise.all([a.synced(), b.synced(), watcher.synced()]);

		/** An update adding `cards` cards to Mallory's board, made on a copy of what her watcher holds. */
		const cardsUpdate = (cards: number, prefix: string) => {
			const copy = new Y.Doc();
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(watcher.doc));
			const before = Y.encodeStateVector(copy);
			const cmd = boardCommands(copy, { userId: mallory.id, now: () => new Date() });
			const stage = readSnapshot(copy).stages[0]!.id;
			copy.transact(() => {
				for (let i = 0; i < cards; i++) cmd.addCard(stage, `${prefix} ${i}`);
			});
			return Y.encodeStateAsUpdate(copy, before);
		};
		const send = async (update: Uint8Array): Promise<Ending | 'open'> => {
			const s = rawSocket(fd.url, own, mallory.cookie);
			sockets.push(s);
			await s.opened;
			s.ws.send(updateFrame(update));
			return Promise.race([s.ended, sleep(1_000).then(() => 'open' as const)]);
		};
		const titles = () => Object.values(readSnapshot(watcher.doc).cards).map((c) => c.title);

		// A second socket of hers, open from the start: it has used nothing, but she has.
		const spare = rawSocket(fd.url, own, mallory.cookie);
		sockets.push(spare);
		await spare.opened;
		// Big updates, one socket each, until one is closed for the time they cost.
		// Made first (each on its own copy of the same state), so sending them is not slowed by making them.
		const big = Array.from({ length: 24 }, (_, i) => cardsUpdate(400, `Bulk ${i}`));
		let closed: Ending | null = null;
		let sent = 0;
		for (const update of big) {
			sent++;
			const ending = await send(update);
			if (ending !== 'open') {
				closed = ending;
				break;
			}
		}
		console.log(`[${kind}] integration budget (${BURST_MS} ms, ${REFILL_PER_S} ms/s): closed after ${sent} updates of 400 cards`);
		expect(closed?.code).toBe(1008);
		const told = sockets.at(-1)!.received.map(decodeNotice).find((n) => n?.type === 'limit');
		expect(told?.message).toMatch(/too long to apply/);
		// Another socket does not bring a fresh allowance: her next update is refused before it is applied.
		const small = cardsUpdate(1, 'After the close');
		spare.ws.send(updateFrame(small));
		const again = await Promise.race([spare.ended, sleep(1_000).then(() => 'open' as const)]);
		expect(again === 'open' ? 'open' : again.code).toBe(1008);
		await sleep(200);
		expect(titles()).not.toContain('After the close 0');
		// Meanwhile the calm board never noticed.
		boardCommands(a.doc, { userId: owner.id, now: () => new Date() }).addCard(readSnapshot(a.doc).stages[0]!.id, 'Calm edit');
		await waitFor('the calm edit arrived', () => Object.values(readSnapshot(b.doc).cards).some((c) => c.title === 'Calm edit'), 2_000);
		expect([...a.closeCodes, ...b.closeCodes]).toEqual([]);
		// Once it refilled, her updates apply again.
		await waitFor(
			'her update applies after the allowance refilled',
			async () => {
				const ending = await send(small);
				return ending === 'open' && titles().includes('After the close 0');
			},
			20_000,
			500
		);
	});
});
