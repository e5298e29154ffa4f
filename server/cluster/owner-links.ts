import type { WebSocket } from 'ws';
import type { RoomRegistry } from '../sync/room-registry.ts';
import { RoomElsewhereError, RoomUnavailableError } from '../sync/room-registry.ts';
import type { SessionWatch } from '../sync/session-watch.ts';
import type { UserInputBudgets } from '../sync/input-budget.ts';
import type { ConnectionIdentity } from '../sync/connection.ts';
import { CLOSE } from '../sync/protocol.ts';
import { decodeBytes, encodeBytes, type Cluster, type ClusterMessage } from './cluster.ts';
import { RemoteSocket } from './remote-socket.ts';

/** What the owner side of the relays needs. */
export interface OwnerLinkDeps {
	cluster: Cluster;
	registry: RoomRegistry;
	sessions: SessionWatch;
	budgets: UserInputBudgets;
	log(message: string, err?: unknown): void;
}

interface Link {
	from: string;
	id: string;
	/** The next sequence number expected from the relay (a gap breaks the link: the client reconnects and resyncs). */
	inSeq: number;
	outSeq: number;
	socket: RemoteSocket | null;
	/** Frames that arrived while the board loaded. */
	queue: Uint8Array[];
	done: boolean;
}

/**
 * The owner's end of the relays (see relay-links.ts): each client socket another instance holds for a board this
 * instance owns becomes a Connection on the room, over a RemoteSocket. Numbered frames both ways: a lost message
 * closes that client's socket, and its reconnect resyncs it through its state vector.
 */
export function serveOwnerLinks(deps: OwnerLinkDeps): void {
	const { cluster } = deps;
	const links = new Map<string, Link>();
	const keyOf = (m: ClusterMessage) => `${String(m.from)}/${String(m.link)}`;

	const closeRelay = (link: Link, code: number, reason: string) => {
		link.done = true;
		links.delete(`${link.from}/${link.id}`);
		cluster.send(link.from, { t: 'close', link: link.id, code, reason });
	};

	cluster.on('open', (m) => {
		const link: Link = { from: String(m.from), id: String(m.link), inSeq: 0, outSeq: 0, socket: null, queue: [], done: false };
		links.set(keyOf(m), link);
		void attach(link, String(m.board), m.identity as ConnectionIdentity, new Date(String(m.expiresAt))).catch((err: unknown) => {
			if (err instanceof RoomElsewhereError) return closeRelay(link, CLOSE.tryAgain, 'This board moved to another server');
			if (err instanceof RoomUnavailableError) return closeRelay(link, err.reason === 'deleted' ? CLOSE.noAccess : CLOSE.restart, err.message);
			deps.log('cluster: attaching a relayed socket failed', err);
			closeRelay(link, CLOSE.unresponsive, 'Internal error');
		});
	});

	cluster.on('in', (m) => {
		const link = links.get(keyOf(m));
		if (!link || link.done) return;
		if (m.seq !== link.inSeq) {
			deps.log(`cluster: a relayed frame from ${link.from} was lost; the client reconnects and resyncs`);
			link.socket?.gone();
			return closeRelay(link, CLOSE.tryAgain, 'A message was lost between servers');
		}
		link.inSeq++;
		const frame = decodeBytes(String(m.frame));
		if (link.socket) link.socket.deliver(frame);
		else link.queue.push(frame);
	});

	cluster.on('gone', (m) => {
		const link = links.get(keyOf(m));
		if (!link) return;
		link.done = true;
		links.delete(keyOf(m));
		link.socket?.gone();
	});

	async function attach(link: Link, boardId: string, identity: ConnectionIdentity, expiresAt: Date): Promise<void> {
		const room = await deps.registry.get(boardId);
		try {
			if (link.done) return;
			const socket = new RemoteSocket({
				frame: (frame) => {
					if (!link.done) cluster.send(link.from, { t: 'out', link: link.id, seq: link.outSeq++, frame: encodeBytes(frame) });
				},
				close: (code, reason) => {
					if (!link.done) closeRelay(link, code, reason);
				},
				alive: () => cluster.alive(link.from)
			});
			link.socket = socket;
			const conn = room.attach(socket as unknown as WebSocket, identity);
			deps.sessions.watch(conn, expiresAt);
			conn.meterWith(deps.budgets.forConnection(identity.user.id), (message) => deps.log(message));
			cluster.send(link.from, { t: 'opened', link: link.id });
			for (const frame of link.queue.splice(0)) socket.deliver(frame);
		} finally {
			room.release();
		}
	}
}
