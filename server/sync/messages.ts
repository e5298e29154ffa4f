import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import type { Awareness } from 'y-protocols/awareness';
import { canEditBoard } from '../../src/lib/server/auth/permissions.ts';
import type { Connection } from './connection.ts';
import { assertStateVector, assertUpdateV1 } from './update-guard.ts';
import { CLOSE, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC, ProtocolError, awarenessFrame } from './protocol.ts';

/** What message handling needs from a room. */
export interface MessageContext {
	awareness: Awareness;
	/**
	 * Applies a document update from `conn` (already checked for write permission and walked byte by byte). The
	 * board's engine applies it, maybe on another thread: the connection's later frames wait until it has, and a
	 * refused update closes the connection.
	 */
	applyUpdate(conn: Connection, update: Uint8Array): void;
	/** A viewer's (checked) update was dropped: the room remembers never to apply those changes (unauthorized-writes.ts). */
	dropWrite(conn: Connection, update: Uint8Array): void;
	/** Applies an awareness update from `conn` after rewriting it; throws ProtocolError on bad bytes. */
	applyAwareness(conn: Connection, update: Uint8Array): void;
	/** Sends `conn` the sync step 2 answering its (checked) state vector, once the board's engine made it. */
	answerSyncStep1(conn: Connection, stateVector: Uint8Array): void;
}

/**
 * Handles one binary frame from a connection, replying on that connection where the protocol asks.
 * Throws ProtocolError for anything malformed; the caller closes that socket with its code.
 */
export function handleFrame(ctx: MessageContext, conn: Connection, frame: Uint8Array): void {
	const decoder = decoding.createDecoder(frame);
	const type = read(() => decoding.readVarUint(decoder));
	switch (type) {
		case MESSAGE_SYNC:
			return handleSync(ctx, conn, decoder);
		case MESSAGE_AWARENESS:
			return ctx.applyAwareness(conn, read(() => decoding.readVarUint8Array(decoder)));
		case MESSAGE_QUERY_AWARENESS: {
			if (!conn.takeStateRequest()) return;
			const reply = awarenessFrame(ctx.awareness);
			if (reply) conn.send(reply);
			return;
		}
		default:
			throw new ProtocolError(`Unsupported message type ${type}`, CLOSE.unsupported);
	}
}

function handleSync(ctx: MessageContext, conn: Connection, decoder: decoding.Decoder): void {
	const step = read(() => decoding.readVarUint(decoder));
	const payload = read(() => decoding.readVarUint8Array(decoder));
	switch (step) {
		case syncProtocol.messageYjsSyncStep1: {
			// Answering encodes the whole document: a socket asking again and again is ignored, not served.
			if (!conn.takeStateRequest()) return;
			assertStateVector(payload);
			try {
				Y.decodeStateVector(payload);
			} catch (err) {
				throw new ProtocolError(`Malformed state vector: ${(err as Error).message}`, CLOSE.invalidPayload);
			}
			return ctx.answerSyncStep1(conn, payload);
		}
		case syncProtocol.messageYjsSyncStep2:
		case syncProtocol.messageYjsUpdate:
			// Yjs trusts the bytes it decodes (see update-guard.ts): check them first.
			assertUpdateV1(payload);
			// Viewers still get state (step 1 above); their writes are dropped without a word, for good.
			if (!canEditBoard(conn.role)) return ctx.dropWrite(conn, payload);
			return ctx.applyUpdate(conn, payload);
		default:
			throw new ProtocolError(`Unsupported sync message ${step}`, CLOSE.unsupported);
	}
}

function read<T>(fn: () => T): T {
	try {
		return fn();
	} catch (err) {
		throw new ProtocolError(`Malformed frame: ${(err as Error).message}`, CLOSE.invalidPayload);
	}
}
