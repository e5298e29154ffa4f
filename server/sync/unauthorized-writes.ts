import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

/**
 * The changes a board refused because their writer could only view it, remembered per Yjs client from the first
 * refused clock on. A browser keeps what it wrote and sends it again whenever it syncs, so without this a viewer's
 * edit would be applied as soon as they were made editor again; with it, those changes are stripped from every
 * later update, whoever sends them. (The browser also drops them itself when it is told of the demotion.)
 */
export class UnauthorizedWrites {
	private readonly fromClock = new Map<number, number>();

	/**
	 * Most clients remembered per board. A frame may name any client id, so a viewer could otherwise grow this map
	 * for as long as the room is open; past the cap the oldest are forgotten (real browsers use a handful).
	 */
	static readonly MAX_CLIENTS = 4096;

	/**
	 * A viewer's update was dropped: none of its clients' changes from `from` (client → first clock of what the
	 * board did not have; see BoardEngine.novel) on is ever applied.
	 */
	record(from: ReadonlyMap<number, number>): void {
		for (const [client, clock] of from) this.fromClock.set(client, Math.min(this.fromClock.get(client) ?? Number.POSITIVE_INFINITY, clock));
		for (const client of this.fromClock.keys()) {
			if (this.fromClock.size <= UnauthorizedWrites.MAX_CLIENTS) break;
			this.fromClock.delete(client);
		}
	}

	/** How many clients are remembered (for tests and diagnostics). */
	get size(): number {
		return this.fromClock.size;
	}

	/** `update` without the recorded clients' changes past their first refused clock; `stripped` says whether any went. */
	strip(update: Uint8Array): { update: Uint8Array; stripped: boolean } {
		if (this.fromClock.size === 0) return { update, stripped: false };
		const { to } = Y.parseUpdateMeta(update);
		const skip = new Map<number, number>();
		for (const [client, clock] of to) {
			const from = this.fromClock.get(client);
			if (from !== undefined && clock > from) skip.set(client, clock);
		}
		if (skip.size === 0) return { update, stripped: false };
		// A state vector saying "already have all of it" for those clients: the diff leaves their structs out.
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, skip.size);
		for (const [client, clock] of skip) {
			encoding.writeVarUint(encoder, client);
			encoding.writeVarUint(encoder, clock);
		}
		return { update: Y.diffUpdate(update, encoding.toUint8Array(encoder)), stripped: true };
	}
}
