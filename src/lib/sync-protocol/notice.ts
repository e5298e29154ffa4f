import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * The y-websocket message type of a server notice. Types 0-3 belong to y-websocket (sync, awareness,
 * auth, query awareness); 100 leaves room for its future types. The browser registers
 * `provider.messageHandlers[MESSAGE_NOTICE]`.
 */
export const MESSAGE_NOTICE = 100;

/** Something the server tells one connection: that it reverted one of its edits, why it is closing it, or that the board is read-only. */
export type SyncNotice = RefusedNotice | LimitNotice | ReadOnlyNotice | RoleNotice;

/**
 * This member's role on the board changed while they were on it. A demoted browser takes its edit controls away and
 * drops whatever it wrote that the server did not accept; a promoted one gives them back.
 */
export interface RoleNotice {
	type: 'role';
	role: 'owner' | 'editor' | 'viewer';
	/** What the user is shown. */
	message: string;
	/** Never set; lets callers read `cardId` on any notice. */
	cardId?: never;
}

/** The server serves this board read-only for now: edits are not saved, so the browser stops taking them. */
export interface ReadOnlyNotice {
	type: 'read-only';
	/** What the user is shown, for as long as they are on the board. */
	message: string;
	/** Never set; lets callers read `cardId` on any notice. */
	cardId?: never;
}

/** The policy net reverted one of this connection's edits. */
export interface RefusedNotice {
	type: 'refused';
	/** The refusal as shown to the user (names the WIP limit or the missing exit criteria). */
	message: string;
	/** The card the refused edit was about. */
	cardId?: string;
}

/**
 * Sent just before the server closes the connection for a limit: `too-large` (4413) means resending cannot
 * help, so the browser keeps the work and stops; `over-budget` (1008) means it sent too fast and may come back.
 */
export interface LimitNotice {
	type: 'limit';
	reason: 'too-large' | 'over-budget';
	/** What the user is shown. */
	message: string;
	/** Never set; lets callers read `cardId` on any notice. */
	cardId?: never;
}

/** A whole notice frame: the message type, then the notice as a JSON varString. */
export function encodeNotice(notice: SyncNotice): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_NOTICE);
	encoding.writeVarString(encoder, JSON.stringify(notice));
	return encoding.toUint8Array(encoder);
}

/**
 * Reads a notice's body from a decoder positioned after the message type (what a y-websocket
 * message handler receives); null when the body is not a notice this version understands.
 */
export function readNotice(decoder: decoding.Decoder): SyncNotice | null {
	try {
		const value: unknown = JSON.parse(decoding.readVarString(decoder));
		if (!value || typeof value !== 'object') return null;
		const { type, message, cardId, reason, role } = value as Record<string, unknown>;
		if (typeof message !== 'string') return null;
		if (type === 'role') return role === 'owner' || role === 'editor' || role === 'viewer' ? { type, role, message } : null;
		if (type === 'limit') return reason === 'too-large' || reason === 'over-budget' ? { type, reason, message } : null;
		if (type === 'read-only') return { type, message };
		if (type !== 'refused') return null;
		return typeof cardId === 'string' ? { type, message, cardId } : { type, message };
	} catch {
		return null;
	}
}

/** Decodes a whole frame; null when it is not a notice frame. */
export function decodeNotice(frame: Uint8Array): SyncNotice | null {
	try {
		const decoder = decoding.createDecoder(frame);
		if (decoding.readVarUint(decoder) !== MESSAGE_NOTICE) return null;
		return readNotice(decoder);
	} catch {
		return null;
	}
}
