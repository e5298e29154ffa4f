import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, requireSameOrigin } from '$lib/server/http';
import { openAttachment, removeAttachment } from '$lib/server/attachments/service';
import { downloadHeaders, thumbnailHeaders } from '$lib/server/attachments/download-headers';

/**
 * GET /api/boards/<id>/cards/<id>/attachments/<id>[?size=thumb] — the file, or with `size=thumb` an image's WebP
 * thumbnail (the file itself when it has none), for board members (anyone else 404), served so it never runs as a page.
 */
export const GET: RequestHandler = ({ locals, params, url }) =>
	jsonApi(async () => {
		if (!locals.user) error(404, 'This file does not exist.');
		const size = url.searchParams.get('size');
		if (size !== null && size !== 'thumb') error(400, 'Ask for `size=thumb` (the thumbnail), or leave `size` out for the file itself.');
		const opened = await openAttachment(locals.ctx, params.boardId, locals.user.id, params.cardId, params.attachmentId, size ? 'thumbnail' : 'file');
		const headers = opened.thumbnailSize === null ? downloadHeaders(opened.attachment) : thumbnailHeaders(opened.attachment, opened.thumbnailSize);
		return new Response(opened.body, { headers });
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
