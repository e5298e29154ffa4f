import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { ProtocolError, CLOSE } from './protocol.ts';
import type { AwarenessUser } from '../../src/lib/sync-protocol/identity.ts';

/** One browser tab introduces one awareness id; a few more allow for reloads and retries, not for impersonating a crowd. */
const MAX_IDS_PER_CONNECTION = 8;
/** Presence is a name, a colour and what you are looking at; anything bigger is relayed to everyone for nothing. */
export const MAX_AWARENESS_STATE = 16 * 1024;

/** A connection as far as presence goes: the ids it speaks for and whose session it is. */
export interface AwarenessSpeaker {
	awarenessIds: Set<number>;
	identity: { user: AwarenessUser };
}

/** Who may speak for which awareness client id in a room. */
export interface AwarenessOwners {
	/** The connection that speaks for `clientId`, if any. */
	ownerOf(clientId: number): AwarenessSpeaker | undefined;
	/** Records that `owner` speaks for `clientId` from now on. */
	claim(clientId: number, owner: AwarenessSpeaker): void;
	/** The last clock the room took for `clientId`, if it holds one. */
	clockOf(clientId: number): number | undefined;
}

/**
 * Rewrites an awareness update from one connection: entries for ids another user's connection speaks for (or the
 * server's own) are dropped, and every state's `user` becomes the session's identity. The same user's newer
 * connection takes an id over (a tab back from a dropped network, whose old socket has not been seen to close).
 * Returns null when nothing is left; throws ProtocolError on bytes that do not decode (1007) or a state
 * over MAX_AWARENESS_STATE (1009).
 */
export function gateAwarenessUpdate(
	update: Uint8Array,
	conn: AwarenessSpeaker,
	owners: AwarenessOwners,
	reservedId: number
): Uint8Array | null {
	const kept: { clientId: number; clock: number; state: string }[] = [];
	try {
		const decoder = decoding.createDecoder(update);
		const count = decoding.readVarUint(decoder);
		for (let i = 0; i < count; i++) {
			const clientId = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			const json = decoding.readVarString(decoder);
			if (json.length > MAX_AWARENESS_STATE) throw new ProtocolError(`Presence state over ${MAX_AWARENESS_STATE} characters`, CLOSE.tooBig);
			const state: unknown = JSON.parse(json);
			if (!mayUpdate(clientId, clock, state === null, conn, owners, reservedId)) continue;
			kept.push({ clientId, clock, state: JSON.stringify(stamp(state, conn.identity.user)) });
		}
	} catch (err) {
		if (err instanceof ProtocolError) throw err;
		throw new ProtocolError(`Malformed awareness update: ${(err as Error).message}`, CLOSE.invalidPayload);
	}
	if (kept.length === 0) return null;
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, kept.length);
	for (const { clientId, clock, state } of kept) {
		encoding.writeVarUint(encoder, clientId);
		encoding.writeVarUint(encoder, clock);
		encoding.writeVarString(encoder, state);
	}
	return encoding.toUint8Array(encoder);
}

function mayUpdate(clientId: number, clock: number, leaving: boolean, conn: AwarenessSpeaker, owners: AwarenessOwners, reservedId: number): boolean {
	if (clientId === reservedId) return false;
	const owner = owners.ownerOf(clientId);
	if (owner === conn) return true;
	// A connection only ever removes its own presence. Browsers echo the removals they hear (someone left, a state
	// timed out): such an echo must not make them the owner of an id whose tab may come back.
	if (leaving) return false;
	// A socket whose network vanished lingers until a ping goes unanswered (up to two ping intervals); meanwhile its
	// tab is back on a new one and must speak for its presence. Only as the same user: nobody else's is impersonated.
	if (owner && owner.identity.user.id !== conn.identity.user.id) return false;
	// Browsers echo every presence change they receive (y-websocket relays all of them), at the clock the room sent:
	// a second tab of the same person must not take the first tab's id over by echoing it. A tab that is back bumps
	// its clock (see keepPresenceAcrossReconnects), so only a newer clock moves an id to another socket.
	const known = owners.clockOf(clientId);
	if (owner && known !== undefined && clock <= known) return false;
	if (conn.awarenessIds.size >= MAX_IDS_PER_CONNECTION) return false;
	// The old socket leaving later must not take the state along.
	owner?.awarenessIds.delete(clientId);
	owners.claim(clientId, conn);
	conn.awarenessIds.add(clientId);
	return true;
}

/** null means "this client left" and stays null; anything else becomes an object carrying the session's identity. */
function stamp(state: unknown, user: AwarenessUser): unknown {
	if (state === null) return null;
	const base = typeof state === 'object' && !Array.isArray(state) ? (state as Record<string, unknown>) : {};
	return { ...base, user: { ...user } };
}
