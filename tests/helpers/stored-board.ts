import * as Y from 'yjs';
import type { Db } from '../../src/lib/server/db/client.ts';
import { systemClock } from '../../src/lib/server/clock.ts';
import { drizzleDocumentStore } from '../../server/persistence/drizzle-document-store.ts';

/** A board's document as the database holds it (snapshot and rows), in a fresh Y.Doc. */
export async function storedDoc(db: Db, boardId: string): Promise<Y.Doc> {
	const { snapshot, updates } = await drizzleDocumentStore(db, systemClock).load(boardId);
	const doc = new Y.Doc();
	for (const update of [...(snapshot ? [snapshot] : []), ...updates]) Y.applyUpdate(doc, update);
	return doc;
}
