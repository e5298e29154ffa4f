import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { jsonApi, readJsonBody, requireSameOrigin } from '$lib/server/http';
import { setComplianceTarget } from '$lib/server/process-review/compliance';

/** PUT /api/boards/<id>/process/target with `{ percent }` — the board's compliance target (owners and the process owner). */
export const PUT: RequestHandler = (event) =>
	jsonApi(async () => {
		const { locals, params, request } = event;
		if (!locals.user) error(401, 'Log in first.');
		requireSameOrigin(event);
		const percent = await setComplianceTarget(locals.ctx.db, params.boardId, locals.user.id, await readJsonBody(request));
		return json({ percent }, { headers: { 'cache-control': 'no-store' } });
	});
