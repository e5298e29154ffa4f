import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createBoard, listBoardsForUser } from '$lib/server/boards/boards';
import { boardCreateKeys, requireRateSlots } from '$lib/server/auth/rate-limit';
import { formAction, requireUser, retryAfterOnThrottle } from '$lib/server/http';
import { boardNameSchema, parseForm } from '$lib/server/validation';
import { DomainError } from '$lib/server/errors';
import { getTemplate, listTemplates, TemplateProblemsError } from '$lib/server/templates/templates';
import { createBoardFromTemplate, listCollaborators } from '$lib/server/templates/new-board';
import { summarizeTemplate } from '$lib/server/templates/summary';
import type { Db } from '$lib/server/db/client';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) return { boards: null, templates: [], people: [] };
	const { db } = locals.ctx;
	const userId = locals.user.id;
	const [boards, templates, people] = await Promise.all([listBoardsForUser(db, userId), listTemplates(db), listCollaborators(db, userId)]);
	return { boards, templates: templates.map((t) => summarizeTemplate(t, userId)), people };
};

/** The "New board" choice that means the default five stages, no template. */
const BLANK = 'blank';

export const actions: Actions = {
	create: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const { db, clock } = event.locals.ctx;
		const templateId = String(form.get('template') ?? BLANK);
		// Each team role's holders arrive as `role-<n>` (n: the role's place in the template), several values each.
		const picked = (n: number) => form.getAll(`role-${n}`).map(String).filter((v) => v.length > 0 && v.length <= 64);
		const result = await formAction('create', form, () =>
			retryAfterOnThrottle(event, async () => {
				const { name } = parseForm(boardNameSchema, form);
				const template = templateId === BLANK ? null : await chosenTemplate(db, templateId);
				const keys = boardCreateKeys(user.id, event.getClientAddress(), event.locals.limits);
				await requireRateSlots(db, keys, clock.now(), (wait) => `You have created many boards in a short time. Try again in ${wait}.`, 'name');
				if (!template) return { boardId: await createBoard(db, user.id, name, clock.now()) };
				const roleHolders = Object.fromEntries(template.teamRoles.map((role, n) => [role, picked(n)]));
				const timeZone = String(form.get('timeZone') ?? '').trim();
				try {
					return { boardId: await createBoardFromTemplate(db, user.id, { name, template, timeZone, roleHolders, templateId }, clock.now()) };
				} catch (err) {
					if (!(err instanceof TemplateProblemsError)) throw err;
					// A team template stored by an older version that today's rules refuse: say what is wrong with it.
					return fail(400, { action: 'create', message: err.message, errors: { template: err.message }, values: { name, template: templateId }, problems: err.problems });
				}
			})
		);
		if ('boardId' in result) redirect(303, `/b/${result.boardId}`);
		return result;
	}
};

/** The template picked in the form; one deleted since the page loaded is an inline error, not a missing page. */
async function chosenTemplate(db: Db, id: string) {
	try {
		return (await getTemplate(db, id)).template;
	} catch (err) {
		if (err instanceof DomainError && err.code === 'not_found') throw new DomainError('invalid_input', 'That template no longer exists: pick another one.', 'template');
		throw err;
	}
}
