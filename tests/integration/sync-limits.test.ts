import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { eq } from 'drizzle-orm';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { EditFlow, rawSocket, type Ending, type RawSocket } from '../helpers/abuse.ts';
import { updateFrame } from '../helpers/hostile-frames.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { boardMaps } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { createSession } from '../../src/lib/server/auth/sessions.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/cookie.ts';
import { sessions } from '../../src/lib/server/db/schema/accounts.ts';
import { systemClock } from '../../src/lib/server/clock.ts';
import { decodeNotice } from '../../src/lib/sync-protocol/notice.ts';
import { drizzleDocumentStore } from '../../server/persistence/drizzle-document-store.ts';
import { DEFAULT_SYNC_OPTIONS, type SyncOptions } from '../../server/sync/options.ts';

type Member = { id: string; cookie: string };

/** Sessions re-read this often on the "stock" server (production budgets otherwise). */
const CHECK_MS = 200;
/** The "tight" server: small caps and budgets, and a periodic session check too rare to matter in a test. */
const TIGHT: Partial<SyncOptions> = {
	sessionCheckMs: 60_000,
	maxPayload: 64 * 1024,
	maxCatchUpBytes: 512 * 1024,
	inputBytesPerSecond: 256 * 1024,
	inputBytesBurst: 512 * 1024,
	inputFramesPerSecond: 100,
	inputFramesBurst: 200,
	overBudgetCloseMs: 1_000
};
/** Description length per card in offline work: under the command's 20,000-character limit. */
const DESCRIPTION = 19_000;
/** One flood frame's text: just under the tight server's 64 KiB frame cap. */
const CHUNK = 60_000;

/** Text nobody would compress away: a card description of `n` characters. */
function filler(seed: number, n: number): string {
	let x = seed * 2654435761;
	let out = '';
	while (out.length < n) {
		x = (x * 1103515245 + 12345) >>> 0;
		out += (x >>> 8).toString(36);
	}
	return out.slice(0, n);
}

/** Adds `count` cards with long descriptions to `doc`, each in its own transactions, as a person offline would. */
function offlineWork(doc: Y.Doc, userId: string, prefix: string, count: number, length = DESCRIPTION): string[] {
	const cmd = boardCommands(doc, { userId, now: () => new Date() });
	const stage = readSnapshot(doc).stages[0]!.id;
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const id = cmd.addCard(stage, `${prefix} ${i}`);
		cmd.setDescription(id, filler(i + 1, length));
		ids.push(id);
	}
	return ids;
}

const titles = (doc: Y.Doc) => Object.values(readSnapshot(doc).cards).map((c) => c.title);
const countTitled = (doc: Y.Doc, prefix: string) => titles(doc).filter((t) => t.startsWith(prefix)).length;

describe.each(dbKinds())('sessions, budgets and catch-ups on open sockets (%s)', (kind) => {
	let stock: InProcessFlowdeck;
	let tight: InProcessFlowdeck;
	const clients: SyncClient[] = [];
	const sockets: RawSocket[] = [];
	const figures: Record<string, number | string> = {};

	function join(fd: InProcessFlowdeck, boardId: string, cookie: string, doc?: Y.Doc): SyncClient {
		const c = connectBoard(fd.url, boardId, { cookie, doc });
		clients.push(c);
		return c;
	}
	function raw(fd: InProcessFlowdeck, boardId: string, cookie: string): RawSocket {
		const s = rawSocket(fd.url, boardId, cookie);
		sockets.push(s);
		return s;
	}
	async function boardWith(fd: InProcessFlowdeck, owner: Member, others: Member[], name: string): Promise<string> {
		const boardId = await createBoard(fd.app.ctx.db, owner.id, name, new Date());
		for (const user of others) {
			const { token } = await createInvite(fd.app.ctx.db, boardId, owner.id, { role: 'editor', days: 7 }, new Date());
			await acceptInvite(fd.app.ctx.db, token, user.id, new Date());
		}
		return boardId;
	}
	/** A second session of `user`, valid until `expiresAt` (both its sliding and its absolute expiry). */
	async function sessionUntil(fd: InProcessFlowdeck, user: Member, expiresAt: Date): Promise<{ cookie: string; id: string }> {
		const { token, session } = await createSession(fd.app.ctx.db, user.id, new Date());
		await fd.app.ctx.db.update(sessions).set({ expiresAt, absoluteExpiresAt: expiresAt }).where(eq(sessions.id, session.id));
		return { cookie: `${SESSION_COOKIE}=${token}`, id: session.id };
	}
	/** An update adding a card titled `title`, made on a copy of `source` as a client would make it. */
	function cardUpdate(source: Y.Doc, title: string, userId: string): Uint8Array {
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(source));
		const before = Y.encodeStateVector(copy);
		boardCommands(copy, { userId, now: () => new Date() }).addCard(readSnapshot(copy).stages[0]!.id, title);
		return Y.encodeStateAsUpdate(copy, before);
	}
	const noticesOf = (s: RawSocket) => s.received.flatMap((f) => decodeNotice(f) ?? []);

	/**
	 * An owner watching a new board and an editor who synced, went offline and made `count` cards with long
	 * descriptions there; `size` is the catch-up the editor will send (what the server lacks).
	 */
	async function offlineEditor(fd: InProcessFlowdeck, boardName: string, count: number, length = DESCRIPTION) {
		const [owner, ed] = [await fd.user('Owner'), await fd.user('Editor')];
		const boardId = await boardWith(fd, owner, [ed], boardName);
		const [observer, offline] = [join(fd, boardId, owner.cookie), join(fd, boardId, ed.cookie)];
		await Promise.all([observer.synced(), offline.synced()]);
		offline.provider.disconnect();
		await waitFor('offline', () => [...fd.app.rooms.connections()].every((c) => c.conn.userId !== ed.id), 3_000);
		const serverState = Y.encodeStateVector(observer.doc);
		const ids = offlineWork(offline.doc, ed.id, 'offline', count, length);
		return { boardId, ed, observer, offline, ids, size: Y.encodeStateAsUpdate(offline.doc, serverState).length };
	}

	beforeAll(async () => {
		[stock, tight] = await Promise.all([startInProcess(kind, { sessionCheckMs: CHECK_MS }), startInProcess(kind, TIGHT)]);
	}, 60_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		for (const s of sockets) s.ws.terminate();
		console.log(`[${kind}] sync limits:`, figures);
		await Promise.all([stock?.close(), tight?.close()]);
	}, 30_000);

	it('a session expired or deleted in the database closes its socket with 4401 within the check interval; others stay', async () => {
		const owner = await stock.user('Olga');
		const boardId = await boardWith(stock, owner, [], 'Sessions');
		const later = new Date(Date.now() + 24 * 3600_000);
		const [expiring, deleted] = [await sessionUntil(stock, owner, later), await sessionUntil(stock, owner, later)];
		const [e, d, bystander] = [join(stock, boardId, expiring.cookie), join(stock, boardId, deleted.cookie), join(stock, boardId, owner.cookie)];
		await Promise.all([e.synced(), d.synced(), bystander.synced()]);

		let t0 = performance.now();
		await stock.app.ctx.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1_000) }).where(eq(sessions.id, expiring.id));
		await waitFor('expired session closed with 4401', () => e.closeCodes.includes(4401), CHECK_MS + 2_000);
		figures['expired in the database → 4401 (ms)'] = Math.round(performance.now() - t0);

		t0 = performance.now();
		await stock.app.ctx.db.delete(sessions).where(eq(sessions.id, deleted.id));
		await waitFor('deleted session closed with 4401', () => d.closeCodes.includes(4401), CHECK_MS + 2_000);
		figures['deleted in the database → 4401 (ms)'] = Math.round(performance.now() - t0);

		// y-websocket does not come back after 44xx; the owner's own session is untouched.
		await waitFor('only the bystander left', () => [...stock.app.rooms.connections()].filter((c) => c.boardId === boardId).length === 1, 2_000);
		expect(bystander.closeCodes).toEqual([]);
		expect(bystander.provider.wsconnected).toBe(true);
	});

	it('a write sent after the session’s known expiry is held, re-checked and never applied; after a renewal it lands', async () => {
		const [owner, dee] = [await tight.user('Owen'), await tight.user('Dee')];
		const boardId = await boardWith(tight, owner, [dee], 'Expiry');
		const observer = join(tight, boardId, owner.cookie);
		await observer.synced();
		const expiresAt = new Date(Date.now() + 1_000);
		const [ending, renewed] = [await sessionUntil(tight, dee, expiresAt), await sessionUntil(tight, dee, expiresAt)];
		const [s, r] = [raw(tight, boardId, ending.cookie), raw(tight, boardId, renewed.cookie)];
		await Promise.all([s.opened, r.opened]);
		// The second session is renewed the way an HTTP request renews it: the socket must see that, not its old expiry.
		await tight.app.ctx.db.update(sessions).set({ expiresAt: new Date(Date.now() + 24 * 3600_000), absoluteExpiresAt: new Date(Date.now() + 48 * 3600_000) }).where(eq(sessions.id, renewed.id));
		await waitFor('past the known expiry', () => Date.now() > expiresAt.getTime() + 20, 3_000);

		s.ws.send(updateFrame(cardUpdate(observer.doc, 'Written after expiry', dee.id)));
		r.ws.send(updateFrame(cardUpdate(observer.doc, 'Written after renewal', dee.id)));
		const end = await Promise.race([s.ended, new Promise<Ending>((resolve) => setTimeout(() => resolve({ code: 0, reason: 'still open', at: 0 }), 3_000))]);
		expect(end.code).toBe(4401);
		await waitFor('the renewed session’s write arrives', () => titles(observer.doc).includes('Written after renewal'), 3_000);
		const room = tight.app.rooms.peek(boardId)!;
		expect(titles((await room.inspect()).doc)).not.toContain('Written after expiry');
		expect(titles(observer.doc)).not.toContain('Written after expiry');
		expect(r.ws.readyState).toBe(r.ws.OPEN);
		// The periodic check (once a minute here) played no part: the renewed socket was not re-read before its write.
		expect(TIGHT.sessionCheckMs).toBeGreaterThan(30_000);
	});

	it('a flooding connection is slowed (no longer read), then closed with a notice; another board’s edits keep flowing', async () => {
		const [owner, mallory, ann, ben] = [await tight.user('Fay'), await tight.user('Mallory'), await tight.user('Ann'), await tight.user('Ben')];
		const floodBoard = await boardWith(tight, owner, [mallory], 'Flooded');
		const quietBoard = await boardWith(tight, ann, [ben], 'Quiet');
		const [a, b, bystander] = [join(tight, quietBoard, ann.cookie), join(tight, quietBoard, ben.cookie), join(tight, floodBoard, owner.cookie)];
		await Promise.all([a.synced(), b.synced(), bystander.synced()]);
		const cmd = boardCommands(a.doc, { userId: ann.id, now: () => new Date() });
		const stage = readSnapshot(a.doc).stages[0]!.id;
		const cards = { a: cmd.addCard(stage, 'probe A'), b: cmd.addCard(stage, 'probe B') };
		await waitFor('b has the probe cards', () => boardMaps(b.doc).cards.has(cards.b));
		const flow = new EditFlow(a, b, cards, { a: ann.id, b: ben.id });

		// 80 appends of 60 KB to one card's description (under the 64 KiB frame cap), sent as fast as ws can: 4.8 MB.
		const target = boardCommands(bystander.doc, { userId: owner.id, now: () => new Date() }).addCard(readSnapshot(bystander.doc).stages[0]!.id, 'target');
		boardCommands(bystander.doc, { userId: owner.id, now: () => new Date() }).setDescription(target, 'start');
		await waitFor('the room has the target card', async () => String(boardMaps((await tight.app.rooms.peek(floodBoard)!.inspect()).doc).descriptions.get(target) ?? '') === 'start');
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(bystander.doc));
		const frames: Uint8Array[] = [];
		copy.on('update', (u: Uint8Array) => frames.push(updateFrame(u)));
		const text = boardMaps(copy).descriptions.get(target) as Y.Text;
		for (let i = 0; i < 80; i++) text.insert(text.length, filler(i, CHUNK));
		const sent = frames.reduce((sum, f) => sum + f.length, 0);
		const s = raw(tight, floodBoard, mallory.cookie);
		await s.opened;

		flow.start(50);
		flow.mark();
		const t0 = performance.now();
		for (const f of frames) s.ws.send(f);
		// Slowed first: the server stops reading the socket (the rest waits in the flooder's TCP buffers, not ours).
		const throttled = await waitFor('the flooder is not being read', () => [...tight.app.rooms.connections()].find((c) => c.conn.userId === mallory.id && c.conn.throttled), 3_000);
		const slowedMs = performance.now() - t0;
		expect(throttled!.conn.open).toBe(true);
		const ending = await Promise.race([s.ended, new Promise<Ending>((resolve) => setTimeout(() => resolve({ code: 0, reason: 'still open', at: 0 }), 6_000))]);
		const closedMs = ending.at - t0;
		flow.stop();
		const during = await flow.settle(1_000);

		const room = tight.app.rooms.peek(floodBoard)!;
		const accepted = String(boardMaps((await room.inspect()).doc).descriptions.get(target)).length - 'start'.length;
		// Bytes the budget lets through by then, plus what ws had already read when reading stopped (a frame or two).
		const allowed = TIGHT.inputBytesBurst! + (TIGHT.inputBytesPerSecond! * closedMs) / 1000 + 2 * CHUNK;
		figures['flood: sent (KB)'] = Math.round(sent / 1024);
		figures['flood: accepted before the close (KB)'] = Math.round(accepted / 1024);
		figures['flood: slowed after (ms)'] = Math.round(slowedMs);
		figures['flood: closed after (ms)'] = Math.round(closedMs);
		figures['flood: other board edits / p50 / max (ms)'] = `${during.edits} / ${during.p50Ms.toFixed(0)} / ${during.maxMs.toFixed(0)}`;
		expect(ending.code).toBe(1008);
		expect(noticesOf(s)).toContainEqual(expect.objectContaining({ type: 'limit', reason: 'over-budget' }));
		expect(closedMs).toBeGreaterThan(TIGHT.overBudgetCloseMs! / 2);
		expect(closedMs).toBeLessThan(TIGHT.overBudgetCloseMs! + 2_000);
		expect(accepted).toBeLessThan(allowed);
		expect(accepted).toBeLessThan(sent / 2);
		expect(during.late).toBe(0);
		expect(during.edits).toBeGreaterThan(10);
		expect(bystander.closeCodes).toEqual([]);
		expect(a.closeCodes).toEqual([]);
		expect(b.closeCodes).toEqual([]);
	});

	it('3 MB of offline edits arrive in full after reconnecting through the provider, and are stored', async () => {
		const { boardId, ed, observer, offline, ids, size } = await offlineEditor(stock, 'Offline', 160);
		expect(size).toBeGreaterThan(3_000_000);
		// Over the production frame cap: before this change it closed with 1009 on every reconnect.
		expect(size).toBeGreaterThan(DEFAULT_SYNC_OPTIONS.maxPayload);

		const t0 = performance.now();
		offline.provider.connect();
		await waitFor('the observer has every offline card', () => countTitled(observer.doc, 'offline') === ids.length, 20_000);
		figures['3 MB catch-up: bytes'] = size;
		figures['3 MB catch-up: reconnect → at another client (ms)'] = Math.round(performance.now() - t0);
		expect(offline.closeCodes).toEqual([]);
		const description = boardMaps(observer.doc).descriptions.get(ids.at(-1)!);
		expect(String(description)).toBe(filler(ids.length, DESCRIPTION));

		const room = stock.app.rooms.peek(boardId)!;
		await waitFor('stored', () => room.unsaved === 0, 10_000);
		const stored = await drizzleDocumentStore(stock.app.ctx.db, systemClock).load(boardId);
		const fresh = new Y.Doc();
		if (stored.snapshot) Y.applyUpdate(fresh, stored.snapshot);
		for (const u of stored.updates) Y.applyUpdate(fresh, u);
		expect(countTitled(fresh, 'offline')).toBe(ids.length);
		expect(String(boardMaps(fresh).descriptions.get(ids[0]!))).toBe(filler(1, DESCRIPTION));
		// And edits after it keep flowing both ways.
		boardCommands(offline.doc, { userId: ed.id, now: () => new Date() }).setTitle(ids[0]!, 'after the catch-up');
		await waitFor('a later edit arrives', () => titles(observer.doc).includes('after the catch-up'), 3_000);
	});

	it('a catch-up over the frame cap but within maxCatchUpBytes is accepted once, while a later frame that size is not', async () => {
		const { ed, observer, offline, size } = await offlineEditor(tight, 'Catch-up', 20, 15_000);
		expect(size).toBeGreaterThan(4 * TIGHT.maxPayload!);
		expect(size).toBeLessThan(TIGHT.maxCatchUpBytes!);
		offline.provider.connect();
		await waitFor('every offline card arrived', () => countTitled(observer.doc, 'offline') === 20, 10_000);
		expect(offline.closeCodes).toEqual([]);

		// The same size as an ordinary update on the now caught-up connection: cut off (1009); the next catch-up brings it.
		offline.doc.transact(() => offlineWork(offline.doc, ed.id, 'online', 20, 15_000));
		await waitFor('too big as one frame, then caught up', () => offline.closeCodes.includes(1009) && countTitled(observer.doc, 'online') === 20, 10_000);
	});

	it('a catch-up over maxCatchUpBytes is refused with 4413 and a notice, once: the client keeps its work and does not reconnect', async () => {
		const { boardId, ed, offline, size } = await offlineEditor(tight, 'Too much', 36, 15_000);
		// Over the catch-up cap, within what the server still reads in order to answer with a reason.
		expect(size).toBeGreaterThan(TIGHT.maxCatchUpBytes!);
		expect(size).toBeLessThan(TIGHT.maxCatchUpBytes! + TIGHT.maxPayload!);
		const closed = new Promise<{ code: number }>((resolve) => offline.provider.once('closed', (e: { code: number }) => resolve(e)));
		offline.provider.connect();
		expect((await closed).code).toBe(4413);
		expect(offline.notices).toContainEqual(expect.objectContaining({ type: 'limit', reason: 'too-large', message: expect.stringContaining('too large') }));
		// Several of the client's backoff periods (200 ms at most here) later: still one attempt, no socket.
		await new Promise((r) => setTimeout(r, 800));
		expect(offline.closeCodes).toEqual([4413]);
		expect(tight.app.rooms.admissions.held(ed.id)).toBe(0);
		expect(countTitled(offline.doc, 'offline')).toBe(36);
		expect(countTitled((await tight.app.rooms.peek(boardId)!.inspect()).doc, 'offline')).toBe(0);
	});
});
