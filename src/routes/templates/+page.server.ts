import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/http';
import { DomainError, statusForCode } from '$lib/server/errors';
import { parseTemplateJson, FILE_PATH } from '$lib/board/templates/template-json';
import { TEMPLATE_LIMITS } from '$lib/board/templates/template-limits';
import { deleteTemplate, listTemplates, saveTemplate, TemplateProblemsError } from '$lib/server/templates/templates';
import { summarizeTemplate } from '$lib/server/templates/summary';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const templates = await listTemplates(event.locals.ctx.db);
	return { templates: templates.map((t) => summarizeTemplate(t, user.id)) };
};

/** A file bigger than this cannot hold a template of at most `jsonChars` characters (4 bytes a character at worst). */
const MAX_FILE_BYTES = TEMPLATE_LIMITS.jsonChars * 4;

export const actions: Actions = {
	/** Imports a template from an uploaded file or pasted JSON; every problem is listed by path and nothing is stored. */
	import: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const { db, clock } = event.locals.ctx;
		const file = form.get('file');
		const pasted = String(form.get('json') ?? '');
		const hasFile = file instanceof File && file.size > 0;
		if (!hasFile && pasted.trim() === '') return fail(400, { action: 'import', problems: [{ path: FILE_PATH, message: 'is empty: choose a template file or paste its JSON' }] });
		if (hasFile && file.size > MAX_FILE_BYTES) return fail(400, { action: 'import', problems: [{ path: FILE_PATH, message: `is too large: at most ${TEMPLATE_LIMITS.jsonChars.toLocaleString('en')} characters` }] });
		const text = hasFile ? await file.text() : pasted;
		const parsed = parseTemplateJson(text);
		if (!parsed.ok) return fail(400, { action: 'import', problems: parsed.problems });
		try {
			await saveTemplate(db, user.id, parsed.template, clock.now());
		} catch (err) {
			if (err instanceof TemplateProblemsError) return fail(400, { action: 'import', problems: err.problems });
			throw err;
		}
		return { action: 'import', success: `Imported “${parsed.template.name}”.` };
	},
	delete: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		try {
			await deleteTemplate(event.locals.ctx.db, user.id, String(form.get('id') ?? '').slice(0, 64));
		} catch (err) {
			// Shown next to the list (a template deleted meanwhile is not a missing page).
			if (err instanceof DomainError) return fail(statusForCode[err.code], { action: 'delete', message: err.message });
			throw err;
		}
		return { action: 'delete', success: 'Template deleted.' };
	}
};
