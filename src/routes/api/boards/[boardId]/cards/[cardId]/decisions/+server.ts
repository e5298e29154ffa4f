import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, readJsonBody, requireSameOrigin } from '$lib/server/http';
import { decideOnCard } from '$lib/server/process/card-process';

/**
 * POST /api/boards/<id>/cards/<id>/decisions with `{ stageId, outcome: 'approve'|'changes'|'reject', comment }` — an
 * approver's sign-off decision, recorded by the server (members who may edit; viewers 403, others 404). Answers where
 * the sign-off stands: `{ status, approvals, needed }`; refusals answer `{ message }` and change nothing.
 */
export const POST: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, params, request } = event;
		if (!locals.user) error(401, 'Log in to sign off cards.');
		requireSameOrigin(event);
		const body = await readJsonBody(request);
		const { db, documents } = locals.ctx;
		return json(await decideOnCard(db, documents, params.boardId, locals.user.id, params.cardId, body), { headers: { 'cache-control': 'no-store' } });
	});
