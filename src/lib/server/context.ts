import type { Db } from './db/client.ts';
import type { Clock } from './clock.ts';
import type { BoardDocuments } from './board-documents.ts';
import type { TeamRoleMirror } from './boards/team-roles.ts';
import type { JobQueue } from './jobs/job-queue.ts';
import type { NotificationHub } from './notifications/hub.ts';
import type { Mailer } from './notifications/mailer.ts';
import type { NotificationInput } from './notifications/notify.ts';
import type { WebhookRuntime } from './webhooks/runtime.ts';
import type { RuleHooks } from './rules/hooks.ts';
import type { CardHub } from './comments/card-hub.ts';
import type { UploadSettings } from './attachments/storage.ts';

/** Live connections that must react when someone's access changes (the sync server implements it). */
export interface AccessListener {
	/** A session ended (sign-out, password change): its sockets must close. */
	sessionEnded(sessionId: string): void;
	/** Every session of a user but one ended (password change): their sockets must close. */
	otherSessionsEnded(userId: string, keepSessionId: string): void;
	/** A member's role changed or they left: their sockets re-check access. */
	membershipChanged(boardId: string, userId: string): void;
	/** A board was deleted: every socket on it closes. */
	boardDeleted(boardId: string): void;
}

/** Everything request handlers need from the running server, built once in server/index.ts. */
export interface AppContext {
	db: Db;
	clock: Clock;
	access: AccessListener;
	/** The live board documents: run named commands as the server, read plain data (decisions, plans). */
	documents: BoardDocuments;
	/** Mirrors team role holders into the open boards' documents; pass it to the team roles service. */
	teamRoles: TeamRoleMirror;
	/** The durable queue of timed work (reminders, mail, webhook deliveries, timed rules). */
	jobs: JobQueue;
	/** Live pushes to people's open pages (the bell's count). */
	hub: NotificationHub;
	/** Live pushes to everyone with a card open: its comments or files changed. */
	cardHub: CardHub;
	/** Where card attachments are stored and how large one may be. */
	uploads: UploadSettings;
	/** Outgoing mail (`configured` is false without SMTP_URL). */
	mailer: Mailer;
	/** Tells a person something the way they chose (inbox, email, both, off); see notifications/notify.ts. */
	notify(input: NotificationInput): Promise<number | null>;
	/** The app's public origin for links in mail (ORIGIN; null when unset: then the request's own origin is used). */
	publicOrigin: string | null;
	/** Whether webhooks may target private addresses (tests). */
	webhookAllowPrivate: boolean;
	/** The webhook sender (set by server/webhooks/install.ts; absent in contexts that send none). */
	webhooks?: WebhookRuntime;
	/** What the rule routes tell the rule engine (set by server/rules/install.ts; absent: nothing is cached). */
	rules?: RuleHooks;
}

const KEY = Symbol.for('flowdeck.app-context');
type Holder = { [KEY]?: AppContext };

/**
 * Hands the server's context to the SvelteKit handler. The built handler bundles its own copy of
 * src/lib, so a global slot is the one bridge between server/index.ts and the routes.
 */
export function installAppContext(ctx: AppContext): void {
	(globalThis as Holder)[KEY] = ctx;
}

/** The context installed by the server; throws if the app was started without server/index.ts. */
export function appContext(): AppContext {
	const ctx = (globalThis as Holder)[KEY];
	if (!ctx) throw new Error('Flowdeck was started without its server: run `npm start` or `npm run dev`.');
	return ctx;
}

/** An AccessListener that does nothing (no live connections to tell). */
export const noAccessListener: AccessListener = {
	sessionEnded() {},
	otherSessionsEnded() {},
	membershipChanged() {},
	boardDeleted() {}
};
