/** Who a live cursor/presence belongs to, as the server stamps it into every awareness state's `user` field. */
export interface AwarenessUser {
	id: string;
	name: string;
	color: string;
}

/** Colours readable on a white card and distinct from each other (Tailwind 600 shades). */
const PALETTE = ['#dc2626', '#ea580c', '#d97706', '#65a30d', '#059669', '#0891b2', '#2563eb', '#7c3aed', '#c026d3', '#db2777'] as const;

/** A user's presence colour: the same on every server and every browser, derived from the user id alone. */
export function userColor(userId: string): string {
	// FNV-1a: tiny, stable, and spreads similar ids apart.
	let hash = 0x811c9dc5;
	for (let i = 0; i < userId.length; i++) {
		hash ^= userId.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return PALETTE[(hash >>> 0) % PALETTE.length]!;
}
