import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { boardViewPrefs } from '../db/schema/views.ts';
import { requireBoardAction } from '../boards/boards.ts';

/** The ways a board can be cut into swimlanes. */
export const LANE_MODES = ['none', 'owner', 'role', 'label', 'expedite'] as const;

/** How one person sees one board. */
export const viewPrefsSchema = z.object({
	lanes: z.enum(LANE_MODES, { message: 'Choose lanes by owner, team role, label, expedite or none.' }),
	unmatched: z.enum(['fade', 'hide'], { message: 'Cards that do not match either fade or hide.' }),
	collapsed: z.array(z.string().max(200)).max(200)
});

/** One person's view settings for a board. */
export type ViewPrefs = z.infer<typeof viewPrefsSchema>;

/** What a person who never chose sees. */
export const DEFAULT_VIEW_PREFS: ViewPrefs = { lanes: 'none', unmatched: 'fade', collapsed: [] };

/** The member's view settings for the board (defaults when they never chose). */
export async function readViewPrefs(db: Db, boardId: string, userId: string): Promise<ViewPrefs> {
	const [row] = await db.select().from(boardViewPrefs).where(and(eq(boardViewPrefs.boardId, boardId), eq(boardViewPrefs.userId, userId)));
	if (!row) return DEFAULT_VIEW_PREFS;
	const parsed = viewPrefsSchema.safeParse(row);
	return parsed.success ? parsed.data : DEFAULT_VIEW_PREFS;
}

/** Remembers the member's view settings for the board (members only; viewers too: it changes nothing shared). */
export async function saveViewPrefs(db: Db, boardId: string, userId: string, prefs: ViewPrefs): Promise<void> {
	await requireBoardAction(db, boardId, userId, 'view');
	await db
		.insert(boardViewPrefs)
		.values({ boardId, userId, ...prefs })
		.onConflictDoUpdate({ target: [boardViewPrefs.boardId, boardViewPrefs.userId], set: prefs });
}
