import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import { RetryPolicy } from '../../src/lib/sync/retry.ts';
import { InputBudget, UserInputBudgets } from '../../server/sync/input-budget.ts';
import { DEFAULT_SYNC_OPTIONS } from '../../server/sync/options.ts';
import { waitFor } from '../helpers/sync-client.ts';

/** A real ws server that answers each connection as `behave` says; counts connections. */
async function server(behave: (ws: WebSocket, n: number) => void): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
	const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
	await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
	let n = 0;
	wss.on('connection', (ws) => behave(ws, ++n));
	return {
		url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
		connections: () => n,
		close: () => new Promise<void>((resolve) => wss.close(() => resolve()))
	};
}

/** A sync step 2 frame from an empty doc: what makes a y-websocket client count as synced. */
function syncedFrame(): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	syncProtocol.writeSyncStep2(encoder, new Y.Doc());
	return encoding.toUint8Array(encoder);
}

/** The browser's provider set-up (board-store.svelte.ts) against `url`, with a short backoff. */
function provider(url: string): { provider: WebsocketProvider; policy: RetryPolicy; finals: string[] } {
	let policy: RetryPolicy | null = null;
	const p = new WebsocketProvider(url, 'board', new Y.Doc(), {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		maxBackoffTime: 50,
		shouldReconnect: (event) => policy?.shouldReconnect(event.code) ?? true
	});
	policy = new RetryPolicy(p);
	const finals: string[] = [];
	p.on('connection-close', (event) => {
		const reason = event ? policy.finalReason(event.code) : null;
		if (reason) finals.push(reason);
	});
	return { provider: p, policy, finals };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('the browser stops retrying only when resending cannot help', () => {
	it('1009 before the socket synced (the catch-up was cut off) is final: one attempt, and a message', async () => {
		const s = await server((ws) => ws.once('message', () => ws.close(1009)));
		const { provider: p, finals } = provider(s.url);
		cleanups.push(() => p.destroy(), () => s.close());
		await waitFor('closed for good', () => finals.length === 1, 3_000);
		// Many backoff periods (50 ms) later, still the one attempt.
		await new Promise((r) => setTimeout(r, 400));
		expect(s.connections()).toBe(1);
		expect(p.shouldConnect).toBe(false);
		expect(finals[0]).toContain('too large');
	});

	it('1009 on two sockets in a row is final even after syncs (the server may answer the sync before it reads the catch-up)', async () => {
		const s = await server((ws) => {
			ws.send(syncedFrame());
			setTimeout(() => ws.close(1009), 50);
		});
		const { provider: p, finals } = provider(s.url);
		cleanups.push(() => p.destroy(), () => s.close());
		await waitFor('a final reason', () => finals.length > 0, 3_000);
		expect(s.connections()).toBe(2);
		expect(finals[0]).toMatch(/too large/);
	});

	it('4413 is final, with its own message', async () => {
		const s = await server((ws) => ws.close(4413, 'Catch-up too large'));
		const { provider: p, finals } = provider(s.url);
		cleanups.push(() => p.destroy(), () => s.close());
		await waitFor('closed for good', () => finals.length === 1, 3_000);
		await new Promise((r) => setTimeout(r, 400));
		expect(s.connections()).toBe(1);
		expect(finals[0]).toContain('too large');
	});

	it('1009 after a sync (one edit too big for a frame) and 1008 (over budget) reconnect: the next catch-up carries the work', async () => {
		const s = await server((ws, n) => {
			if (n === 1) {
				ws.send(syncedFrame());
				setTimeout(() => ws.close(1009), 50);
			} else if (n === 2) ws.close(1008, 'Over the input budget');
			else ws.send(syncedFrame());
		});
		const { provider: p, finals } = provider(s.url);
		cleanups.push(() => p.destroy(), () => s.close());
		await waitFor('third connection synced', () => s.connections() === 3 && p.synced, 3_000);
		expect(finals).toEqual([]);
	});
});

describe('input budget', () => {
	const options = { ...DEFAULT_SYNC_OPTIONS, maxPayload: 1_000, maxCatchUpBytes: 10_000, inputBytesPerSecond: 1_000, inputBytesBurst: 2_000, inputFramesPerSecond: 10, inputFramesBurst: 20, overBudgetCloseMs: 1_000 };
	const update = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i === 0 ? 0 : i === 1 ? 2 : 7));
	const step2 = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i === 0 ? 0 : i === 1 ? 1 : 7));

	it('slows a connection past its burst by the time the debt takes to refill, then closes one that stays over it', () => {
		const budget = new InputBudget(options, 0);
		expect(budget.admit(update(1_000), 0)).toMatchObject({ verdict: 'accept', pauseMs: 0 });
		expect(budget.admit(update(1_000), 0)).toMatchObject({ verdict: 'accept', pauseMs: 0 });
		expect(budget.admit(update(500), 0)).toMatchObject({ verdict: 'accept', pauseMs: 500 });
		// Resumed when the debt is paid, and at once over again, again and again: closed once that lasted past 1 s.
		let t = 500;
		let verdict = budget.admit(update(500), t);
		while (verdict.verdict === 'accept') {
			t += verdict.pauseMs;
			verdict = budget.admit(update(500), t);
		}
		expect(verdict).toMatchObject({ code: 1008, notice: { reason: 'over-budget' } });
		expect(t).toBeGreaterThan(900);
		expect(t).toBeLessThan(1_600);
	});

	it('forgives a burst once the connection stayed within its budget for a second', () => {
		const budget = new InputBudget(options, 0);
		// 3 KB (1 KB over the burst) every 4 s: slowed for a second each time, on average within the rate, never closed.
		for (let t = 0; t < 40_000; t += 4_000) {
			budget.admit(update(1_000), t);
			budget.admit(update(1_000), t);
			expect(budget.admit(update(1_000), t)).toMatchObject({ verdict: 'accept' });
		}
	});

	it('counts frames as well as bytes', () => {
		const budget = new InputBudget(options, 0);
		for (let i = 0; i < 20; i++) expect(budget.admit(update(3), 0)).toMatchObject({ pauseMs: 0 });
		expect(budget.admit(update(3), 0)).toMatchObject({ verdict: 'accept', pauseMs: 100 });
	});

	it('lets the first sync step 2 exceed the frame cap (slowed, never closed for it), once; refuses one over maxCatchUpBytes with 4413', () => {
		const budget = new InputBudget(options, 0);
		expect(budget.frameCap).toBe(11_000);
		expect(budget.admit(step2(8_000), 10)).toMatchObject({ verdict: 'accept', pauseMs: 6_000, catchUp: true });
		expect(budget.frameCap).toBe(1_000);
		expect(budget.admit(step2(1_001), 7_000)).toMatchObject({ verdict: 'close', code: 1009 });
		expect(new InputBudget(options, 0).admit(step2(10_001), 0)).toMatchObject({ verdict: 'close', code: 4413, notice: { reason: 'too-large' } });
		expect(new InputBudget(options, 0).admit(update(1_001), 0)).toMatchObject({ verdict: 'close', code: 1009 });
		// Only right after connecting.
		expect(new InputBudget(options, 0).admit(step2(5_000), 31_000)).toMatchObject({ verdict: 'close', code: 1009 });
	});

	it("a user's sockets share one budget: a new socket keeps the old one's debt, and only one at a time may send a catch-up", () => {
		const budgets = new UserInputBudgets(options);
		const first = budgets.forConnection('mallory', 0);
		first.admit(update(1_000), 0);
		first.admit(update(1_000), 0);
		expect(first.admit(update(1_000), 0)).toMatchObject({ pauseMs: 1_000 });
		// Reconnecting does not bring a fresh burst: still a second in debt, more pushes the new socket past the
		// close threshold at once…
		const second = budgets.forConnection('mallory', 0);
		expect(second.admit(update(500), 0)).toMatchObject({ verdict: 'close', code: 1008 });
		// …nor touch anyone else's.
		expect(budgets.forConnection('edna', 0).admit(update(1_000), 0)).toMatchObject({ pauseMs: 0 });
		// The first socket's catch-up window was open, so the second got the ordinary cap; once the first sent its
		// step 2, the next socket may send one of its own.
		expect(first.frameCap).toBe(11_000);
		expect(second.frameCap).toBe(1_000);
		const third = budgets.forConnection('edna-2', 0);
		expect(third.frameCap).toBe(11_000);
		expect(budgets.forConnection('edna-2', 0).frameCap).toBe(1_000);
		third.admit(step2(10), 1);
		expect(budgets.forConnection('edna-2', 2).frameCap).toBe(11_000);
		// A window that ran out frees the user's next socket too.
		const quiet = budgets.forConnection('vic', 0);
		quiet.expireCatchUp(31_000);
		expect(quiet.frameCap).toBe(1_000);
		expect(budgets.forConnection('vic', 31_000).frameCap).toBe(11_000);
	});
});
