import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { boardMembers, boards } from '../db/schema/boards.ts';
import { DomainError } from '../errors.ts';
import { newId } from '../ids.ts';
import { can, isRole, type BoardAction, type Role } from '../auth/permissions.ts';
import { insertActivity, relationalEntry } from '../activity/write.ts';

/** A board as its member sees it. */
export interface BoardAccess {
	id: string;
	name: string;
	role: Role;
}

/** One row of the home page's board list. */
export interface BoardSummary extends BoardAccess {
	members: number;
	createdAt: Date;
}

/** "Not found" both for a missing board and one the user may not see, so neither leaks. */
export const BOARD_NOT_FOUND = 'This board does not exist, or you do not have access to it.';

/** Creates a board owned by `userId` and returns its id. */
export async function createBoard(db: Db, userId: string, name: string, now: Date): Promise<string> {
	const id = newId();
	await db.transaction(async (tx) => {
		await tx.insert(boards).values({ id, name, createdBy: userId, createdAt: now });
		await tx.insert(boardMembers).values({ boardId: id, userId, role: 'owner', joinedAt: now });
	});
	return id;
}

/** The boards `userId` belongs to, oldest first, with their role and member count. */
export async function listBoardsForUser(db: Db, userId: string): Promise<BoardSummary[]> {
	const mine = await db
		.select({ id: boards.id, name: boards.name, role: boardMembers.role, createdAt: boards.createdAt })
		.from(boardMembers)
		.innerJoin(boards, eq(boards.id, boardMembers.boardId))
		.where(eq(boardMembers.userId, userId))
		.orderBy(asc(boards.createdAt), asc(boards.id));
	if (mine.length === 0) return [];
	const counts = await db
		.select({ boardId: boardMembers.boardId, n: count() })
		.from(boardMembers)
		.where(
			inArray(
				boardMembers.boardId,
				mine.map((b) => b.id)
			)
		)
		.groupBy(boardMembers.boardId);
	const byBoard = new Map(counts.map((c) => [c.boardId, Number(c.n)]));
	return mine.map((b) => ({ ...b, role: toRole(b.role), members: byBoard.get(b.id) ?? 1 }));
}

/** The caller's access to a board, or null when it is missing or they are not a member. */
export async function findBoardAccess(db: Db, boardId: string, userId: string): Promise<BoardAccess | null> {
	const [row] = await db
		.select({ id: boards.id, name: boards.name, role: boardMembers.role })
		.from(boards)
		.innerJoin(boardMembers, and(eq(boardMembers.boardId, boards.id), eq(boardMembers.userId, userId)))
		.where(eq(boards.id, boardId))
		.limit(1);
	return row ? { ...row, role: toRole(row.role) } : null;
}

/** The caller's access if they may perform `action`; else not_found (non-member) or forbidden (role too low). */
export async function requireBoardAction(db: Db, boardId: string, userId: string, action: BoardAction): Promise<BoardAccess> {
	const access = await findBoardAccess(db, boardId, userId);
	if (!access) throw new DomainError('not_found', BOARD_NOT_FOUND);
	if (!can(access.role, action)) throw new DomainError('forbidden', forbiddenMessage(action));
	return access;
}

/** Renames a board (owners and editors); recorded in the board's activity. */
export async function renameBoard(db: Db, boardId: string, userId: string, name: string, now: Date = new Date()): Promise<void> {
	await requireBoardAction(db, boardId, userId, 'rename');
	await db.transaction(async (tx) => {
		// The name before, read under the row lock the update takes anyway, so two renames record a true "from".
		const [before] = await tx.select({ name: boards.name }).from(boards).where(eq(boards.id, boardId)).for('update');
		if (!before || before.name === name) return;
		await tx.update(boards).set({ name }).where(eq(boards.id, boardId));
		await insertActivity(tx as unknown as Db, [relationalEntry(boardId, userId, 'board_renamed', { from: before.name, to: name }, now)]);
	});
}

/** Deletes a board for good (owners only), after the caller typed its exact name. */
export async function deleteBoard(db: Db, boardId: string, userId: string, typedName: string): Promise<void> {
	const access = await requireBoardAction(db, boardId, userId, 'delete');
	if (typedName.trim() !== access.name) {
		throw new DomainError('confirmation_mismatch', `Type the board's name, "${access.name}", to confirm.`, 'confirm');
	}
	await db.delete(boards).where(eq(boards.id, boardId));
}

/** Narrows a stored role string; a corrupt value is treated as the least powerful role. */
export function toRole(value: string): Role {
	return isRole(value) ? value : 'viewer';
}

function forbiddenMessage(action: BoardAction): string {
	switch (action) {
		case 'delete':
			return 'Only the board owner can delete this board.';
		case 'manage_members':
		case 'manage_invites':
			return 'Only board owners can manage members and invites.';
		default:
			return 'Viewers cannot change this board. Ask an owner for editor access.';
	}
}
