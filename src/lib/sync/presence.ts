import type { WebsocketProvider } from 'y-websocket';

/** Someone else currently on the board, as the presence bar shows them. */
export interface Peer {
	clientId: number;
	userId: string;
	name: string;
	color: string;
	/** The card they have open, if any. */
	openCardId: string | null;
}

interface AwarenessStateLike {
	user?: { id?: unknown; name?: unknown; color?: unknown };
	openCardId?: unknown;
}

/** Turns raw awareness states into peers: skips ourselves and malformed states, one entry per user (latest tab wins). */
export function peersFromAwareness(states: Map<number, AwarenessStateLike>, ownClientId: number, ownUserId: string): Peer[] {
	const byUser = new Map<string, Peer>();
	for (const [clientId, state] of states) {
		if (clientId === ownClientId) continue;
		const user = state.user;
		if (!user || typeof user.id !== 'string' || typeof user.name !== 'string') continue;
		if (user.id === ownUserId) continue;
		const peer: Peer = {
			clientId,
			userId: user.id,
			name: user.name,
			color: typeof user.color === 'string' ? user.color : '#64748b',
			openCardId: typeof state.openCardId === 'string' ? state.openCardId : null
		};
		const existing = byUser.get(peer.userId);
		if (!existing || (peer.openCardId && !existing.openCardId)) byUser.set(peer.userId, peer);
	}
	return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** One raw presence state as the awareness protocol carries it (`user` stamped by the server from the session). */
export interface PresenceState {
	clientId: number;
	state: Record<string, unknown>;
}

/**
 * Makes presence come back at once after a dropped connection; returns a function that stops it. Stock y-websocket
 * does not (yjs/y-websocket#122): an awareness update is taken only with a clock above the last one seen for that
 * client, and both clocks a reconnect depends on are ones the other side has seen already.
 */
export function keepPresenceAcrossReconnects(provider: WebsocketProvider): () => void {
	const onStatus = ({ status }: { status: string }) => {
		if (status !== 'disconnected') return;
		const awareness = provider.awareness;
		// y-websocket has just dropped everyone else's state but kept their clocks; the server resends those states
		// on reconnect with the same clocks, which would be ignored: forget them, so the resent states are taken.
		for (const clientId of [...awareness.meta.keys()]) {
			if (clientId !== awareness.clientID && !awareness.states.has(clientId)) awareness.meta.delete(clientId);
		}
		// Everyone saw this client leave at its current clock and would ignore its state sent again at that clock: the
		// next connection sends it one higher (not sent now: the socket is gone).
		const own = awareness.getLocalState();
		if (own !== null) awareness.setLocalState(own);
	};
	provider.on('status', onStatus);
	return () => provider.off('status', onStatus);
}
