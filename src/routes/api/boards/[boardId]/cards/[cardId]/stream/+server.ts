import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi } from '$lib/server/http';
import { requireCard } from '$lib/server/comments/card-access';
import { cardStream } from '$lib/server/comments/card-stream';

/** GET /api/boards/<id>/cards/<id>/stream — Server-Sent Events: `event: card` each time the card's comments or files change (any member). */
export const GET: RequestHandler = ({ locals, params, request }) =>
	jsonApi(async () => {
		if (!locals.user) error(401, 'Log in to follow this card.');
		await requireCard(locals.ctx, params.boardId, locals.user.id, params.cardId, 'view');
		return cardStream(locals.ctx.cardHub, params.boardId, params.cardId, request.signal);
	});
