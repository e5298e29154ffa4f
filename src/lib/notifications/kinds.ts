/** The kinds of notification a person can receive, with the label the settings page shows and the default channel. */
export const NOTIFICATION_KINDS = {
	assigned: { label: 'Assigned to you (by hand, a hand-off or a rule)', channel: 'both' },
	approval_requested: { label: 'Your approval is requested', channel: 'both' },
	decision: { label: 'A decision on your card', channel: 'both' },
	due_soon: { label: 'Your step or card is due soon', channel: 'both' },
	overdue: { label: 'Overdue', channel: 'both' },
	blocked_long: { label: 'A card blocked too long', channel: 'both' },
	delivery_risk: { label: 'A card’s chance of meeting its target date changed (at risk, likely late, back on track)', channel: 'both' },
	unstaffed: { label: 'No one holds the team role a step needs', channel: 'both' },
	rule_message: { label: 'Messages from automation rules', channel: 'both' },
	mention: { label: 'Mentioned in a comment', channel: 'both' },
	board_admin: { label: 'Board automation problems (broken rules, disabled webhooks)', channel: 'both' },
	process_digest: { label: 'Weekly process digest of the boards whose process you own (Mondays, email only)', channel: 'email' }
} as const satisfies Record<string, { label: string; channel: NotificationChannel }>;

/** A kind of notification. */
export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

/** Where a person wants a kind: in the app, by email, both, or not at all. */
export type NotificationChannel = 'app' | 'email' | 'both' | 'off';

/** Kinds that are mail and nothing else (a weekly digest has no inbox entry): their choice is email or off. */
export const EMAIL_ONLY_KINDS: ReadonlySet<NotificationKind> = new Set<NotificationKind>(['process_digest']);

/** The channel a kind really gets: for an email-only kind, "both" is email and "in the app" is off. */
export function effectiveChannel(kind: NotificationKind, channel: NotificationChannel): NotificationChannel {
	if (!EMAIL_ONLY_KINDS.has(kind)) return channel;
	return channel === 'both' ? 'email' : channel === 'app' ? 'off' : channel;
}

/** Every kind, in the settings page's order. */
export const notificationKinds = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];

/** Whether a string is a notification kind. */
export const isNotificationKind = (value: string): value is NotificationKind => Object.hasOwn(NOTIFICATION_KINDS, value);

/** Whether a channel includes the in-app inbox / email. */
export const channelHasApp = (c: NotificationChannel): boolean => c === 'app' || c === 'both';
/** Whether a channel includes email. */
export const channelHasEmail = (c: NotificationChannel): boolean => c === 'email' || c === 'both';

/** One entry of the inbox as the browser receives it. */
export interface InboxEntry {
	id: number;
	kind: NotificationKind;
	title: string;
	body: string;
	boardId: string | null;
	boardName: string | null;
	cardId: string | null;
	createdAt: string;
	read: boolean;
}

/** What the live stream pushes: the unread count, and the entry that raised it (if one did). */
export interface InboxPush {
	unread: number;
	entry?: InboxEntry;
}
