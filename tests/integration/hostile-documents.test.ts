import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { EditFlow, LoopWatch, addProbeCards, rawSocket, type Ending, type RawSocket } from '../helpers/abuse.ts';
import { updateFrame } from '../helpers/hostile-frames.ts';
import { POISONS, concurrentInserts, poisonUpdate } from '../helpers/poison.ts';
import { storedDoc } from '../helpers/stored-board.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { findUnreadable } from '../../src/lib/board/doc/heal.ts';
import { boardMaps } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { drizzleDocumentStore } from '../../server/persistence/drizzle-document-store.ts';
import { systemClock } from '../../src/lib/server/clock.ts';

/** Edits between two honest members on another board must arrive within this while the attacks run. */
const EDIT_BOUND_MS = 1_000;
/** The server's own longest event-loop stall while an attack runs (CPU this process burned; see LoopWatch). */
const STALL_BOUND_MS = 100;

type Member = { id: string; cookie: string };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(dbKinds())('hostile documents: values of the wrong type never get in (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let owner: Member, edna: Member, mallory: Member;
	let calmBoard: string, target: string;
	let a: SyncClient, b: SyncClient;
	let flow: EditFlow;
	const loop = new LoopWatch();
	const sockets: RawSocket[] = [];
	const clients: SyncClient[] = [];
	const db = () => fd.app.ctx.db;
	const store = () => drizzleDocumentStore(db(), systemClock);

	async function member(boardId: string, user: Member): Promise<void> {
		const { token } = await createInvite(db(), boardId, owner.id, { role: 'editor', days: 7 }, new Date());
		await acceptInvite(db(), token, user.id, new Date());
	}
	function join(cookie: string, boardId: string): SyncClient {
		const c = connectBoard(fd.url, boardId, { cookie });
		clients.push(c);
		return c;
	}
	const stored = (boardId: string) => storedDoc(db(), boardId);
	/** Sends one update frame from a fresh socket of Mallory's and returns how that socket ended. */
	async function sendAsMallory(boardId: string, update: Uint8Array): Promise<Ending | 'open'> {
		const s = rawSocket(fd.url, boardId, mallory.cookie);
		sockets.push(s);
		await s.opened;
		s.ws.send(updateFrame(update));
		return Promise.race([s.ended, sleep(3_000).then(() => 'open' as const)]);
	}
	/** Runs an attack while A and B edit the calm board; their edits keep arriving in time and the loop never stalls. */
	async function whileOthersEdit(name: string, run: () => Promise<void>): Promise<void> {
		flow.mark();
		loop.start();
		await run();
		const stall = loop.stop();
		const during = await flow.settle(EDIT_BOUND_MS);
		console.log(`[${kind}] ${name}: edits during ${during.edits}, slowest ${during.maxMs.toFixed(1)} ms, own stall ${stall.busyMaxMs.toFixed(1)} ms`);
		expect(during.late, `${name}: honest edits late or lost`).toBe(0);
		expect(stall.busyMaxMs, `${name}: event-loop stall of our own making (ms)`).toBeLessThan(STALL_BOUND_MS);
		expect([...a.closeCodes, ...b.closeCodes], `${name}: honest members disconnected`).toEqual([]);
	}

	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 200 });
		[owner, edna, mallory] = [await fd.user('Owner'), await fd.user('Edna'), await fd.user('Mallory')];
		calmBoard = await createBoard(db(), owner.id, 'Calm', new Date());
		target = await createBoard(db(), owner.id, 'Target', new Date());
		await member(calmBoard, edna);
		await member(target, mallory);
		a = join(owner.cookie, calmBoard);
		b = join(edna.cookie, calmBoard);
		await Promise.all([a.synced(), b.synced()]);
		flow = new EditFlow(a, b, await addProbeCards(a, b, owner.id), { a: owner.id, b: edna.id });
		flow.start(50);
	}, 60_000);

	afterAll(async () => {
		flow?.stop();
		for (const s of sockets) s.ws.terminate();
		for (const c of clients) c.destroy();
		await fd?.close();
	});

	it('refuses each poison from an editor before it is applied: the sender is closed (1007), a fresh client and the database never see it', async () => {
		const honest = join(owner.cookie, target);
		await honest.synced();
		boardCommands(honest.doc, { userId: owner.id, now: () => new Date() }).addCard(readSnapshot(honest.doc).stages[0]!.id, 'Honest work');
		await waitFor('the room has the honest card', async () => Object.keys(readSnapshot((await fd.app.rooms.peek(target)!.inspect()).doc).cards).length === 1);
		// Made before the attack: the test shares the server's thread, and its own work is no stall of the server's.
		const serverDoc = (await fd.app.rooms.peek(target)!.inspect()).doc;
		const updates = POISONS.map((poison) => poisonUpdate(serverDoc, poison));
		const endings: (Ending | 'open')[] = [];
		await whileOthersEdit('poisons', async () => {
			for (const update of updates) endings.push(await sendAsMallory(target, update));
		});
		for (const [i, poison] of POISONS.entries()) {
			const ending = endings[i]!;
			expect(ending === 'open' ? 'open' : ending.code, poison.what).toBe(1007);
		}
		expect(findUnreadable((await fd.app.rooms.peek(target)!.inspect()).doc)).toEqual([]);
		expect(honest.closeCodes).toEqual([]);
		const fresh = join(owner.cookie, target);
		await fresh.synced();
		expect(findUnreadable(fresh.doc)).toEqual([]);
		expect(Object.values(fresh.snapshot().cards).map((c) => c.title)).toEqual(['Honest work']);
		await fd.app.rooms.peek(target)!.flush();
		const inDatabase = await stored(target);
		expect(findUnreadable(inDatabase)).toEqual([]);
		expect(inDatabase.share.has('evil')).toBe(false);
		expect(Object.values(readSnapshot(inDatabase).cards).map((c) => c.title)).toEqual(['Honest work']);
		honest.destroy();
		fresh.destroy();
	});

	it('opens the board again after its room unloaded (as after a restart), with every honest edit', async () => {
		await waitFor('the target room unloaded', () => !fd.app.rooms.has(target), 10_000);
		const again = join(owner.cookie, target);
		await again.synced();
		expect(Object.values(again.snapshot().cards).map((c) => c.title)).toEqual(['Honest work']);
		expect(findUnreadable(again.doc)).toEqual([]);
		again.destroy();
	});

	it('heals a board stored with wrong-type entries (written before this fix) when it loads, and tells its owner', async () => {
		const legacy = await createBoard(db(), owner.id, 'Stored before the fix', new Date());
		const first = join(owner.cookie, legacy);
		await first.synced();
		boardCommands(first.doc, { userId: owner.id, now: () => new Date() }).addCard(readSnapshot(first.doc).stages[0]!.id, 'Kept card');
		await waitFor('the room has the card', async () => Object.keys(readSnapshot((await fd.app.rooms.peek(legacy)!.inspect()).doc).cards).length === 1);
		first.destroy();
		await waitFor('the legacy room unloaded', () => !fd.app.rooms.has(legacy), 10_000);
		// What an unchecked server used to store: the poisons, appended as rows, then folded into one snapshot as an
		// unloading room does (so the room starts cold, and heals once its first client's sync is on the wire).
		const doc = await stored(legacy);
		let lastRow = 0;
		for (const poison of POISONS) {
			const update = poisonUpdate(doc, poison);
			Y.applyUpdate(doc, update);
			lastRow = await store().append(legacy, update);
		}
		await store().compact(legacy, Y.encodeStateAsUpdate(doc), lastRow);
		expect((await store().load(legacy)).updates).toEqual([]);
		expect(findUnreadable(await stored(legacy)).length).toBeGreaterThanOrEqual(12);

		const opener = join(owner.cookie, legacy);
		await opener.synced();
		await waitFor('the owner is told', () => opener.notices.some((n) => /wrong type/.test(n.message)));
		await waitFor('the healed state reached the owner', () => findUnreadable(opener.doc).length === 0);
		// Only the unreadable parts go: the card whose label list held a null keeps its title, without the labels;
		// the one whose title held a NUL keeps the card, untitled.
		const cards = Object.values(opener.snapshot().cards);
		expect(cards.map((c) => c.title).sort()).toEqual(['Kept card', 'Labelled', 'Untitled']);
		expect(cards.find((c) => c.title === 'Labelled')?.labels).toEqual([]);
		await fd.app.rooms.peek(legacy)!.flush();
		expect(findUnreadable(await stored(legacy))).toEqual([]);
		opener.destroy();
	});

	it('closes the sender of 4,000 concurrent inserts at one spot (a 48 KB frame that stalled Yjs for 4 s) before integrating it', async () => {
		const crafted = concurrentInserts(4_000);
		let ending: Ending | 'open' = 'open';
		await whileOthersEdit('concurrent inserts', async () => {
			ending = await sendAsMallory(target, crafted);
		});
		expect(ending === 'open' ? 'open' : (ending as Ending).code).toBe(1007);
		const check = join(owner.cookie, target);
		await check.synced();
		expect(boardMaps(check.doc).places.length).toBe(1);
		expect(Object.values(check.snapshot().cards).map((c) => c.title)).toEqual(['Honest work']);
		check.destroy();
	});
});
