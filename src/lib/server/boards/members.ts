import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema/accounts.ts';
import { boardMembers } from '../db/schema/boards.ts';
import { DomainError } from '../errors.ts';
import type { Role } from '../auth/permissions.ts';
import { requireBoardAction, toRole } from './boards.ts';
import { insertActivity, relationalEntry } from '../activity/write.ts';

/** A board member as the members list shows them. */
export interface Member {
	userId: string;
	name: string;
	email: string;
	role: Role;
	joinedAt: Date;
}

/** Everyone on a board (any member may see the list), owners first. */
export async function listMembers(db: Db, boardId: string, userId: string): Promise<Member[]> {
	await requireBoardAction(db, boardId, userId, 'view');
	const rows = await db
		.select({ userId: users.id, name: users.name, email: users.email, role: boardMembers.role, joinedAt: boardMembers.joinedAt })
		.from(boardMembers)
		.innerJoin(users, eq(users.id, boardMembers.userId))
		.where(eq(boardMembers.boardId, boardId))
		.orderBy(asc(boardMembers.joinedAt), asc(users.id));
	const rank: Record<Role, number> = { owner: 0, editor: 1, viewer: 2 };
	return rows.map((r) => ({ ...r, role: toRole(r.role) })).sort((a, b) => rank[a.role] - rank[b.role]);
}

/** Changes a member's role (owners only); the last owner cannot be demoted. Recorded in the board's activity. */
export async function changeMemberRole(db: Db, boardId: string, actorId: string, targetId: string, role: Role, now: Date = new Date()): Promise<void> {
	await requireBoardAction(db, boardId, actorId, 'manage_members');
	await db.transaction(async (tx) => {
		const current = await memberRole(tx as unknown as Db, boardId, targetId);
		if (current === role) return;
		if (current === 'owner' && role !== 'owner') await assertAnotherOwner(tx as unknown as Db, boardId, targetId);
		await tx
			.update(boardMembers)
			.set({ role })
			.where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.userId, targetId)));
		await insertActivity(tx as unknown as Db, [relationalEntry(boardId, actorId, 'member_role_changed', { userId: targetId, from: current, to: role }, now)]);
	});
}

/** Removes someone from a board (owners only); the last owner cannot be removed. Recorded in the board's activity. */
export async function removeMember(db: Db, boardId: string, actorId: string, targetId: string, now: Date = new Date()): Promise<void> {
	await requireBoardAction(db, boardId, actorId, 'manage_members');
	// Removing oneself is leaving, and reads so.
	await dropMembership(db, boardId, actorId, targetId, now);
}

/** The caller leaves a board; the last owner must hand ownership on (or delete the board) first. Recorded in the board's activity. */
export async function leaveBoard(db: Db, boardId: string, userId: string, now: Date = new Date()): Promise<void> {
	await requireBoardAction(db, boardId, userId, 'leave');
	await dropMembership(db, boardId, userId, userId, now);
}

async function dropMembership(db: Db, boardId: string, actorId: string, targetId: string, now: Date): Promise<void> {
	await db.transaction(async (tx) => {
		const current = await memberRole(tx as unknown as Db, boardId, targetId);
		if (current === 'owner') await assertAnotherOwner(tx as unknown as Db, boardId, targetId);
		await tx.delete(boardMembers).where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.userId, targetId)));
		const entry =
			actorId === targetId
				? relationalEntry(boardId, actorId, 'member_left', { role: current }, now)
				: relationalEntry(boardId, actorId, 'member_removed', { userId: targetId, role: current }, now);
		await insertActivity(tx as unknown as Db, [entry]);
	});
}

async function memberRole(db: Db, boardId: string, userId: string): Promise<Role> {
	const [row] = await db
		.select({ role: boardMembers.role })
		.from(boardMembers)
		.where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.userId, userId)))
		.limit(1);
	if (!row) throw new DomainError('invalid_input', 'That person is no longer a member of this board.');
	return toRole(row.role);
}

async function assertAnotherOwner(db: Db, boardId: string, exceptUserId: string): Promise<void> {
	const owners = await db
		.select({ userId: boardMembers.userId })
		.from(boardMembers)
		.where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.role, 'owner')))
		// Lock the owner rows so two owners cannot both step down at once.
		.for('update');
	if (!owners.some((o) => o.userId !== exceptUserId)) {
		throw new DomainError('last_owner', 'A board needs at least one owner. Make someone else an owner first, or delete the board.');
	}
}
