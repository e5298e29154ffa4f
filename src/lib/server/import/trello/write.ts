import type { Db } from '../../db/client.ts';
import { boardMembers, boards } from '../../db/schema/boards.ts';
import { boardUpdates } from '../../db/schema/documents.ts';
import { trelloImports } from '../../db/schema/trello-imports.ts';
import { insertActivity, relationalEntry } from '../../activity/write.ts';
import { insertCardEvents, upsertStages, type CardEventRow } from '../../history.ts';
import type { BuiltBoard } from './build.ts';

/** Cards whose history goes in one statement batch (card_flow is replayed per batch, so a card's events stay together). */
const CARDS_PER_BATCH = 500;

/** What the import writes besides the built board. */
export interface BoardRecord {
	id: string;
	name: string;
	ownerId: string;
	/** Mapped Trello members other than the importer: they join as editors. */
	editors: string[];
	trelloBoardId: string;
	fileHash: string;
	now: Date;
}

/**
 * Writes an imported board in ONE transaction: the board, its members, its first document state, its stages and
 * history (with `card_flow` and `stage_attempts` as the history writer keeps them) and the import's fingerprint. A
 * failure anywhere rolls all of it back: there is never half a board. `progress(done, total)` counts write steps.
 */
export async function writeImportedBoard(db: Db, record: BoardRecord, built: BuiltBoard, progress: (done: number, total: number) => void): Promise<void> {
	const batches = historyBatches(built.events);
	const total = batches.length + 3;
	let done = 0;
	const step = () => progress(++done, total);
	await db.transaction(async (tx) => {
		const t = tx as unknown as Db;
		const { id, now } = record;
		await tx.insert(boards).values({ id, name: record.name, createdBy: record.ownerId, createdAt: now, processOwnerId: record.ownerId });
		await tx.insert(boardMembers).values({ boardId: id, userId: record.ownerId, role: 'owner', joinedAt: now });
		if (record.editors.length > 0) {
			await tx.insert(boardMembers).values(record.editors.map((userId) => ({ boardId: id, userId, role: 'editor', joinedAt: now })));
			await insertActivity(t, record.editors.map((userId) => relationalEntry(id, userId, 'member_joined', { role: 'editor' }, now)));
		}
		// The document store's own table: the board's room loads this as its stored state and never seeds it.
		await tx.insert(boardUpdates).values({ boardId: id, data: built.update, createdAt: now });
		step();
		// Stages first: history rows refer to them, and their kinds decide what card_flow makes of the moves.
		await upsertStages(t, built.stages);
		step();
		for (const batch of batches) {
			await insertCardEvents(t, batch);
			step();
		}
		await insertActivity(t, built.activity);
		await tx.insert(trelloImports).values({ boardId: id, trelloBoardId: record.trelloBoardId, fileHash: record.fileHash, importedBy: record.ownerId, importedAt: now });
		step();
	});
}

/** History rows in batches of whole cards, oldest first within each. */
function historyBatches(events: readonly CardEventRow[]): CardEventRow[][] {
	const byCard = new Map<string, CardEventRow[]>();
	for (const e of events) {
		const own = byCard.get(e.cardId);
		if (own) own.push(e);
		else byCard.set(e.cardId, [e]);
	}
	const cards = [...byCard.values()];
	const batches: CardEventRow[][] = [];
	for (let i = 0; i < cards.length; i += CARDS_PER_BATCH) batches.push(cards.slice(i, i + CARDS_PER_BATCH).flat());
	return batches;
}
