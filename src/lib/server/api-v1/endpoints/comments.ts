import { z } from 'zod';
import { addComment, deleteComment, editComment, listComments, MAX_COMMENT_LENGTH } from '../../comments/service.ts';
import { defineEndpoint } from '../endpoint.ts';
import { pageOf, pageQuery, pageSchema } from '../pagination.ts';
import { cardParams, idSchema } from '../schemas.ts';

const commentSchema = z.object({
	id: z.string(),
	cardId: z.string(),
	authorId: z.string(),
	author: z.string(),
	body: z.string().describe('Markdown.'),
	createdAt: z.string(),
	editedAt: z.string().nullable(),
	mine: z.boolean().describe('The token’s owner wrote it (and so may edit or delete it).')
});
const commentBody = z.strictObject({ body: z.string().trim().min(1, 'Write something before posting the comment.').max(MAX_COMMENT_LENGTH).describe('Markdown; `@Name` mentions notify those members.') });
const commentParams = z.object({ boardId: idSchema, cardId: idSchema, commentId: idSchema });

/** GET /boards/{boardId}/cards/{cardId}/comments. */
export const listCardComments = defineEndpoint({
	method: 'GET',
	path: '/boards/{boardId}/cards/{cardId}/comments',
	operationId: 'listComments',
	tag: 'Comments',
	summary: 'List a card’s comments, oldest first',
	scope: 'read',
	params: cardParams,
	query: z.object(pageQuery),
	responses: { 200: { description: 'A page of comments.', schema: pageSchema(commentSchema) } },
	async handler({ ctx, board, user, params, query }) {
		const comments = await listComments(ctx, board.id, user.id, params.cardId);
		return { status: 200, body: pageOf(comments, (c) => [c.createdAt, c.id], query) };
	}
});

/** POST /boards/{boardId}/cards/{cardId}/comments. */
export const postComment = defineEndpoint({
	method: 'POST',
	path: '/boards/{boardId}/cards/{cardId}/comments',
	operationId: 'postComment',
	tag: 'Comments',
	summary: 'Comment on a card',
	description: 'A mention of someone who is not on the board refuses the comment (422) and stores nothing.',
	scope: 'write',
	params: cardParams,
	body: commentBody,
	responses: { 201: { description: 'The comment.', schema: commentSchema } },
	async handler({ ctx, board, user, params, body }) {
		return { status: 201, body: await addComment(ctx, board.id, user.id, params.cardId, body) };
	}
});

/** PATCH /boards/{boardId}/cards/{cardId}/comments/{commentId}. */
export const editCardComment = defineEndpoint({
	method: 'PATCH',
	path: '/boards/{boardId}/cards/{cardId}/comments/{commentId}',
	operationId: 'editComment',
	tag: 'Comments',
	summary: 'Edit one of your own comments',
	scope: 'write',
	params: commentParams,
	body: commentBody,
	responses: { 200: { description: 'The comment, marked edited.', schema: commentSchema } },
	async handler({ ctx, board, user, params, body }) {
		return { status: 200, body: await editComment(ctx, board.id, user.id, params.cardId, params.commentId, body) };
	}
});

/** DELETE /boards/{boardId}/cards/{cardId}/comments/{commentId}. */
export const deleteCardComment = defineEndpoint({
	method: 'DELETE',
	path: '/boards/{boardId}/cards/{cardId}/comments/{commentId}',
	operationId: 'deleteComment',
	tag: 'Comments',
	summary: 'Delete one of your own comments',
	scope: 'write',
	params: commentParams,
	responses: { 204: { description: 'Deleted.' } },
	async handler({ ctx, board, user, params }) {
		await deleteComment(ctx, board.id, user.id, params.cardId, params.commentId);
		return { status: 204 };
	}
});
