import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { withoutPending } from './pending.ts';

/** y-websocket message types (the first varUint of every frame). 100 (notice) lives in src/lib/sync-protocol. */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** WebSocket close codes the sync endpoint uses. 44xx tell y-websocket not to reconnect. */
export const CLOSE = {
	/** Text frame or a message type we do not speak. */
	unsupported: 1003,
	/** A frame that does not decode, or an update Yjs rejects. */
	invalidPayload: 1007,
	/** Over the connection's input budget for too long (a flood); a notice says why, and the client may come back. */
	overBudget: 1008,
	/** A frame over maxPayload (sent by ws itself), or a presence state over its cap. */
	tooBig: 1009,
	/** Internal error, or an access re-check that failed (fail closed). */
	unresponsive: 1011,
	/** Overloaded: too much input queued while the connection's access was re-checked. */
	tryAgain: 1013,
	/** The server is shutting down; clients reconnect to the next one. */
	restart: 1012,
	/** The session ended (sign-out, password change). */
	sessionEnded: 4401,
	/** The board was deleted or the user lost access. */
	noAccess: 4404,
	/** Work the server will never accept (a catch-up over `maxCatchUpBytes`): a notice says why; resending cannot help. */
	tooLarge: 4413,
	/** The user already has `maxSocketsPerUser` sockets open. */
	tooManySockets: 4429
} as const;

/** The sync step of a sync frame (0 step 1, 1 step 2, 2 update), or null for any other frame; reads two varUints only. */
export function syncStepOf(frame: Uint8Array): number | null {
	// Message type and step are both below 128 for every frame we act on: one byte each.
	if (frame.length < 2 || frame[0] !== MESSAGE_SYNC || frame[1]! > 127) return null;
	return frame[1]!;
}

/** A frame that breaks the protocol; the offending socket is closed with `closeCode`. */
export class ProtocolError extends Error {
	constructor(
		message: string,
		readonly closeCode: number
	) {
		super(message);
		this.name = 'ProtocolError';
	}
}

/** Sync step 1: the server's state vector (asks the client for what the server lacks). */
export function syncStep1Frame(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	syncProtocol.writeSyncStep1(encoder, doc);
	return encoding.toUint8Array(encoder);
}

/** A sync frame of the given step whose payload is already encoded (a state vector or an update). */
function syncFrameOf(step: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, step);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

/** Sync step 1 from a state vector already at hand (a cold room's stored snapshot, before it is integrated). */
export function syncStep1FrameFor(stateVector: Uint8Array): Uint8Array {
	return syncFrameOf(syncProtocol.messageYjsSyncStep1, stateVector);
}

/** Sync step 2: everything the peer with `stateVector` lacks (integrated state only, never another client's pending bytes). */
export function syncStep2Frame(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	withoutPending(doc, () => syncProtocol.writeSyncStep2(encoder, doc, stateVector));
	return encoding.toUint8Array(encoder);
}

/** A sync step 2 frame carrying `update` as it is (a stored full state, already free of pending bytes). */
export function stateAsSyncStep2(update: Uint8Array): Uint8Array {
	return syncFrameOf(syncProtocol.messageYjsSyncStep2, update);
}

/** A document update for every peer. */
export function updateFrame(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	syncProtocol.writeUpdate(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** The awareness states of `clients` (all when omitted); null when there is nothing to send. */
export function awarenessFrame(awareness: awarenessProtocol.Awareness, clients?: number[]): Uint8Array | null {
	const ids = clients ?? [...awareness.getStates().keys()];
	if (ids.length === 0) return null;
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, ids));
	return encoding.toUint8Array(encoder);
}
