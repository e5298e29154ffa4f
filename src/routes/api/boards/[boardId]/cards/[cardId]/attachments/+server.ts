import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, requireSameOrigin } from '$lib/server/http';
import { listAttachments, uploadAttachment } from '$lib/server/attachments/service';

const noStore = { 'cache-control': 'no-store' };

/** GET /api/boards/<id>/cards/<id>/attachments — the card's files, oldest first: `{ attachments: [...], maxBytes }`. */
export const GET: RequestHandler = ({ locals, params }) =>
	jsonApi(async () => {
		if (!locals.user) error(401, 'Log in to see attachments.');
		const attachments = await listAttachments(locals.ctx, params.boardId, locals.user.id, params.cardId);
		return json({ attachments, maxBytes: locals.ctx.uploads.maxBytes }, { headers: noStore });
	});

/**
 * POST /api/boards/<id>/cards/<id>/attachments?name=<file name> with the file's bytes as the body (any Content-Type;
 * the type is found from the bytes) — attaches a file (members who may edit). 413 past the size limit (told by
 * Content-Length before anything is read, or by counting) and for an image over 100 megapixels, 415 for a kind cards
 * do not take or bytes that are not what the name says; nothing is stored then. Answers 201 with the attachment (an
 * image with its thumbnail made).
 */
export const POST: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, params, request, url } = event;
		if (!locals.user) error(401, 'Log in to attach files.');
		requireSameOrigin(event);
		const length = request.headers.get('content-length');
		const contentLength = length !== null && /^\d+$/.test(length) ? Number(length) : null;
		const attachment = await uploadAttachment(locals.ctx, params.boardId, locals.user.id, params.cardId, { fileName: url.searchParams.get('name'), contentLength, body: request.body });
		return json(attachment, { status: 201, headers: noStore });
	});
