/** Kinds of transaction origin; they drive undo tracking, persistence and policy. */
export type OriginKind = 'local' | 'remote' | 'undo' | 'policy' | 'load' | 'pubsub' | 'seed' | 'heal' | 'server' | 'automation';

/** A transaction origin. Origins are compared by identity, so use the shared objects below or one per connection. */
export interface TxOrigin {
	readonly kind: OriginKind;
}

/** This client's own edits (the only ones its undo manager tracks). */
export const LOCAL: TxOrigin = Object.freeze({ kind: 'local' });
/** Server-side compensations for broken invariants. */
export const POLICY: TxOrigin = Object.freeze({ kind: 'policy' });
/** Replaying stored state into a fresh document. */
export const LOAD: TxOrigin = Object.freeze({ kind: 'load' });
/** Updates received from another app instance. */
export const PUBSUB: TxOrigin = Object.freeze({ kind: 'pubsub' });
/** The server creating a new board's starting workflow. */
export const SEED: TxOrigin = Object.freeze({ kind: 'seed' });

/** Removing entries nobody can read (written before the server checked types); never undone, never history. */
export const HEAL: TxOrigin = Object.freeze({ kind: 'heal' });

/** The kind of an arbitrary origin value (Yjs passes through whatever was given, or the UndoManager). */
export function originKind(origin: unknown): OriginKind | undefined {
	if (origin && typeof origin === 'object' && 'kind' in origin) return (origin as TxOrigin).kind;
	return undefined;
}

/**
 * The server acting on a board by itself (the server command path): `server` for what a person asked for
 * through the server (the API, an import, applying a template), `automation` for what a rule or a timed job did.
 * `actorId` is the user recorded as having done it (null: nobody in particular).
 */
export interface ServerOrigin extends TxOrigin {
	readonly kind: 'server' | 'automation';
	readonly actorId: string | null;
	/** The automation rule acting (history says "by rule …"), and how deep in a chain of rules it runs (0: first). */
	readonly rule?: { readonly id: string; readonly depth: number };
}

/** The rule a transaction's origin names, if a rule made it. */
export function ruleOfOrigin(origin: unknown): { id: string; depth: number } | null {
	if (!origin || typeof origin !== 'object') return null;
	const rule = (origin as { rule?: unknown }).rule;
	if (!rule || typeof rule !== 'object') return null;
	const { id, depth } = rule as { id?: unknown; depth?: unknown };
	return typeof id === 'string' && typeof depth === 'number' ? { id, depth } : null;
}

/** The user a transaction acts for, when its origin says so (a socket's user, or the server's recorded actor). */
export function actorOfOrigin(origin: unknown): string | null {
	if (!origin || typeof origin !== 'object') return null;
	const o = origin as { kind?: unknown; userId?: unknown; actorId?: unknown };
	if (o.kind === 'remote' && typeof o.userId === 'string') return o.userId;
	if ((o.kind === 'server' || o.kind === 'automation') && typeof o.actorId === 'string') return o.actorId;
	return null;
}
