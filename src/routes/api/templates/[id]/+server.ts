import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { exportTemplate } from '$lib/board/templates/template-json';
import { attachmentDisposition } from '$lib/server/content-disposition';
import { deleteTemplate, getTemplate } from '$lib/server/templates/templates';
import { templateFileName } from '$lib/server/templates/summary';
import { templateApi } from '$lib/server/templates/http';
import { requireSameOrigin } from '$lib/server/http';

/** GET /api/templates/<id> — one template (built-in or the team's) as a template file to download. */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401, 'Log in to export a template.');
	const { db } = locals.ctx;
	return templateApi(async () => {
		const { template } = await getTemplate(db, params.id);
		return new Response(exportTemplate(template), {
			headers: {
				'content-type': 'application/json; charset=utf-8',
				'content-disposition': attachmentDisposition(templateFileName(template.name)),
				'cache-control': 'private, no-store'
			}
		});
	});
};

/** DELETE /api/templates/<id> — deletes a team template; only the person who saved it may (403 otherwise). */
export const DELETE: RequestHandler = async (event) => {
	const { locals, params } = event;
	if (!locals.user) error(401, 'Log in to delete a template.');
	requireSameOrigin(event);
	const userId = locals.user.id;
	const { db } = locals.ctx;
	return templateApi(async () => {
		await deleteTemplate(db, userId, params.id);
		return new Response(null, { status: 204 });
	});
};
