import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { ruleRuns, rules } from '../db/schema/automation.ts';
import { users } from '../db/schema/accounts.ts';
import { boardMembers, boards } from '../db/schema/boards.ts';
import { boardTeamRoleHolders, boardTeamRoles } from '../db/schema/team-roles.ts';
import { newId } from '../ids.ts';
import { ruleDefinitionSchema, type RuleDefinition } from '../../board/rules/definition.ts';

/** A rule as the engine and the pages read it. */
export interface RuleRecord {
	id: string;
	boardId: string;
	name: string;
	enabled: boolean;
	definition: RuleDefinition;
	brokenReason: string | null;
	createdBy: string | null;
	updatedAt: Date;
}

/** How a firing ended. */
export type RunOutcome = 'done' | 'skipped' | 'refused' | 'loop' | 'error';

/** One line of a rule's run log. */
export interface RuleRun {
	id: number;
	ruleId: string;
	cardId: string | null;
	at: Date;
	outcome: RunOutcome;
	message: string;
	depth: number;
}

function toRecord(row: typeof rules.$inferSelect): RuleRecord | null {
	const def = ruleDefinitionSchema.safeParse(row.definition);
	// A definition that no longer parses (an older shape) is left out rather than run half-understood.
	if (!def.success) return null;
	return { id: row.id, boardId: row.boardId, name: row.name, enabled: row.enabled, definition: def.data, brokenReason: row.brokenReason, createdBy: row.createdBy, updatedAt: row.updatedAt };
}

/** A board's rules, oldest first. */
export async function listRules(db: Db, boardId: string): Promise<RuleRecord[]> {
	const rows = await db.select().from(rules).where(eq(rules.boardId, boardId)).orderBy(asc(rules.createdAt), asc(rules.id));
	return rows.map(toRecord).filter((r): r is RuleRecord => r !== null);
}

/** One rule of a board, or null. */
export async function findRule(db: Db, boardId: string, ruleId: string): Promise<RuleRecord | null> {
	const [row] = await db.select().from(rules).where(and(eq(rules.boardId, boardId), eq(rules.id, ruleId)));
	return row ? toRecord(row) : null;
}

/** Saves a new rule (switched off until its owner switches it on) or replaces one's name and definition; returns its id. */
export async function saveRule(db: Db, input: { boardId: string; ruleId?: string; name: string; definition: RuleDefinition; userId: string; enabled?: boolean }, now: Date): Promise<string> {
	if (input.ruleId) {
		await db
			.update(rules)
			.set({ name: input.name, definition: input.definition as unknown as Record<string, unknown>, brokenReason: null, updatedAt: now, ...(input.enabled === undefined ? {} : { enabled: input.enabled }) })
			.where(and(eq(rules.boardId, input.boardId), eq(rules.id, input.ruleId)));
		return input.ruleId;
	}
	const id = newId();
	await db.insert(rules).values({ id, boardId: input.boardId, name: input.name, enabled: input.enabled ?? false, definition: input.definition as unknown as Record<string, unknown>, createdBy: input.userId, createdAt: now, updatedAt: now });
	return id;
}

/** Switches a rule on or off (switching on clears nothing: a broken rule must be saved again to be sound). */
export async function setRuleEnabled(db: Db, boardId: string, ruleId: string, enabled: boolean, now: Date): Promise<void> {
	await db.update(rules).set({ enabled, updatedAt: now }).where(and(eq(rules.boardId, boardId), eq(rules.id, ruleId)));
}

/** Deletes a rule and its run log. */
export async function deleteRule(db: Db, boardId: string, ruleId: string): Promise<void> {
	await db.delete(rules).where(and(eq(rules.boardId, boardId), eq(rules.id, ruleId)));
}

/** Marks a rule broken and switches it off; resolves with whether it was sound until now (tell its owner once). */
export async function markBroken(db: Db, ruleId: string, reason: string, now: Date): Promise<boolean> {
	const changed = await db
		.update(rules)
		.set({ brokenReason: reason, enabled: false, updatedAt: now })
		.where(and(eq(rules.id, ruleId), eq(rules.enabled, true)))
		.returning({ id: rules.id });
	return changed.length > 0;
}

/** Adds a line to a rule's run log. */
export async function logRun(db: Db, run: Omit<RuleRun, 'id'> & { boardId: string }): Promise<void> {
	await db.insert(ruleRuns).values({ ruleId: run.ruleId, boardId: run.boardId, cardId: run.cardId, at: run.at, outcome: run.outcome, message: run.message.slice(0, 2000), depth: run.depth });
}

/** A rule's latest runs, newest first. */
export async function listRuns(db: Db, ruleId: string, limit = 50): Promise<RuleRun[]> {
	const rows = await db.select().from(ruleRuns).where(eq(ruleRuns.ruleId, ruleId)).orderBy(desc(ruleRuns.at), desc(ruleRuns.id)).limit(limit);
	return rows.map((r) => ({ id: r.id, ruleId: r.ruleId, cardId: r.cardId, at: r.at, outcome: r.outcome as RunOutcome, message: r.message, depth: r.depth }));
}

/** The board's members with their names. */
export async function boardMemberNames(db: Db, boardId: string): Promise<{ id: string; name: string; role: string }[]> {
	return db
		.select({ id: users.id, name: users.name, role: boardMembers.role })
		.from(boardMembers)
		.innerJoin(users, eq(users.id, boardMembers.userId))
		.where(eq(boardMembers.boardId, boardId))
		.orderBy(asc(users.name));
}

/** The board's team roles (by id) with their holders who are still members, holders in a stable order. */
export async function boardRoles(db: Db, boardId: string): Promise<{ id: string; name: string; holders: string[] }[]> {
	const roles = await db.select({ id: boardTeamRoles.id, name: boardTeamRoles.name }).from(boardTeamRoles).where(eq(boardTeamRoles.boardId, boardId)).orderBy(asc(boardTeamRoles.position), asc(boardTeamRoles.id));
	const holders = await db
		.select({ roleId: boardTeamRoleHolders.roleId, userId: boardTeamRoleHolders.userId })
		.from(boardTeamRoleHolders)
		.innerJoin(boardMembers, and(eq(boardMembers.boardId, boardTeamRoleHolders.boardId), eq(boardMembers.userId, boardTeamRoleHolders.userId)))
		.where(eq(boardTeamRoleHolders.boardId, boardId))
		.orderBy(asc(boardMembers.joinedAt), asc(boardTeamRoleHolders.userId));
	return roles.map((r) => ({ ...r, holders: holders.filter((h) => h.roleId === r.id).map((h) => h.userId) }));
}

/** Other boards `userId` may edit (owner or editor): where a linked card may go. */
export async function editableOtherBoards(db: Db, userId: string, exceptBoardId: string): Promise<{ id: string; name: string }[]> {
	return db
		.select({ id: boards.id, name: boards.name })
		.from(boardMembers)
		.innerJoin(boards, eq(boards.id, boardMembers.boardId))
		.where(and(eq(boardMembers.userId, userId), inArray(boardMembers.role, ['owner', 'editor']), ne(boards.id, exceptBoardId)))
		.orderBy(asc(boards.name));
}

/** Whether `userId` may edit `boardId` (owner or editor). */
export async function canEditOtherBoard(db: Db, userId: string | null, boardId: string): Promise<boolean> {
	if (!userId) return false;
	const [row] = await db.select({ role: boardMembers.role }).from(boardMembers).where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.userId, userId)));
	return row?.role === 'owner' || row?.role === 'editor';
}
