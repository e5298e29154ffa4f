import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { LIBRARY_TEMPLATES, libraryTemplate } from '$lib/board/templates/library/index';

/**
 * GET /api/templates — the process templates a signed-in user can start a board from: the built-in library
 * (the team's own saved templates come with "save a board as a template"). Each with its team roles and steps:
 * owner role, due offset from the target date and its unit, and whether the step needs a sign-off.
 */
export const GET: RequestHandler = ({ locals }) => {
	if (!locals.user) error(401, 'Log in to see the templates.');
	const templates = LIBRARY_TEMPLATES.map(({ id }) => {
		const template = libraryTemplate(id)!;
		return {
			id,
			source: 'built-in' as const,
			name: template.name,
			description: template.description,
			teamRoles: template.teamRoles,
			stages: template.stages.map((s) => ({
				key: s.key,
				name: s.name,
				kind: s.kind,
				ownerRole: s.step.ownerRole,
				offset: s.step.offset,
				unit: s.step.unit ?? template.timeUnit,
				approval: s.step.approval !== null
			}))
		};
	});
	return json({ templates }, { headers: { 'cache-control': 'private, no-store' } });
};
