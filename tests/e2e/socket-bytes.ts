import { expect, type Page } from '@playwright/test';

/** Bytes of the page's WebSocket frames, each way, since it started counting. */
export interface SocketBytes {
	sent: number;
	received: number;
	frames: number;
}

/** Counts the bytes of every WebSocket frame the page sends and receives from now on (payloads, without framing). */
export function countSocketBytes(page: Page): SocketBytes {
	const counted: SocketBytes = { sent: 0, received: 0, frames: 0 };
	const size = (payload: string | Buffer) => (typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length);
	page.on('websocket', (ws) => {
		ws.on('framesent', ({ payload }) => {
			counted.sent += size(payload);
			counted.frames++;
		});
		ws.on('framereceived', ({ payload }) => {
			counted.received += size(payload);
			counted.frames++;
		});
	});
	return counted;
}

/** Waits until no frame has crossed the page's socket for `quietMs` (the sync and presence exchange is over). */
export async function socketQuiet(counted: SocketBytes, quietMs = 400): Promise<SocketBytes> {
	let last = -1;
	let since = Date.now();
	await expect
		.poll(
			() => {
				if (counted.frames !== last) {
					last = counted.frames;
					since = Date.now();
				}
				return Date.now() - since >= quietMs;
			},
			{ timeout: 20_000, intervals: [50] }
		)
		.toBe(true);
	return { ...counted };
}

/**
 * Waits until the page's offline copies (y-indexeddb's databases) hold `bytes` of stored updates at least, so a
 * reload can start from them.
 */
export async function offlineCopyStored(page: Page, bytes: number): Promise<void> {
	await expect
		.poll(
			() =>
				page.evaluate(async () => {
					const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('flowdeck:'));
					let total = 0;
					for (const name of names) {
						total += await new Promise<number>((resolve) => {
							const open = indexedDB.open(name);
							open.onerror = () => resolve(0);
							open.onsuccess = () => {
								const db = open.result;
								if (!db.objectStoreNames.contains('updates')) return (db.close(), resolve(0));
								const req = db.transaction('updates').objectStore('updates').getAll();
								req.onsuccess = () => (db.close(), resolve((req.result as Uint8Array[]).reduce((sum, u) => sum + u.byteLength, 0)));
								req.onerror = () => (db.close(), resolve(0));
							};
						});
					}
					return total;
				}),
			{ timeout: 20_000 }
		)
		.toBeGreaterThanOrEqual(bytes);
}
