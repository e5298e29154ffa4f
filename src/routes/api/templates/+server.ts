import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { parseTemplateJson } from '$lib/board/templates/template-json';
import { getTemplate, listTemplates, saveTemplate, TemplateProblemsError } from '$lib/server/templates/templates';
import { summarizeTemplate } from '$lib/server/templates/summary';
import { privateJson, templateApi } from '$lib/server/templates/http';
import { requireSameOrigin } from '$lib/server/http';

/**
 * GET /api/templates — the process templates a signed-in user can start a board from: the built-in library, then the
 * team's own (`source: 'builtin' | 'team'`). Each with its team roles and steps: owner role, due offset from the
 * target date and its unit, and whether the step needs a sign-off.
 */
export const GET: RequestHandler = async ({ locals }) => {
	if (!locals.user) error(401, 'Log in to see the templates.');
	const userId = locals.user.id;
	const templates = (await listTemplates(locals.ctx.db)).map((entry) => summarizeTemplate(entry, userId));
	return privateJson({ templates });
};

/**
 * POST /api/templates — imports a template file (the request body is the file's text) as a team template. 201 with
 * the template; 400 with `{ problems: [{ path, message }] }` listing every problem, and nothing stored.
 */
export const POST: RequestHandler = async (event) => {
	const { locals, request } = event;
	if (!locals.user) error(401, 'Log in to import a template.');
	requireSameOrigin(event);
	const userId = locals.user.id;
	const { db, clock } = locals.ctx;
	return templateApi(async () => {
		const parsed = parseTemplateJson(await request.text());
		if (!parsed.ok) throw new TemplateProblemsError(parsed.problems);
		const id = await saveTemplate(db, userId, parsed.template, clock.now());
		return privateJson({ template: summarizeTemplate(await getTemplate(db, id), userId) }, 201);
	});
};
