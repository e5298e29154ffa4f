import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { BoardDocuments } from '../board-documents.ts';
import { users } from '../db/schema/accounts.ts';
import { boardMembers } from '../db/schema/boards.ts';
import { cardEvents } from '../db/schema/history.ts';
import { requireBoardAction } from '../boards/boards.ts';
import { toCsv, type CsvColumn } from '../csv.ts';
import { compareByRank } from '../../board/ranks.ts';
import type { Card, ChecklistItem, Label } from '../../board/types.ts';

/**
 * The columns of a cards CSV, in order (docs/export-import.md). An import reads the same names; `id` and `created`
 * are for reading only (an imported card is new: its id and creation time are the import's).
 */
export const CARD_COLUMNS: readonly CsvColumn[] = [
	{ name: 'id', kind: 'id' },
	{ name: 'title', kind: 'text' },
	{ name: 'stage', kind: 'text' },
	{ name: 'description', kind: 'text' },
	{ name: 'labels', kind: 'text' },
	{ name: 'owners', kind: 'text' },
	{ name: 'due', kind: 'date' },
	{ name: 'target', kind: 'date' },
	{ name: 'blocked', kind: 'text' },
	{ name: 'archived', kind: 'text' },
	{ name: 'checklist', kind: 'text' },
	{ name: 'created', kind: 'date' }
];

/** The names of the columns, for messages and checks. */
export const CARD_COLUMN_NAMES: readonly string[] = CARD_COLUMNS.map((c) => c.name);

/** Labels as a cell: `name:colour` joined by `;`. */
export const labelsCell = (labels: readonly Label[]) => labels.map((l) => `${l.name}:${l.color}`).join(';');

/** A checklist as a cell: one item a line, `[x] ` done or `[ ] ` to do. */
export const checklistCell = (items: readonly ChecklistItem[]) => items.map((i) => `${i.done ? '[x]' : '[ ]'} ${i.text}`).join('\n');

/** When each card of the board was first created (its earliest `created` event), by card id. */
async function createdTimes(db: Db, boardId: string): Promise<Map<string, Date>> {
	const rows = await db
		.select({ cardId: cardEvents.cardId, at: sql<Date | string>`min(${cardEvents.at})` })
		.from(cardEvents)
		.where(and(eq(cardEvents.boardId, boardId), eq(cardEvents.type, 'created')))
		.groupBy(cardEvents.cardId);
	return new Map(rows.map((r) => [r.cardId, new Date(r.at)]));
}

/**
 * The board's cards as CSV (anyone who can open the board): live cards stage by stage in board order, then archived
 * ones; owners as their email addresses (members only; someone who left is not listed). Returns the text and the board's name.
 */
export async function cardsCsv(db: Db, documents: BoardDocuments, boardId: string, userId: string): Promise<{ name: string; csv: string }> {
	const access = await requireBoardAction(db, boardId, userId, 'view');
	const reading = await documents.readBoard(boardId, { kind: 'cards' });
	const [emails, created] = await Promise.all([
		db
			.select({ id: users.id, email: users.email })
			.from(boardMembers)
			.innerJoin(users, eq(users.id, boardMembers.userId))
			.where(eq(boardMembers.boardId, boardId))
			.then((rows) => new Map(rows.map((r) => [r.id, r.email]))),
		createdTimes(db, boardId)
	]);
	const order = new Map(reading.stages.map((s, i) => [s.id, i]));
	const stageName = new Map(reading.stages.map((s) => [s.id, s.name]));
	const position = (c: Card) => (c.archived ? reading.stages.length : (order.get(c.stageId) ?? reading.stages.length));
	const cards = [...reading.cards].sort((a, b) => position(a) - position(b) || compareByRank(a, b));
	const rows = cards.map((c) => [
		c.id,
		c.title,
		stageName.get(c.stageId) ?? '',
		c.description,
		labelsCell(c.labels),
		c.owners.flatMap((o) => emails.get(o) ?? []).join(';'),
		c.due,
		c.target?.day ?? null,
		c.blocked?.reason ?? '',
		c.archived ? 'yes' : 'no',
		checklistCell(c.checklist),
		created.get(c.id) ?? null
	]);
	return { name: access.name, csv: toCsv(CARD_COLUMNS, rows) };
}
