import { and, asc, eq, or } from 'drizzle-orm';
import { z } from 'zod';
import { parseFilter } from '$lib/board/filter/syntax';
import type { Db } from '../db/client.ts';
import { savedViews } from '../db/schema/views.ts';
import { requireBoardAction } from '../boards/boards.ts';
import { can } from '../auth/permissions.ts';
import { DomainError } from '../errors.ts';
import { newId } from '../ids.ts';

/** A saved view as the board lists it. */
export interface SavedView {
	id: string;
	name: string;
	query: string;
	shared: boolean;
	ownerId: string;
	/** Whether the asking member may delete it (their own, or a shared one when they own the board). */
	deletable: boolean;
}

/** How many views one person may keep on one board (shared ones included). */
export const MAX_VIEWS_PER_PERSON = 50;

/** The form or API body of a new view. */
export const newViewSchema = z.object({
	name: z.string().trim().min(1, 'Name the view.').max(60, 'Keep the name under 60 characters.'),
	query: z.string().trim().min(1, 'A view needs a filter: type one first.').max(500, 'That filter is too long (at most 500 characters).'),
	shared: z.boolean().default(false)
});

/** The views a member sees on a board: their own and the shared ones, by name. */
export async function listSavedViews(db: Db, boardId: string, userId: string): Promise<SavedView[]> {
	const access = await requireBoardAction(db, boardId, userId, 'view');
	const rows = await db
		.select()
		.from(savedViews)
		.where(and(eq(savedViews.boardId, boardId), or(eq(savedViews.ownerId, userId), eq(savedViews.shared, true))))
		.orderBy(asc(savedViews.name), asc(savedViews.id));
	return rows.map((r) => ({ id: r.id, name: r.name, query: r.query, shared: r.shared, ownerId: r.ownerId, deletable: r.ownerId === userId || (r.shared && access.role === 'owner') }));
}

/**
 * Saves a view. Anyone on the board may keep personal views; sharing one with the board needs edit rights. A query
 * the filter language cannot read is refused (whether its names exist is the board's business at the time of use).
 */
export async function createSavedView(db: Db, boardId: string, userId: string, input: z.infer<typeof newViewSchema>, now: Date): Promise<SavedView> {
	const access = await requireBoardAction(db, boardId, userId, 'view');
	if (input.shared && !can(access.role, 'edit_content')) throw new DomainError('forbidden', 'Viewers can save views for themselves only.', 'shared');
	const parsed = parseFilter(input.query);
	if (!parsed.ok) throw new DomainError('invalid_input', `The filter has a mistake: ${parsed.error.message}`, 'query');
	const mine = await db.select({ id: savedViews.id, name: savedViews.name }).from(savedViews).where(and(eq(savedViews.boardId, boardId), eq(savedViews.ownerId, userId)));
	if (mine.length >= MAX_VIEWS_PER_PERSON) throw new DomainError('invalid_input', `You already keep ${MAX_VIEWS_PER_PERSON} views on this board. Delete one first.`, 'name');
	if (mine.some((v) => v.name.toLocaleLowerCase() === input.name.toLocaleLowerCase())) throw new DomainError('invalid_input', `You already have a view called “${input.name}”.`, 'name');
	const row = { id: newId(), boardId, ownerId: userId, name: input.name, query: input.query, shared: input.shared, createdAt: now };
	await db.insert(savedViews).values(row);
	return { id: row.id, name: row.name, query: row.query, shared: row.shared, ownerId: userId, deletable: true };
}

/** Deletes a view: its owner may, and the board's owners may remove a shared one. Others get "not found". */
export async function deleteSavedView(db: Db, boardId: string, userId: string, viewId: string): Promise<void> {
	const access = await requireBoardAction(db, boardId, userId, 'view');
	const [view] = await db.select().from(savedViews).where(and(eq(savedViews.id, viewId), eq(savedViews.boardId, boardId)));
	if (!view || (view.ownerId !== userId && !view.shared)) throw new DomainError('not_found', 'That view does not exist.');
	if (view.ownerId !== userId && access.role !== 'owner') throw new DomainError('forbidden', 'Only its author or a board owner can delete a shared view.');
	await db.delete(savedViews).where(eq(savedViews.id, viewId));
}
