import type * as Y from 'yjs';

/**
 * Yjs keeps an update whose dependencies it has not seen ("pending") in `doc.store` and adds it to every
 * `encodeStateAsUpdate`. On the server those bytes came from one client and were never integrated: they
 * must not be sent to others or stored. A real client's pending part lasts a round trip (its sync step 2
 * fills the gap); anything else is dropped after a while or when it grows too big (room.ts).
 */

/** Bytes of not-yet-integrated client changes the doc holds (0 when none). */
export function pendingBytes(doc: Y.Doc): number {
	const { pendingStructs, pendingDs } = doc.store;
	return (pendingStructs?.update.length ?? 0) + (pendingDs?.length ?? 0);
}

/** Forgets the doc's pending changes; the clients that sent them resend them on their next sync. */
export function dropPending(doc: Y.Doc): void {
	doc.store.pendingStructs = null;
	doc.store.pendingDs = null;
}

/** Runs `encode` with the pending changes set aside, so only integrated state is encoded. */
export function withoutPending<T>(doc: Y.Doc, encode: () => T): T {
	const { pendingStructs, pendingDs } = doc.store;
	if (!pendingStructs && !pendingDs) return encode();
	dropPending(doc);
	try {
		return encode();
	} finally {
		doc.store.pendingStructs = pendingStructs;
		doc.store.pendingDs = pendingDs;
	}
}
