import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { boards } from '../db/schema/boards.ts';
import { parseBody } from '../validation.ts';
import { requireProcessOwner } from './owner.ts';

/** What `PUT …/process/target` accepts: the compliance target in whole per cent. */
export const complianceTargetSchema = z.strictObject({
	percent: z
		.number({ error: 'Give the target as a number of per cent, like 95.' })
		.int({ error: 'Give the target as a whole number of per cent, like 95.' })
		.min(1, { error: 'The target must be at least 1 %.' })
		.max(100, { error: 'The target cannot be more than 100 %.' })
});

/** Sets the board's compliance target (owners and the process owner only); a bad value is refused and nothing changes. */
export async function setComplianceTarget(db: Db, boardId: string, userId: string, body: unknown): Promise<number> {
	await requireProcessOwner(db, boardId, userId);
	const { percent } = parseBody(complianceTargetSchema, body);
	await db.update(boards).set({ complianceTargetPercent: percent }).where(eq(boards.id, boardId));
	return percent;
}
