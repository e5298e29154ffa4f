import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { sql } from 'drizzle-orm';
import { dbKinds, queryRows } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, upgradeStatus, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { createBoard, deleteBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { removeMember } from '../../src/lib/server/boards/members.ts';
import { drizzleDocumentStore } from '../../server/persistence/drizzle-document-store.ts';
import { systemClock } from '../../src/lib/server/clock.ts';

const MAX_PAYLOAD = 64 * 1024;

describe.each(dbKinds())('sync endpoint in process (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let owner: { id: string; cookie: string };
	let outsider: { id: string; cookie: string };
	const open: { destroy(): void }[] = [];

	beforeAll(async () => {
		fd = await startInProcess(kind, { unloadGraceMs: 150, compactAfter: 5, maxPayload: MAX_PAYLOAD, retryMs: 20, retryMaxMs: 100, pingIntervalMs: 200 });
		owner = await fd.user('Owner');
		outsider = await fd.user('Outsider');
	}, 60_000);
	afterEach(() => {
		for (const c of open.splice(0)) c.destroy();
	});
	afterAll(() => fd?.close());

	const newBoard = (name = 'Board') => createBoard(fd.app.ctx.db, owner.id, name, new Date());
	const rows = async (table: 'board_updates' | 'board_snapshots', boardId: string) =>
		(await queryRows<{ n: number }>(fd.app.database, sql`select count(*)::int as n from ${sql.identifier(table)} where board_id = ${boardId}`))[0]!.n;
	/** Rows ever written to board_updates (compaction deletes rows; the identity sequence remembers). */
	const written = async () => (await queryRows<{ n: number }>(fd.app.database, sql`select last_value::int as n from board_updates_id_seq`))[0]!.n;
	async function join(boardId: string, cookie = owner.cookie): Promise<SyncClient> {
		const client = connectBoard(fd.url, boardId, { cookie });
		open.push(client);
		await client.synced();
		return client;
	}
	/** A bare socket that completed the handshake, and a promise of the close code the server sends. */
	async function raw(boardId: string, cookie = owner.cookie) {
		const ws = new WebSocket(`${fd.url.replace('http', 'ws')}/sync/${boardId}`, { headers: { cookie, origin: fd.url } });
		open.push({ destroy: () => ws.terminate() });
		const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
		ws.on('error', () => {});
		await new Promise((resolve, reject) => {
			ws.once('open', resolve);
			ws.once('unexpected-response', (_q, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
		});
		return { ws, closed };
	}
	/** What the database holds for a board, replayed into a fresh doc. */
	async function stored(boardId: string): Promise<Y.Doc> {
		const { snapshot, updates } = await drizzleDocumentStore(fd.app.ctx.db, systemClock).load(boardId);
		const doc = new Y.Doc();
		if (snapshot) Y.applyUpdate(doc, snapshot);
		for (const u of updates) Y.applyUpdate(doc, u);
		return doc;
	}
	const cmd = (c: SyncClient) => boardCommands(c.doc, { userId: owner.id, now: () => new Date() });
	const backlog = (c: SyncClient) => readSnapshot(c.doc).stages[0]!.id;

	it('refuses upgrades without a session (401), from another origin (403) or for a board you cannot see (404), loading no room', async () => {
		const boardId = await newBoard('Private');
		const path = `/sync/${boardId}`;
		const at = (headers: Record<string, string>, p = path) => upgradeStatus(fd.url, p, headers);
		expect(await at({ origin: fd.url })).toBe(401);
		expect(await at({ origin: fd.url, cookie: 'flowdeck_session=not-a-session' })).toBe(401);
		expect(await at({ origin: 'http://evil.example', cookie: owner.cookie })).toBe(403);
		expect(await at({ cookie: owner.cookie })).toBe(403);
		expect(await at({ origin: fd.url, cookie: outsider.cookie })).toBe(404);
		expect(await at({ origin: fd.url, cookie: owner.cookie }, '/sync/no-such-board')).toBe(404);
		expect(await at({ origin: fd.url, cookie: owner.cookie }, `/sync/${boardId}/extra`)).toBe(404);
		expect(fd.app.rooms.size).toBe(0);
		expect(await rows('board_updates', boardId)).toBe(0);
		// The same request with the owner's cookie and our Origin is accepted, and opening the board seeds and stores it.
		expect(await at({ origin: fd.url, cookie: owner.cookie }, `${path}?v=1`)).toBe(101);
		await waitFor('seed stored', async () => (await rows('board_updates', boardId)) > 0);
		expect(readSnapshot(await stored(boardId)).stages).toHaveLength(5);
	});

	it('clients connecting at once share one load (one seed), and edits are stored within ~100 ms in batches', async () => {
		const boardId = await newBoard();
		const clients = await Promise.all([join(boardId), join(boardId), join(boardId)]);
		const ids = clients.map((c) => readSnapshot(c.doc).stages.map((s) => s.id).join());
		expect(new Set(ids).size).toBe(1);
		expect(readSnapshot(clients[0]!.doc).stages).toHaveLength(5);
		await waitFor('seed stored', async () => (await rows('board_updates', boardId)) === 1);
		const lags: number[] = [];
		for (let i = 0; i < 5; i++) {
			const before = await written();
			const t0 = performance.now();
			// A burst of edits in one tick lands as one row.
			for (let j = 0; j < 10; j++) cmd(clients[0]!).addCard(backlog(clients[0]!), `Card ${i}.${j}`);
			await waitFor('row written', async () => (await written()) > before, 2_000, 2);
			lags.push(performance.now() - t0);
			await new Promise((r) => setTimeout(r, 100));
			expect(await written()).toBe(before + 1);
		}
		console.log(`[${kind}] edit → stored row: ${lags.map((l) => l.toFixed(0)).join(', ')} ms`);
		expect(Math.max(...lags)).toBeLessThan(250);
		expect(Object.keys(readSnapshot(await stored(boardId)).cards)).toHaveLength(50);
	});

	it('closes a socket that sends a malformed, text, unknown or oversized frame, and the room carries on', async () => {
		const boardId = await newBoard();
		const a = await join(boardId);
		const b = await join(boardId);
		const cases: [string, (ws: WebSocket) => void, number][] = [
			['truncated update', (ws) => ws.send(new Uint8Array([0, 2, 100, 1, 2])), 1007],
			['update Yjs rejects', (ws) => ws.send(new Uint8Array([0, 2, 5, 1, 2, 3, 4, 5])), 1007],
			['empty frame', (ws) => ws.send(new Uint8Array([])), 1007],
			['text frame', (ws) => ws.send('hello'), 1003],
			['unknown message type', (ws) => ws.send(new Uint8Array([7, 0])), 1003],
			['unknown sync step', (ws) => ws.send(new Uint8Array([0, 9, 0])), 1003],
			['awareness that is not JSON', (ws) => ws.send(awarenessFrame(123, 1, '{not json')), 1007],
			['frame over maxPayload', (ws) => ws.send(new Uint8Array(MAX_PAYLOAD + 1)), 1009]
		];
		for (const [what, send, code] of cases) {
			const { ws, closed } = await raw(boardId);
			send(ws);
			expect(await closed, what).toBe(code);
		}
		const cardId = cmd(a).addCard(backlog(a), 'Still working');
		await waitFor('edit relayed after the bad frames', () => readSnapshot(b.doc).cards[cardId]);
		expect(fd.app.rooms.peek(boardId)?.connections.size).toBe(2);
	});

	it('a connection cannot change presence another user’s connection introduced', async () => {
		const boardId = await newBoard();
		const a = await join(boardId);
		const b = await join(boardId);
		a.provider.awareness.setLocalStateField('cursor', 'card-1');
		await waitFor('b sees a', () => b.provider.awareness.getStates().get(a.doc.clientID)?.cursor === 'card-1');
		// Another member: the same user's newer socket may take an id over (presence-reconnect.test.ts).
		const { token } = await createInvite(fd.app.ctx.db, boardId, owner.id, { role: 'editor', days: 7 }, new Date());
		await acceptInvite(fd.app.ctx.db, token, outsider.id, new Date());
		const { ws } = await raw(boardId, outsider.cookie);
		ws.send(awarenessFrame(a.doc.clientID, 999, JSON.stringify({ cursor: 'hijacked', user: { name: 'Mallory' } })));
		ws.send(awarenessFrame(a.doc.clientID, 1000, 'null'));
		// Its own id goes through (and proves the earlier frames were handled).
		ws.send(awarenessFrame(4242, 1, JSON.stringify({ cursor: 'mine' })));
		await waitFor('raw socket presence relayed', () => b.provider.awareness.getStates().get(4242));
		expect(b.provider.awareness.getStates().get(a.doc.clientID)?.cursor).toBe('card-1');
		expect(b.provider.awareness.getStates().get(4242)?.user).toMatchObject({ name: 'Outsider', id: outsider.id });
	});

	it('drops a socket that stops answering pings', async () => {
		const boardId = await newBoard();
		await join(boardId);
		const { ws, closed } = await raw(boardId);
		// Receive nothing and answer nothing, like a peer that vanished without a FIN.
		(ws as unknown as { _socket: { pause(): void } })._socket.pause();
		ws.pong = () => {};
		await waitFor('server dropped the dead socket', () => fd.app.rooms.peek(boardId)?.connections.size === 1, 3_000);
		ws.terminate();
		await closed;
	});

	it('unloads an idle room after its writes completed and reloads it from storage', async () => {
		const boardId = await newBoard();
		const a = await join(boardId);
		const cardId = cmd(a).addCard(backlog(a), 'Remember me');
		a.destroy();
		await waitFor('room unloaded', () => !fd.app.rooms.has(boardId), 3_000);
		expect(readSnapshot(await stored(boardId)).cards[cardId]?.title).toBe('Remember me');
		const before = await written();
		const again = await join(boardId);
		expect(readSnapshot(again.doc).cards[cardId]?.title).toBe('Remember me');
		expect(readSnapshot(again.doc).stages).toHaveLength(5);
		// Replaying stored state writes nothing back.
		await new Promise((r) => setTimeout(r, 150));
		expect(await written()).toBe(before);
	});

	it('keeps edits while the database refuses writes, stays loaded until they are stored, and stores them once it recovers', async () => {
		const boardId = await newBoard();
		const a = await join(boardId);
		const b = await join(boardId);
		await waitFor('seed stored', async () => (await rows('board_updates', boardId)) > 0);
		const db = fd.app.database.db;
		await db.execute(sql`create or replace function flowdeck_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'disk full (test)'; end $$`);
		await db.execute(sql`create trigger flowdeck_test_refuse before insert on board_updates for each row execute function flowdeck_test_refuse()`);
		let cardId = '';
		try {
			cardId = cmd(a).addCard(backlog(a), 'Written during the outage');
			await waitFor('live room still relays', () => readSnapshot(b.doc).cards[cardId]);
			a.destroy();
			b.destroy();
			// Well past the unload grace: the room must wait for its unsaved edit.
			await new Promise((r) => setTimeout(r, 500));
			expect(readSnapshot(await stored(boardId)).cards[cardId]).toBeUndefined();
			expect(fd.app.rooms.has(boardId)).toBe(true);
		} finally {
			await db.execute(sql`drop trigger flowdeck_test_refuse on board_updates`);
		}
		await waitFor('stored after recovery', async () => readSnapshot(await stored(boardId)).cards[cardId], 3_000);
		await waitFor('then unloaded', () => !fd.app.rooms.has(boardId), 3_000);
	});

	it('compacts to a snapshot past the threshold without losing anything', async () => {
		const boardId = await newBoard();
		const a = await join(boardId);
		const ids: string[] = [];
		for (let i = 0; i < 12; i++) {
			const before = await rows('board_updates', boardId);
			ids.push(cmd(a).addCard(backlog(a), `Card ${i}`));
			await waitFor('written', async () => (await rows('board_updates', boardId)) !== before);
		}
		// Compaction runs after the write that crossed the threshold: wait for it rather than race it.
		await waitFor('compacted', async () => (await rows('board_snapshots', boardId)) === 1 && (await rows('board_updates', boardId)) <= 5);
		expect(Object.keys(readSnapshot(await stored(boardId)).cards).sort()).toEqual([...ids].sort());
	});

	it('closes sockets with 4404 when a member is removed or the board is deleted, and discards the room', async () => {
		const boardId = await newBoard('Doomed');
		const member = await fd.user('Member');
		const { token } = await createInvite(fd.app.ctx.db, boardId, owner.id, { role: 'editor', days: 7 }, new Date());
		await acceptInvite(fd.app.ctx.db, token, member.id, new Date());
		const kept = await join(boardId);
		const removed = await join(boardId, member.cookie);
		await removeMember(fd.app.ctx.db, boardId, owner.id, member.id);
		fd.app.ctx.access.membershipChanged(boardId, member.id);
		await waitFor('removed member closed', () => removed.closeCodes.includes(4404));
		expect(kept.closeCodes).toEqual([]);
		cmd(kept).addCard(backlog(kept), 'Unsaved at deletion');
		await deleteBoard(fd.app.ctx.db, boardId, owner.id, 'Doomed');
		fd.app.ctx.access.boardDeleted(boardId);
		await waitFor('owner closed', () => kept.closeCodes.includes(4404));
		expect(fd.app.rooms.has(boardId)).toBe(false);
		expect(await upgradeStatus(fd.url, `/sync/${boardId}`, { origin: fd.url, cookie: owner.cookie })).toBe(404);
		expect(kept.provider.shouldConnect).toBe(false);
	});
});

/** An awareness frame (type 1) with one entry, built by hand so it can lie. */
function awarenessFrame(clientId: number, clock: number, stateJson: string): Uint8Array {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, 1);
	encoding.writeVarUint(inner, clientId);
	encoding.writeVarUint(inner, clock);
	encoding.writeVarString(inner, stateJson);
	const outer = encoding.createEncoder();
	encoding.writeVarUint(outer, 1);
	encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
	return encoding.toUint8Array(outer);
}
