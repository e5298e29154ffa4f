import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { gateAwarenessUpdate } from './awareness-gate.ts';
import type { Connection } from './connection.ts';
import { awarenessFrame } from './protocol.ts';

/**
 * A room's presence (y-protocols awareness): which connection speaks for which awareness client id, what reaches
 * everyone, and forgetting those who left. The server relays presence but has none of its own.
 */
export class RoomPresence {
	readonly awareness: Awareness;
	private readonly owners = new Map<number, Connection>();

	/** `broadcast` sends a frame to every connection of the room. */
	constructor(broadcast: (frame: Uint8Array) => void) {
		// Presence needs no document of the board's: a small one of its own gives the server a client id to keep.
		this.awareness = new Awareness(new Y.Doc());
		this.awareness.setLocalState(null);
		this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
			const frame = awarenessFrame(this.awareness, [...added, ...updated, ...removed]);
			if (frame) broadcast(frame);
		});
	}

	/** Everyone's presence in one frame, for a connection that just joined; null when nobody is here. */
	everyone(): Uint8Array | null {
		return awarenessFrame(this.awareness);
	}

	/** Applies presence from `conn`, stamped with its identity and limited to its own ids; throws ProtocolError on bad bytes. */
	apply(conn: Connection, update: Uint8Array): void {
		const owners = { ownerOf: (id: number) => this.owners.get(id), claim: (id: number) => this.owners.set(id, conn), clockOf: (id: number) => this.awareness.meta.get(id)?.clock };
		const gated = gateAwarenessUpdate(update, conn, owners, this.awareness.clientID);
		if (gated) applyAwarenessUpdate(this.awareness, gated, conn);
	}

	/** `conn` closed: the states it still speaks for are removed (everyone is told) and their clocks forgotten. */
	leave(conn: Connection): void {
		const ids = [...conn.awarenessIds].filter((id) => this.owners.get(id) === conn);
		for (const id of ids) this.owners.delete(id);
		removeAwarenessStates(this.awareness, ids, 'connection closed');
		// y-protocols keeps a removed client's clock for good: it would ignore that client coming back at that clock
		// (stock y-websocket resends its state unchanged) and hold an entry for every tab that ever visited.
		for (const id of ids) this.awareness.meta.delete(id);
	}

	/** Frees the awareness and its document. */
	destroy(): void {
		const doc = this.awareness.doc;
		this.awareness.destroy();
		doc.destroy();
	}
}
