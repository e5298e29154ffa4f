import type { InboxPush } from './kinds.ts';

/** The window event the bell dispatches for each push, so an open inbox page can refresh itself. */
export const INBOX_PUSH_EVENT = 'flowdeck:inbox';

/** Parses one `inbox` event of the stream; null for anything else. */
export function parsePush(data: string): InboxPush | null {
	try {
		const value = JSON.parse(data) as unknown;
		if (typeof value === 'object' && value !== null && typeof (value as InboxPush).unread === 'number') return value as InboxPush;
	} catch {
		// A malformed frame is skipped.
	}
	return null;
}

/** The bell's label for screen readers. */
export const bellLabel = (unread: number): string => `Notifications, ${unread} unread`;
