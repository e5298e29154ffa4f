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
