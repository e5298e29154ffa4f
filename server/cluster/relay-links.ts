import type { RawData, WebSocket } from 'ws';
import type { ConnectionIdentity } from '../sync/connection.ts';
import { CLOSE } from '../sync/protocol.ts';
import { decodeBytes, encodeBytes, type Cluster } from './cluster.ts';

/** Where a relayed socket goes: the board, its owner, and who the client is (authorized here). */
export interface RelayTarget {
	owner: string;
	boardId: string;
	identity: ConnectionIdentity;
	sessionExpiresAt: Date;
}

interface Link {
	ws: WebSocket;
	owner: string;
	inSeq: number;
	outSeq: number;
	opened: boolean;
	answeredPing: boolean;
}

/** How long the owner may take to take a relayed socket on (it may be loading the board). */
const OPEN_TIMEOUT_MS = 5_000;
const WATCH_MS = 500;

/**
 * The relaying end: a client socket for a board another instance owns. Its frames go to the owner in order, each
 * numbered, and the owner's frames come back the same way. Any gap, an owner that stops heart-beating, or a lost
 * subscription closes the socket with 1013: the client reconnects (to whichever instance owns the board by then)
 * and its sync handshake exchanges state vectors, so nothing either side holds is lost and nothing applies twice.
 */
export class RelayLinks {
	private readonly links = new Map<string, Link>();
	private nextId = 1;
	private readonly timer: ReturnType<typeof setInterval>;
	private pingTick = 0;

	constructor(
		private readonly cluster: Cluster,
		private readonly pingIntervalMs: number
	) {
		cluster.on('out', (m) => {
			const link = this.links.get(String(m.link));
			if (!link) return;
			if (m.seq !== link.inSeq) return this.drop(String(m.link), CLOSE.tryAgain, 'A message was lost between servers');
			link.inSeq++;
			link.ws.send(decodeBytes(String(m.frame)));
		});
		cluster.on('close', (m) => this.drop(String(m.link), Number(m.code), String(m.reason ?? '')));
		cluster.on('opened', (m) => {
			const link = this.links.get(String(m.link));
			if (link) link.opened = true;
		});
		cluster.onResubscribed = () => {
			for (const id of [...this.links.keys()]) this.drop(id, CLOSE.tryAgain, 'Lost touch with the board owner');
		};
		this.timer = setInterval(() => this.watch(), WATCH_MS);
		this.timer.unref();
	}

	/** How many client sockets this instance relays. */
	get size(): number {
		return this.links.size;
	}

	/** Relays an upgraded socket to the board's owner. */
	attach(ws: WebSocket, target: RelayTarget): void {
		const id = `${this.nextId++}`;
		const link: Link = { ws, owner: target.owner, inSeq: 0, outSeq: 0, opened: false, answeredPing: true };
		this.links.set(id, link);
		const from = this.cluster.id;
		this.cluster.send(target.owner, { t: 'open', from, link: id, board: target.boardId, identity: target.identity, expiresAt: target.sessionExpiresAt.toISOString() });
		const openTimer = setTimeout(() => {
			if (!link.opened) this.drop(id, CLOSE.tryAgain, 'The board owner did not answer');
		}, OPEN_TIMEOUT_MS);
		openTimer.unref();
		ws.binaryType = 'nodebuffer';
		ws.on('message', (data: RawData, isBinary: boolean) => {
			if (!this.links.has(id)) return;
			if (!isBinary) return this.drop(id, CLOSE.unsupported, 'Binary frames only');
			const frame = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
			this.cluster.send(link.owner, { t: 'in', from, link: id, seq: link.outSeq++, frame: encodeBytes(frame) });
		});
		ws.on('pong', () => (link.answeredPing = true));
		ws.on('error', () => {});
		ws.once('close', () => {
			clearTimeout(openTimer);
			if (this.links.delete(id)) this.cluster.send(link.owner, { t: 'gone', from, link: id });
		});
	}

	/** Closes every relayed socket (shutdown). */
	close(code: number, reason: string): void {
		clearInterval(this.timer);
		for (const id of [...this.links.keys()]) this.drop(id, code, reason);
	}

	private drop(id: string, code: number, reason: string): void {
		const link = this.links.get(id);
		if (!link) return;
		this.links.delete(id);
		this.cluster.send(link.owner, { t: 'gone', from: this.cluster.id, link: id });
		// Codes a peer may not send (1006: abnormal) end the socket without a handshake.
		if (code === 1000 || (code >= 1001 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999)) link.ws.close(code, reason.slice(0, 120));
		else link.ws.terminate();
		setTimeout(() => link.ws.terminate(), 5_000).unref();
	}

	/** Owners that went silent lose their sockets; clients that stopped answering pings are dropped. */
	private watch(): void {
		const ping = ++this.pingTick * WATCH_MS >= this.pingIntervalMs;
		if (ping) this.pingTick = 0;
		for (const [id, link] of [...this.links]) {
			if (!this.cluster.alive(link.owner)) {
				this.drop(id, CLOSE.tryAgain, 'The board owner is gone');
				continue;
			}
			if (!ping) continue;
			if (!link.answeredPing) {
				this.drop(id, 1006, '');
				continue;
			}
			link.answeredPing = false;
			link.ws.ping();
		}
	}
}
