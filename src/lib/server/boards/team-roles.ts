import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema/accounts.ts';
import { boardMembers, boards } from '../db/schema/boards.ts';
import { boardTeamRoleHolders, boardTeamRoles } from '../db/schema/team-roles.ts';
import { DomainError } from '../errors.ts';
import { newId } from '../ids.ts';
import { requireBoardAction } from './boards.ts';

/** Longest team role name, and most roles a board may have. */
export const TEAM_ROLE_LIMITS = { name: 60, roles: 30 } as const;

/** A team role with the members who hold it (people who left the board are not listed). */
export interface TeamRole {
	id: string;
	name: string;
	holders: string[];
}

/**
 * Keeps a board's live document in step with its team roles (`process.teamRoles`, which hand-offs and sign-offs
 * read). The sync server implements it (server/process/team-role-mirror.ts); services call it after every change to
 * roles or holders. It never throws: the database is the truth, and a board that missed a change gets it when its
 * room next opens.
 */
export interface TeamRoleMirror {
	/** The board's team roles or their holders changed: resolves once its open document has the new holders. */
	changed(boardId: string): Promise<void>;
}

/** A mirror that does nothing (scripts and tests without a sync server). */
export const noTeamRoleMirror: TeamRoleMirror = { changed: async () => {} };

/** Role name → the user ids of its holders who are still members (what the board document mirrors), no access check. */
export async function teamRoleHolders(db: Db, boardId: string): Promise<Record<string, string[]>> {
	const roles = await db.select({ id: boardTeamRoles.id, name: boardTeamRoles.name }).from(boardTeamRoles).where(eq(boardTeamRoles.boardId, boardId));
	const holders = await db
		.select({ roleId: boardTeamRoleHolders.roleId, userId: boardTeamRoleHolders.userId })
		.from(boardTeamRoleHolders)
		.innerJoin(boardMembers, and(eq(boardMembers.boardId, boardTeamRoleHolders.boardId), eq(boardMembers.userId, boardTeamRoleHolders.userId)))
		.where(eq(boardTeamRoleHolders.boardId, boardId));
	return Object.fromEntries(roles.map((r) => [r.name, holders.filter((h) => h.roleId === r.id).map((h) => h.userId).sort()]));
}

/** A board's team roles in their order, each with its current holders (any member may see them). */
export async function listTeamRoles(db: Db, boardId: string, userId: string): Promise<TeamRole[]> {
	await requireBoardAction(db, boardId, userId, 'view');
	const roles = await db.select({ id: boardTeamRoles.id, name: boardTeamRoles.name }).from(boardTeamRoles).where(eq(boardTeamRoles.boardId, boardId)).orderBy(asc(boardTeamRoles.position), asc(boardTeamRoles.id));
	// Holders who are still members: leaving the board ends a holding without anyone having to remember it.
	const holders = await db
		.select({ roleId: boardTeamRoleHolders.roleId, userId: boardTeamRoleHolders.userId })
		.from(boardTeamRoleHolders)
		.innerJoin(boardMembers, and(eq(boardMembers.boardId, boardTeamRoleHolders.boardId), eq(boardMembers.userId, boardTeamRoleHolders.userId)))
		.where(eq(boardTeamRoleHolders.boardId, boardId))
		.orderBy(asc(boardMembers.joinedAt), asc(boardTeamRoleHolders.userId));
	return roles.map((r) => ({ ...r, holders: holders.filter((h) => h.roleId === r.id).map((h) => h.userId) }));
}

/** Adds a team role at the end (owners only); returns its id. A name in use (in any letter case) is refused. */
export async function addTeamRole(db: Db, boardId: string, actorId: string, name: string, now: Date = new Date(), mirror: TeamRoleMirror = noTeamRoleMirror): Promise<string> {
	await requireBoardAction(db, boardId, actorId, 'manage_members');
	const clean = cleanName(name);
	const id = await db.transaction(async (tx) => {
		const existing = await tx.select({ name: boardTeamRoles.name, position: boardTeamRoles.position }).from(boardTeamRoles).where(eq(boardTeamRoles.boardId, boardId));
		if (existing.length >= TEAM_ROLE_LIMITS.roles) throw new DomainError('invalid_input', `A board can have at most ${TEAM_ROLE_LIMITS.roles} team roles.`, 'name');
		if (existing.some((r) => r.name.toLowerCase() === clean.toLowerCase())) throw new DomainError('invalid_input', `There is already a team role called “${clean}”.`, 'name');
		const id = newId();
		const position = existing.reduce((max, r) => Math.max(max, r.position), -1) + 1;
		await tx.insert(boardTeamRoles).values({ id, boardId, name: clean, position, createdAt: now });
		return id;
	});
	await mirror.changed(boardId);
	return id;
}

/** Renames a team role (owners only). */
export async function renameTeamRole(db: Db, boardId: string, actorId: string, roleId: string, name: string, mirror: TeamRoleMirror = noTeamRoleMirror): Promise<void> {
	await requireBoardAction(db, boardId, actorId, 'manage_members');
	const clean = cleanName(name);
	await db.transaction(async (tx) => {
		const existing = await tx.select({ id: boardTeamRoles.id, name: boardTeamRoles.name }).from(boardTeamRoles).where(eq(boardTeamRoles.boardId, boardId));
		if (!existing.some((r) => r.id === roleId)) throw new DomainError('not_found', 'That team role no longer exists.');
		if (existing.some((r) => r.id !== roleId && r.name.toLowerCase() === clean.toLowerCase())) throw new DomainError('invalid_input', `There is already a team role called “${clean}”.`, 'name');
		await tx.update(boardTeamRoles).set({ name: clean }).where(and(eq(boardTeamRoles.boardId, boardId), eq(boardTeamRoles.id, roleId)));
	});
	await mirror.changed(boardId);
}

/** Deletes a team role and its holdings (owners only). */
export async function deleteTeamRole(db: Db, boardId: string, actorId: string, roleId: string, mirror: TeamRoleMirror = noTeamRoleMirror): Promise<void> {
	await requireBoardAction(db, boardId, actorId, 'manage_members');
	const deleted = await db.delete(boardTeamRoles).where(and(eq(boardTeamRoles.boardId, boardId), eq(boardTeamRoles.id, roleId))).returning({ id: boardTeamRoles.id });
	if (deleted.length === 0) throw new DomainError('not_found', 'That team role no longer exists.');
	await mirror.changed(boardId);
}

/** Sets who holds a team role (owners only): exactly `userIds`, each a member of the board. */
export async function setTeamRoleHolders(db: Db, boardId: string, actorId: string, roleId: string, userIds: readonly string[], mirror: TeamRoleMirror = noTeamRoleMirror): Promise<void> {
	await requireBoardAction(db, boardId, actorId, 'manage_members');
	const wanted = [...new Set(userIds)];
	await db.transaction(async (tx) => {
		const [role] = await tx.select({ id: boardTeamRoles.id }).from(boardTeamRoles).where(and(eq(boardTeamRoles.boardId, boardId), eq(boardTeamRoles.id, roleId)));
		if (!role) throw new DomainError('not_found', 'That team role no longer exists.');
		await assertMembers(tx as unknown as Db, boardId, wanted);
		await tx.delete(boardTeamRoleHolders).where(eq(boardTeamRoleHolders.roleId, roleId));
		if (wanted.length > 0) await tx.insert(boardTeamRoleHolders).values(wanted.map((userId) => ({ roleId, boardId, userId })));
	});
	await mirror.changed(boardId);
}

/** The board's process owner, if one is set and still a member. */
export async function getProcessOwner(db: Db, boardId: string): Promise<{ userId: string; name: string } | null> {
	const [row] = await db
		.select({ userId: users.id, name: users.name })
		.from(boards)
		.innerJoin(users, eq(users.id, boards.processOwnerId))
		.innerJoin(boardMembers, and(eq(boardMembers.boardId, boards.id), eq(boardMembers.userId, users.id)))
		.where(eq(boards.id, boardId));
	return row ?? null;
}

/** Names the member accountable for the board's process, or nobody (null); owners only. */
export async function setProcessOwner(db: Db, boardId: string, actorId: string, userId: string | null): Promise<void> {
	await requireBoardAction(db, boardId, actorId, 'manage_members');
	await db.transaction(async (tx) => {
		if (userId !== null) await assertMembers(tx as unknown as Db, boardId, [userId]);
		await tx.update(boards).set({ processOwnerId: userId }).where(eq(boards.id, boardId));
	});
}

function cleanName(name: string): string {
	const clean = name.replaceAll('\u0000', '').replace(/\s+/g, ' ').trim();
	if (!clean) throw new DomainError('invalid_input', 'Give the team role a name.', 'name');
	if (clean.length > TEAM_ROLE_LIMITS.name) throw new DomainError('invalid_input', `A team role name can be at most ${TEAM_ROLE_LIMITS.name} characters.`, 'name');
	return clean;
}

async function assertMembers(db: Db, boardId: string, userIds: readonly string[]): Promise<void> {
	if (userIds.length === 0) return;
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(boardMembers)
		.where(and(eq(boardMembers.boardId, boardId), inArray(boardMembers.userId, [...userIds])));
	if ((row?.n ?? 0) !== userIds.length) throw new DomainError('invalid_input', 'Only members of this board can hold its team roles or own its process.', 'userId');
}

/**
 * Stores a new board's team roles in order, each with its holders (inside the caller's transaction; no access check:
 * the board is being created by the caller, who checked the names and that every holder is a member). Names are kept
 * exactly as given: the board's document names its steps' roles the same way.
 */
export async function insertTeamRoles(db: Db, boardId: string, roles: readonly { name: string; holders: readonly string[] }[], now: Date): Promise<void> {
	if (roles.length === 0) return;
	const rows = roles.map((r, position) => ({ id: newId(), boardId, name: r.name, position, createdAt: now }));
	await db.insert(boardTeamRoles).values(rows);
	const holders = roles.flatMap((r, i) => [...new Set(r.holders)].map((userId) => ({ roleId: rows[i]!.id, boardId, userId })));
	if (holders.length > 0) await db.insert(boardTeamRoleHolders).values(holders);
}
