import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Clock } from '../clock.ts';
import type { BoardDocuments } from '../board-documents.ts';
import type { NotificationInput } from '../notifications/notify.ts';
import { users } from '../db/schema/accounts.ts';
import { boardMembers } from '../db/schema/boards.ts';
import { DomainError } from '../errors.ts';
import { requireBoardAction, type BoardAccess } from '../boards/boards.ts';
import type { BoardAction } from '../auth/permissions.ts';
import type { CardHub } from './card-hub.ts';

/** What the comment and attachment services need from the running app (a slice of the AppContext). */
export interface CardSideDeps {
	db: Db;
	clock: Clock;
	documents: BoardDocuments;
	notify(input: NotificationInput): Promise<number | null>;
	cardHub: CardHub;
}

/** Longest card id the services accept (Flowdeck's are 16 characters; anything far longer is not one). */
const MAX_ID = 64;

/**
 * The caller's access to the board for `action` and the card's current title: not_found for a board they may not
 * see or a card the board does not have (archived cards are still there), forbidden for a role too low.
 */
export async function requireCard(deps: CardSideDeps, boardId: string, userId: string, cardId: string, action: BoardAction): Promise<{ access: BoardAccess; title: string }> {
	const access = await requireBoardAction(deps.db, boardId, userId, action);
	if (cardId.length > MAX_ID) throw new DomainError('not_found', 'This card does not exist on the board.');
	const { card } = await deps.documents.readBoard(boardId, { kind: 'card', cardId });
	if (!card) throw new DomainError('not_found', 'This card does not exist on the board.');
	return { access, title: card.title };
}

/** The board's members by id and name (for mentions and for showing authors). */
export async function boardPeople(db: Db, boardId: string): Promise<{ id: string; name: string }[]> {
	return db
		.select({ id: users.id, name: users.name })
		.from(boardMembers)
		.innerJoin(users, eq(users.id, boardMembers.userId))
		.where(eq(boardMembers.boardId, boardId))
		.orderBy(asc(users.name));
}
