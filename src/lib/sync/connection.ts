/** What the header says about the link to the server. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'closed';

/** Human wording for each connection state. */
export const CONNECTION_LABELS: Record<ConnectionState, string> = {
	connecting: 'Connecting…',
	live: 'Live',
	reconnecting: 'Reconnecting…',
	offline: 'Offline: changes are kept on this device',
	closed: 'Disconnected'
};

/** Why the server closed the socket for good (4400–4499 mean "do not retry"). */
export function closeReason(code: number): string | null {
	if (code === 4401) return 'You were signed out. Log in again to keep working on this board.';
	if (code === 4403) return 'Your access to this board changed. Reload the page.';
	if (code === 4404) return 'You no longer have access to this board, or it was deleted.';
	if (code === 4413) return 'Your changes are too large for the server to accept. They are kept in this browser but were not sent; reconnecting will not help.';
	if (code >= 4400 && code < 4500) return 'The server closed the connection. Reload the page.';
	return null;
}
