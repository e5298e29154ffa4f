import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { boardMembers, boards } from '../db/schema/boards.ts';
import { users } from '../db/schema/accounts.ts';
import { readReminderSettings, type ReminderSettings } from '../../notifications/reminder-settings.ts';

/** What notifications need to know about a board from the database. */
export interface BoardNotice {
	name: string;
	settings: ReminderSettings;
	/** Who hears about the process's problems: the process owner, or the board's owners when it has none. */
	processOwners: string[];
}

/** The board's name, reminder settings and process owner(s); null when the board is gone. */
export async function readBoardNotice(db: Db, boardId: string): Promise<BoardNotice | null> {
	const [row] = await db
		.select({ name: boards.name, reminderHours: boards.reminderHours, blockedAlertHours: boards.blockedAlertHours, processOwnerId: boards.processOwnerId })
		.from(boards)
		.where(eq(boards.id, boardId));
	if (!row) return null;
	let processOwners: string[] = [];
	if (row.processOwnerId) {
		// A process owner who has since left the board is no longer told about it.
		const [member] = await db.select({ userId: boardMembers.userId }).from(boardMembers).where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.userId, row.processOwnerId)));
		if (member) processOwners = [member.userId];
	}
	if (processOwners.length === 0) {
		const owners = await db.select({ userId: boardMembers.userId }).from(boardMembers).where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.role, 'owner')));
		processOwners = owners.map((o) => o.userId).sort();
	}
	return { name: row.name, settings: readReminderSettings(row), processOwners };
}

/** Which of `userIds` are members of the board now (a person who left hears nothing more about it). */
export async function membersAmong(db: Db, boardId: string, userIds: readonly string[]): Promise<string[]> {
	if (userIds.length === 0) return [];
	const rows = await db.select({ userId: boardMembers.userId }).from(boardMembers).where(eq(boardMembers.boardId, boardId));
	const members = new Set(rows.map((r) => r.userId));
	return [...new Set(userIds)].filter((id) => members.has(id));
}

/** A person's display name (for "Sam assigned you …"), or null. */
export async function userName(db: Db, userId: string | null): Promise<string | null> {
	if (!userId) return null;
	const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, userId));
	return row?.name ?? null;
}
