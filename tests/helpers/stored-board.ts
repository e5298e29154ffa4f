import * as Y from 'yjs';
import type { Db } from '../../src/lib/server/db/client.ts';
import { systemClock } from '../../src/lib/server/clock.ts';
import { drizzleDocumentStore } from '../../server/persistence/drizzle-document-store.ts';
import { readBoard, type WorkflowReading } from '../../server/engine/board-reading.ts';
import { seedBoard } from '../../src/lib/board/doc/schema.ts';

/** A board's document as the database holds it (snapshot and rows), in a fresh Y.Doc. */
export async function storedDoc(db: Db, boardId: string): Promise<Y.Doc> {
	const { snapshot, updates } = await drizzleDocumentStore(db, systemClock).load(boardId);
	const doc = new Y.Doc();
	for (const update of [...(snapshot ? [snapshot] : []), ...updates]) Y.applyUpdate(doc, update);
	return doc;
}

/**
 * Reads boards' workflows from what the database holds, as a room would on load (a board with nothing stored gets the
 * seeded default stages): for code that takes the app's `documents` where no app runs (the bench, history-only tests).
 */
export function storedWorkflows(db: Db): { readBoard(boardId: string, query: { kind: 'workflow' }): Promise<WorkflowReading> } {
	return {
		async readBoard(boardId) {
			const doc = await storedDoc(db, boardId);
			seedBoard(doc, boardId);
			return readBoard(doc, { kind: 'workflow' }) as WorkflowReading;
		}
	};
}
