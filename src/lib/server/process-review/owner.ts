import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { boards } from '../db/schema/boards.ts';
import { DomainError } from '../errors.ts';
import { requireBoardAction } from '../boards/boards.ts';

/** The board's process settings the review reads: its compliance target (a share) and the template it came from. */
export async function readProcessSettings(db: Db, boardId: string): Promise<{ target: number; templateId: string | null; processOwnerId: string | null }> {
	const [row] = await db.select({ percent: boards.complianceTargetPercent, templateId: boards.templateId, processOwnerId: boards.processOwnerId }).from(boards).where(eq(boards.id, boardId));
	return { target: (row?.percent ?? 95) / 100, templateId: row?.templateId ?? null, processOwnerId: row?.processOwnerId ?? null };
}

/**
 * Refuses anyone but the board's owners and its process owner: not_found for non-members (a board they may not see),
 * forbidden with a message for other members. The people who own the process are the ones who change it.
 */
export async function requireProcessOwner(db: Db, boardId: string, userId: string): Promise<void> {
	const access = await requireBoardAction(db, boardId, userId, 'view');
	if (access.role === 'owner') return;
	const { processOwnerId } = await readProcessSettings(db, boardId);
	if (processOwnerId !== userId) throw new DomainError('forbidden', 'Only the board’s owners and its process owner can change its process targets and step allowances.');
}

/** Whether `userId` (a member) may change the board's process settings. */
export async function mayChangeProcess(db: Db, boardId: string, userId: string): Promise<boolean> {
	try {
		await requireProcessOwner(db, boardId, userId);
		return true;
	} catch (err) {
		if (err instanceof DomainError) return false;
		throw err;
	}
}
