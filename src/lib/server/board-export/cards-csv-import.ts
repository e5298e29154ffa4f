import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { isCommandRefusal, type BoardDocuments } from '../board-documents.ts';
import { users } from '../db/schema/accounts.ts';
import { boardMembers } from '../db/schema/boards.ts';
import { requireBoardAction } from '../boards/boards.ts';
import { DomainError } from '../errors.ts';
import { planCsvImport, type CsvProblem } from './cards-csv-read.ts';

/** What an import did (or, previewed, would do): the cards, or the problems by line (then nothing was created). */
export interface CsvImportOutcome {
	/** Cards created (a preview: cards that would be). */
	cards: number;
	/** Titles of the first cards, for the preview. */
	sample: string[];
	problems: CsvProblem[];
	created: boolean;
}

/**
 * Imports a cards CSV into a board (editors and owners): every line is checked first against the board as it is now;
 * on any problem nothing is created and each problem says its line. Otherwise every card is created in one call of
 * the server command path (one transaction on the board), so everyone on the board sees them arrive, in history as
 * `userId`'s. With `preview` nothing is created either way.
 */
export async function importCardsCsv(db: Db, documents: BoardDocuments, boardId: string, userId: string, text: string, preview: boolean): Promise<CsvImportOutcome> {
	await requireBoardAction(db, boardId, userId, 'edit_content');
	const [reading, memberRows] = await Promise.all([
		documents.readBoard(boardId, { kind: 'cards' }),
		db.select({ id: users.id, email: users.email }).from(boardMembers).innerJoin(users, eq(users.id, boardMembers.userId)).where(eq(boardMembers.boardId, boardId))
	]);
	const liveCards = new Map<string, number>();
	for (const card of reading.cards) if (!card.archived) liveCards.set(card.stageId, (liveCards.get(card.stageId) ?? 0) + 1);
	const plan = planCsvImport(text, { stages: reading.stages, liveCards, members: new Map(memberRows.map((m) => [m.email.toLowerCase(), m.id])) });
	const outcome = { cards: plan.cards.length, sample: plan.cards.slice(0, 5).map((c) => c.card.title), problems: plan.problems, created: false };
	if (preview || plan.problems.length > 0) return outcome;
	try {
		await documents.applyAsServer(
			boardId,
			{ kind: 'server', actorId: userId },
			plan.cards.map((c) => ({ name: 'importCard', args: [c.stageId, c.card] }))
		);
	} catch (err) {
		// Checked above against the board as it was; someone changed it since (a stage gone, a limit lowered).
		if (isCommandRefusal(err)) {
			const line = plan.cards[err.index]?.line ?? null;
			throw new DomainError('conflict', `The board changed while importing: line ${line ?? '?'}: ${err.message} ${err.index > 0 ? `The ${err.index} cards before it were created.` : 'No card was created.'}`);
		}
		throw err;
	}
	return { ...outcome, created: true };
}
