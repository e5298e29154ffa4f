import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { rawSocket, type RawSocket } from '../helpers/abuse.ts';
import { prng, updateFrame } from '../helpers/hostile-frames.ts';
import { randomWrites } from '../helpers/random-writes.ts';
import { storedDoc } from '../helpers/stored-board.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { findUnreadable } from '../../src/lib/board/doc/heal.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';

/** Seeded runs per database (the issue asks for at least 200 in CI). */
const RUNS = Number(process.env.SHAPE_FUZZ_RUNS ?? 240);
const BOARDS = 6;
const SEED = Number(process.env.SHAPE_FUZZ_SEED ?? 20261206);

type Member = { id: string; cookie: string };

describe.each(dbKinds())('fuzz: random well-formed updates of random types into every root map (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let owner: Member, mallory: Member;
	const boards: string[] = [];
	const watchers: SyncClient[] = [];
	const sockets: RawSocket[] = [];
	const db = () => fd.app.ctx.db;

	beforeAll(async () => {
		// No input budget: the runs come fast on purpose, and budgets are tested elsewhere.
		fd = await startInProcess(kind, { unloadGraceMs: 200, inputBytesPerSecond: 0, inputFramesPerSecond: 0 });
		[owner, mallory] = [await fd.user('Owner'), await fd.user('Mallory')];
		for (let i = 0; i < BOARDS; i++) {
			const id = await createBoard(db(), owner.id, `Fuzz ${i}`, new Date());
			const { token } = await createInvite(db(), id, owner.id, { role: 'editor', days: 7 }, new Date());
			await acceptInvite(db(), token, mallory.id, new Date());
			boards.push(id);
			// An honest member keeps each board open and gives it some real content to aim at.
			const watcher = connectBoard(fd.url, id, { cookie: owner.cookie });
			watchers.push(watcher);
			await watcher.synced();
			const cmd = boardCommands(watcher.doc, { userId: owner.id, now: () => new Date() });
			const stages = readSnapshot(watcher.doc).stages;
			const card = cmd.addCard(stages[0]!.id, `Real card ${i}`);
			cmd.addChecklistItem(card, 'Real item');
			cmd.setDescription(card, 'Real description');
			cmd.addExitCriterion(stages[1]!.id, 'Real criterion');
		}
	}, 60_000);

	afterAll(async () => {
		for (const s of sockets) s.ws.terminate();
		for (const w of watchers) w.destroy();
		await fd?.close();
	});

	it(`${RUNS} runs: the server stays up, refused updates never land, every board opens and every snapshot reads`, async () => {
		const rand = prng(SEED);
		const sockets_: (RawSocket | null)[] = boards.map(() => null);
		let accepted = 0;
		let refused = 0;
		for (let run = 0; run < RUNS; run++) {
			const b = run % BOARDS;
			const watcher = watchers[b]!;
			const copy = new Y.Doc();
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(watcher.doc));
			const before = Y.encodeStateVector(copy);
			randomWrites(copy, rand, rand() < 0.5 ? 1 : 1 + Math.floor(rand() * 4));
			const update = Y.encodeStateAsUpdate(copy, before);
			copy.destroy();
			let socket = sockets_[b];
			if (!socket || socket.ws.readyState !== socket.ws.OPEN) {
				socket = rawSocket(fd.url, boards[b]!, mallory.cookie);
				sockets.push(socket);
				sockets_[b] = socket;
				await socket.opened;
			}
			const sent = socket;
			sent.ws.send(updateFrame(update));
			const target = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update));
			// Either the honest member receives it, or the sender is closed (1007); nothing else is acceptable.
			const outcome = await waitFor(`run ${run}: applied or refused`, () => {
				const state = Y.decodeStateVector(Y.encodeStateVector(watcher.doc));
				if ([...target].every(([client, clock]) => (state.get(client) ?? 0) >= clock)) return 'applied';
				return sent.ws.readyState === sent.ws.CLOSED ? 'refused' : null;
			});
			if (outcome === 'applied') accepted++;
			else {
				refused++;
				expect((await sent.ended).code, `run ${run}`).toBe(1007);
			}
			expect(() => readSnapshot(watcher.doc), `run ${run}: the honest member's snapshot`).not.toThrow();
			expect(findUnreadable(watcher.doc), `run ${run}`).toEqual([]);
		}
		console.log(`[${kind}] shape fuzz: ${RUNS} runs, ${accepted} accepted, ${refused} refused`);
		expect(accepted).toBeGreaterThan(RUNS / 20);
		expect(refused).toBeGreaterThan(RUNS / 5);
		expect(watchers.flatMap((w) => w.closeCodes)).toEqual([]);

		// Every board opens for a newcomer, from the live room and, once unloaded, from the database.
		for (const [i, id] of boards.entries()) {
			const fresh = connectBoard(fd.url, id, { cookie: owner.cookie });
			await fresh.synced();
			expect(() => readSnapshot(fresh.doc)).not.toThrow();
			expect(findUnreadable(fresh.doc)).toEqual([]);
			// The newcomer sees the board the long-standing client sees (Mallory, an editor, may have rewritten the real
			// card: what matters is that everyone reads the same board).
			await waitFor(`board ${i}: the newcomer reads what the watcher reads`, () => isDeepStrictEqual(readSnapshot(fresh.doc), readSnapshot(watchers[i]!.doc)));
			fresh.destroy();
		}
		for (const s of sockets) s.ws.terminate();
		const lastSeen = watchers.map((w) => readSnapshot(w.doc));
		for (const w of watchers) w.destroy();
		for (const id of boards) await waitFor(`board ${id} unloaded`, () => !fd.app.rooms.has(id), 15_000);
		for (const [i, id] of boards.entries()) {
			const doc = await storedDoc(db(), id);
			expect(findUnreadable(doc), `stored board ${id}`).toEqual([]);
			expect(() => readSnapshot(doc)).not.toThrow();
			const reopened = connectBoard(fd.url, id, { cookie: owner.cookie });
			await reopened.synced();
			// What the database gives back is the board its members last saw.
			await waitFor(`board ${i}: reloaded as it was`, () => isDeepStrictEqual(readSnapshot(reopened.doc), lastSeen[i]));
			reopened.destroy();
		}
	}, 240_000);
});
