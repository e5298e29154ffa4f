import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, requireSameOrigin } from '$lib/server/http';
import { openAttachment, removeAttachment } from '$lib/server/attachments/service';
import { downloadHeaders } from '$lib/server/attachments/download-headers';

/** GET /api/boards/<id>/cards/<id>/attachments/<id> — the file (board members; anyone else 404), served so it never runs as a page. */
export const GET: RequestHandler = ({ locals, params }) =>
	jsonApi(async () => {
		if (!locals.user) error(404, 'This file does not exist.');
		const { attachment, body } = await openAttachment(locals.ctx, params.boardId, locals.user.id, params.cardId, params.attachmentId);
		return new Response(body, { headers: downloadHeaders(attachment) });
	});

/** DELETE /api/boards/<id>/cards/<id>/attachments/<id> — removes the file (its uploader or a board owner); answers 204. */
export const DELETE: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, params } = event;
		if (!locals.user) error(401, 'Log in to remove attachments.');
		requireSameOrigin(event);
		await removeAttachment(locals.ctx, params.boardId, locals.user.id, params.cardId, params.attachmentId);
		return new Response(null, { status: 204 });
	});
