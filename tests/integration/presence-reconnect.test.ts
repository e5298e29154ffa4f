import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { dbKinds } from '../helpers/db.ts';
import { startInProcess, type InProcessFlowdeck } from '../helpers/in-process.ts';
import { connectBoard, waitFor, type SyncClient } from '../helpers/sync-client.ts';
import { createBoard } from '../../src/lib/server/boards/boards.ts';
import { acceptInvite, createInvite } from '../../src/lib/server/boards/invites.ts';
import { keepPresenceAcrossReconnects } from '../../src/lib/sync/presence.ts';

/** After a reconnect, both sides must see each other within this: far under the awareness heartbeat (15 s). */
const BACK_WITHIN_MS = 1_000;

type Member = { id: string; cookie: string; name: string };

describe.each(dbKinds())('presence after a reconnect (%s)', (kind) => {
	let fd: InProcessFlowdeck;
	let owner: Member, editor: Member, third: Member;
	let boardId: string;
	const open: SyncClient[] = [];
	const figures: Record<string, number> = {};

	beforeAll(async () => {
		fd = await startInProcess(kind);
		owner = { ...(await fd.user('Owner')), name: 'Owner' };
		editor = { ...(await fd.user('Editor')), name: 'Editor' };
		third = { ...(await fd.user('Third')), name: 'Third' };
		boardId = await createBoard(fd.app.ctx.db, owner.id, 'Presence', new Date());
		for (const member of [editor, third]) {
			const { token } = await createInvite(fd.app.ctx.db, boardId, owner.id, { role: 'editor', days: 7 }, new Date());
			await acceptInvite(fd.app.ctx.db, token, member.id, new Date());
		}
	}, 60_000);
	afterEach(() => {
		for (const client of open.splice(0)) client.destroy();
	});
	afterAll(async () => {
		console.log(`presence back after a reconnect (${kind}), ms:`, figures);
		await fd?.close();
	});

	/** A synced client with presence set as the board store sets it; `asBrowser` adds what our browser code adds. */
	async function join(member: Member, asBrowser = true): Promise<SyncClient> {
		const client = connectBoard(fd.url, boardId, { cookie: member.cookie });
		open.push(client);
		if (asBrowser) keepPresenceAcrossReconnects(client.provider);
		client.provider.awareness.setLocalStateField('user', { id: member.id, name: member.name });
		await client.synced();
		return client;
	}
	const sees = (observer: SyncClient, subject: SyncClient) => observer.provider.awareness.getStates().has(subject.doc.clientID);
	const room = () => fd.app.rooms.peek(boardId)!;
	/** Ms until `condition` holds (polled; fails after 5 s, far past the bound, so a miss shows as a figure). */
	async function msUntil(what: string, condition: () => boolean): Promise<number> {
		const start = performance.now();
		await waitFor(what, condition, 5_000);
		return Math.round(performance.now() - start);
	}
	/** Ids `observer` drops from its presence from now on. */
	function removalsSeen(observer: SyncClient): number[] {
		const removed: number[] = [];
		observer.provider.awareness.on('change', ({ removed: ids }: { removed: number[] }) => removed.push(...ids));
		return removed;
	}

	it('a client that dropped its connection and comes back sees the others, and they see it, at once', async () => {
		const a = await join(owner);
		const b = await join(editor);
		await waitFor('both see each other', () => sees(a, b) && sees(b, a));
		b.provider.disconnect();
		await waitFor('the owner saw the editor leave', () => !sees(a, b));
		expect(sees(b, a), 'a dropped connection shows nobody else').toBe(false);
		const start = performance.now();
		b.provider.connect();
		const back = await msUntil('both see each other again', () => sees(a, b) && sees(b, a));
		figures['clean drop'] = back;
		expect(back).toBeLessThan(BACK_WITHIN_MS);
		expect(performance.now() - start).toBeLessThan(BACK_WITHIN_MS);
		// Presence still flows both ways afterwards.
		b.provider.awareness.setLocalStateField('openCardId', 'card-b');
		a.provider.awareness.setLocalStateField('openCardId', 'card-a');
		await waitFor('open cards relayed', () => a.provider.awareness.getStates().get(b.doc.clientID)?.openCardId === 'card-b' && b.provider.awareness.getStates().get(a.doc.clientID)?.openCardId === 'card-a', 2_000);
		// Leaving for good leaves no avatar behind, for those present and for newcomers.
		b.destroy();
		await waitFor('the owner saw the editor leave for good', () => !sees(a, b), 2_000);
		const c = await join(third);
		await waitFor('the newcomer sees the owner', () => sees(c, a), 2_000);
		expect(sees(c, b)).toBe(false);
	});

	it('a client whose old socket the server never saw close (network gone, laptop lid) is back at once and never flickers away', async () => {
		const a = await join(owner);
		const b = await join(editor);
		await waitFor('both see each other', () => sees(a, b) && sees(b, a));
		// The network vanishes: nothing more from this socket reaches the server, not even its close.
		const stale = b.provider.ws as unknown as WebSocket;
		stale.send = () => {};
		stale.close = () => {};
		b.provider.disconnect();
		expect(sees(a, b), 'the server did not notice').toBe(true);
		const removed = removalsSeen(a);
		b.provider.connect();
		figures['half-open: returning client sees the others'] = await msUntil('the editor sees the owner again', () => sees(b, a));
		expect(figures['half-open: returning client sees the others']).toBeLessThan(BACK_WITHIN_MS);
		// The new socket speaks for the same presence at once (not the stale socket's copy).
		b.provider.awareness.setLocalStateField('openCardId', 'card-b');
		figures['half-open: others see its new presence'] = await msUntil('the owner sees the editor’s open card', () => a.provider.awareness.getStates().get(b.doc.clientID)?.openCardId === 'card-b');
		expect(figures['half-open: others see its new presence']).toBeLessThan(BACK_WITHIN_MS);
		// The server finally drops the stale socket: that must not take the live client's avatar away.
		stale.terminate();
		await waitFor('the server dropped the stale socket', () => room().connections.size === 2, 2_000);
		b.provider.awareness.setLocalStateField('openCardId', 'card-b2');
		await waitFor('later presence relayed', () => a.provider.awareness.getStates().get(b.doc.clientID)?.openCardId === 'card-b2', 2_000);
		expect(removed).not.toContain(b.doc.clientID);
	});

	it('the server takes a returning stock y-websocket client back at once, whatever its clock', async () => {
		const a = await join(owner, false);
		const b = await join(editor, false);
		await waitFor('the owner sees the editor', () => sees(a, b));
		b.provider.disconnect();
		await waitFor('the owner saw the editor leave', () => !sees(a, b));
		b.provider.connect();
		await b.synced();
		// A newcomer learns who is here from the server alone.
		const start = performance.now();
		const c = await join(third, false);
		await waitFor('the newcomer sees the returning editor', () => sees(c, b), 5_000);
		const ms = (figures['stock client: newcomer sees the returning client, from joining'] = Math.round(performance.now() - start));
		expect(ms).toBeLessThan(BACK_WITHIN_MS);
	});
});
