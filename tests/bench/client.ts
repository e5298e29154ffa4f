import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

/** Where clients connect: `${wsBase}/<room>`, with the headers a browser would send. */
export interface Endpoint {
	/** e.g. ws://127.0.0.1:3000/sync */
	wsBase: string;
	/** Cookie header (our server); '' for none (reference). */
	cookie: string;
	/** Origin header (our server checks it). */
	origin: string;
}

/** A stock y-websocket client, instrumented with timestamps (performance.now()). */
export interface BenchClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** When the socket was created. */
	startedAt: number;
	/** When the first sync step 2 frame arrived (before Yjs applied it); NaN until then. */
	stepTwoAt: number;
	/** Size of that frame in bytes. */
	stepTwoBytes: number;
	/** When the provider reported `synced`; NaN until then. */
	syncedAt: number;
	/** Close events seen (reconnects follow them). */
	closes: number;
	/** HTTP statuses of refused upgrades. */
	refusals: number[];
	/** Close codes received. */
	closeCodes: number[];
	/** Resolves once synced; rejects after `timeoutMs`. */
	synced(timeoutMs?: number): Promise<void>;
	destroy(): void;
}

/** Options for `connectClient`. */
export interface ClientOptions {
	doc?: Y.Doc;
}

/** Connects a real `WebsocketProvider` (disableBc; presence on, as in a browser tab) to `endpoint`/`room`. */
export function connectClient(endpoint: Endpoint, room: string, options: ClientOptions = {}): BenchClient {
	const doc = options.doc ?? new Y.Doc();
	const headers: Record<string, string> = { origin: endpoint.origin };
	if (endpoint.cookie) headers.cookie = endpoint.cookie;
	const client = {
		doc,
		startedAt: performance.now(),
		stepTwoAt: NaN,
		stepTwoBytes: 0,
		syncedAt: NaN,
		closes: 0,
		refusals: [],
		closeCodes: []
	} as unknown as BenchClient;
	// y-websocket constructs `new WS(url, protocols)`; this subclass adds the headers and a timestamp.
	class InstrumentedSocket extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers });
			this.on('unexpected-response', (_req, res) => {
				client.refusals.push(res.statusCode ?? 0);
				res.resume();
			});
			this.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
				if (!Number.isNaN(client.stepTwoAt)) return;
				const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
				// messageSync (0), syncStep2 (1)
				if (bytes[0] === 0 && bytes[1] === 1) {
					client.stepTwoAt = performance.now();
					client.stepTwoBytes = bytes.byteLength;
				}
			});
		}
	}
	const provider = new WebsocketProvider(endpoint.wsBase, room, doc, {
		WebSocketPolyfill: InstrumentedSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		connect: false
	});
	provider.on('sync', (state: boolean) => {
		if (state && Number.isNaN(client.syncedAt)) client.syncedAt = performance.now();
	});
	provider.on('connection-close', (event: CloseEvent | null) => {
		client.closes++;
		client.closeCodes.push(event?.code ?? 0);
	});
	client.provider = provider;
	client.synced = (timeoutMs = 30_000) =>
		provider.synced
			? Promise.resolve()
			: new Promise<void>((resolve, reject) => {
					const timer = setTimeout(() => {
						provider.off('sync', onSync);
						reject(new Error(`${room}: not synced within ${timeoutMs} ms (close codes: ${client.closeCodes.join(',') || 'none'}, refused: ${client.refusals.join(',') || 'none'})`));
					}, timeoutMs);
					const onSync = (state: boolean) => {
						if (!state) return;
						clearTimeout(timer);
						provider.off('sync', onSync);
						resolve();
					};
					provider.on('sync', onSync);
				});
	client.destroy = () => {
		provider.destroy();
		if (!options.doc) doc.destroy();
	};
	client.startedAt = performance.now();
	provider.connect();
	return client;
}
