import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { cardComments } from '../db/schema/comments.ts';
import { users } from '../db/schema/accounts.ts';
import { DomainError } from '../errors.ts';
import { newId } from '../ids.ts';
import { insertActivity } from '../activity/write.ts';
import { removeSearchEntries, upsertSearchEntry } from '../search/projection.ts';
import { findMentions } from '../../comments/mentions.ts';
import { boardPeople, requireCard, type CardSideDeps } from './card-access.ts';

// The one module that creates, edits and deletes comments: anything that must follow a comment's text (a search
// index, say) hooks in here, next to the activity entry each change writes.

/** Longest comment body, in characters. */
export const MAX_COMMENT_LENGTH = 10_000;
/** Most comments one card's list returns (the oldest beyond that are not shown). */
const LIST_LIMIT = 1_000;
/** How much of a comment a mention's notification quotes. */
const EXCERPT = 200;

/** One comment as the card's list shows it. */
export interface CommentView {
	id: string;
	cardId: string;
	authorId: string;
	/** The author's name, or "someone who left" for a deleted account. */
	author: string;
	body: string;
	createdAt: string;
	editedAt: string | null;
	/** The viewer wrote it (so may edit or delete it). */
	mine: boolean;
}

const bodySchema = z.strictObject({
	body: z
		.string('Write the comment as text.')
		.transform((s) => s.replaceAll('\u0000', '').trim())
		.pipe(z.string().min(1, 'Write something before posting the comment.').max(MAX_COMMENT_LENGTH, `Keep a comment under ${MAX_COMMENT_LENGTH.toLocaleString('en')} characters.`))
});

/** Parses `{ body }`; a clear message for anything else. */
export function parseCommentInput(input: unknown): { body: string } {
	const parsed = bodySchema.safeParse(input);
	if (!parsed.success) throw new DomainError('invalid_input', parsed.error.issues[0]?.message ?? 'Send { "body": "…" }.', 'body');
	return parsed.data;
}

/** A card's comments, oldest first (any member, viewers included). */
export async function listComments(deps: CardSideDeps, boardId: string, userId: string, cardId: string): Promise<CommentView[]> {
	await requireCard(deps, boardId, userId, cardId, 'view');
	const rows = await deps.db
		.select({ c: cardComments, author: users.name })
		.from(cardComments)
		.leftJoin(users, eq(users.id, cardComments.authorId))
		.where(and(eq(cardComments.boardId, boardId), eq(cardComments.cardId, cardId)))
		.orderBy(asc(cardComments.createdAt), asc(cardComments.id))
		.limit(LIST_LIMIT);
	return rows.map(({ c, author }) => view(c, author, userId));
}

/** Posts a comment (members who may edit); everyone it `@mentions` is told. Unknown mentions refuse it, storing nothing. */
export async function addComment(deps: CardSideDeps, boardId: string, userId: string, cardId: string, input: unknown): Promise<CommentView> {
	const { body } = parseCommentInput(input);
	const { access, title } = await requireCard(deps, boardId, userId, cardId, 'edit_content');
	const people = await boardPeople(deps.db, boardId);
	const mentioned = resolveMentions(body, people);
	const now = deps.clock.now();
	const row = { id: newId(), boardId, cardId, authorId: userId, body, createdAt: now, editedAt: null };
	await deps.db.transaction(async (tx) => {
		await tx.insert(cardComments).values(row);
		// The search projection follows in the same transaction: a comment is findable exactly while it exists.
		await upsertSearchEntry(tx as unknown as Db, { boardId, cardId, source: 'comment', sourceId: row.id, title: '', body });
		await insertActivity(tx as unknown as Db, [{ boardId, at: now, actorId: userId, kind: 'comment_added', cardId, stageId: null, data: { commentId: row.id } }]);
	});
	const author = people.find((p) => p.id === userId)?.name ?? 'Someone';
	await notifyMentioned(deps, { boardId, boardName: access.name, cardId, cardTitle: title, commentId: row.id, author, authorId: userId, body }, mentioned);
	deps.cardHub.publish(boardId, { cardId, what: 'comments' });
	return view(row, author, userId);
}

/** Changes the text of one's own comment (marked edited); people it newly mentions are told. */
export async function editComment(deps: CardSideDeps, boardId: string, userId: string, cardId: string, commentId: string, input: unknown): Promise<CommentView> {
	const { body } = parseCommentInput(input);
	const { access, title } = await requireCard(deps, boardId, userId, cardId, 'edit_content');
	const before = await ownComment(deps.db, boardId, cardId, commentId, userId, 'edit');
	const people = await boardPeople(deps.db, boardId);
	const author = people.find((p) => p.id === userId)?.name ?? 'Someone';
	if (before.body === body) return view(before, author, userId);
	const mentioned = resolveMentions(body, people);
	const now = deps.clock.now();
	await deps.db.transaction(async (tx) => {
		await tx.update(cardComments).set({ body, editedAt: now }).where(eq(cardComments.id, commentId));
		await upsertSearchEntry(tx as unknown as Db, { boardId, cardId, source: 'comment', sourceId: commentId, title: '', body });
		await insertActivity(tx as unknown as Db, [{ boardId, at: now, actorId: userId, kind: 'comment_edited', cardId, stageId: null, data: { commentId } }]);
	});
	// A notification is keyed by comment: whoever the earlier text already mentioned is not told twice.
	await notifyMentioned(deps, { boardId, boardName: access.name, cardId, cardTitle: title, commentId, author, authorId: userId, body }, mentioned);
	deps.cardHub.publish(boardId, { cardId, what: 'comments' });
	return view({ ...before, body, editedAt: now }, author, userId);
}

/** Deletes one's own comment for good (the activity keeps that it was deleted, not what it said). */
export async function deleteComment(deps: CardSideDeps, boardId: string, userId: string, cardId: string, commentId: string): Promise<void> {
	await requireCard(deps, boardId, userId, cardId, 'edit_content');
	await ownComment(deps.db, boardId, cardId, commentId, userId, 'delete');
	const now = deps.clock.now();
	await deps.db.transaction(async (tx) => {
		await tx.delete(cardComments).where(eq(cardComments.id, commentId));
		await removeSearchEntries(tx as unknown as Db, { boardId, source: 'comment', sourceId: commentId });
		await insertActivity(tx as unknown as Db, [{ boardId, at: now, actorId: userId, kind: 'comment_deleted', cardId, stageId: null, data: { commentId } }]);
	});
	deps.cardHub.publish(boardId, { cardId, what: 'comments' });
}

type CommentRow = typeof cardComments.$inferSelect;

async function ownComment(db: Db, boardId: string, cardId: string, commentId: string, userId: string, verb: 'edit' | 'delete'): Promise<CommentRow> {
	const [row] = await db
		.select()
		.from(cardComments)
		.where(and(eq(cardComments.id, commentId), eq(cardComments.boardId, boardId), eq(cardComments.cardId, cardId)));
	if (!row) throw new DomainError('not_found', 'This comment does not exist (it may have been deleted).');
	if (row.authorId !== userId) throw new DomainError('forbidden', `You can only ${verb} your own comments.`);
	return row;
}

/** The members a body mentions; a mention of nobody on the board (or of several people at once) refuses the comment. */
function resolveMentions(body: string, people: { id: string; name: string }[]): string[] {
	const { userIds, unknown, ambiguous } = findMentions(body, people);
	if (unknown.length > 0) {
		const who = unknown.join(', ');
		throw new DomainError('invalid_input', `${who} ${unknown.length === 1 ? 'is' : 'are'} not on this board. Mention members by their name (for example @${people[0]?.name ?? 'Name'}), or remove the @.`, 'body');
	}
	if (ambiguous.length > 0) throw new DomainError('invalid_input', `${ambiguous.join(', ')} could be more than one member. Write their full name after the @.`, 'body');
	return userIds;
}

interface MentionContext {
	boardId: string;
	boardName: string;
	cardId: string;
	cardTitle: string;
	commentId: string;
	author: string;
	authorId: string;
	body: string;
}

async function notifyMentioned(deps: CardSideDeps, c: MentionContext, userIds: string[]): Promise<void> {
	for (const userId of userIds) {
		if (userId === c.authorId) continue;
		await deps.notify({
			userId,
			kind: 'mention',
			title: `${c.author} mentioned you in “${c.cardTitle}” on ${c.boardName}`,
			body: c.body.length > EXCERPT ? `${c.body.slice(0, EXCERPT)}…` : c.body,
			boardId: c.boardId,
			cardId: c.cardId,
			data: { cardId: c.cardId, cardTitle: c.cardTitle, commentId: c.commentId },
			key: `mention:${c.commentId}`
		});
	}
}

function view(row: CommentRow, author: string | null, viewerId: string): CommentView {
	return {
		id: row.id,
		cardId: row.cardId,
		authorId: row.authorId,
		author: author ?? 'someone who left',
		body: row.body,
		createdAt: row.createdAt.toISOString(),
		editedAt: row.editedAt?.toISOString() ?? null,
		mine: row.authorId === viewerId
	};
}
