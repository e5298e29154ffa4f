import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, requireUser } from '$lib/server/http';
import { createApiToken, listApiTokens, revokeApiToken } from '$lib/server/auth/api-tokens';
import { listBoardsForUser } from '$lib/server/boards/boards';
import { isCalendarDate } from '$lib/board/limits';
import type { FieldErrors } from '$lib/server/validation';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { db } = event.locals.ctx;
	const [tokens, boards] = await Promise.all([listApiTokens(db, user.id), listBoardsForUser(db, user.id)]);
	const iso = (d: Date | null) => d?.toISOString() ?? null;
	return {
		tokens: tokens.map((t) => ({ ...t, expiresAt: iso(t.expiresAt), createdAt: t.createdAt.toISOString(), lastUsedAt: iso(t.lastUsedAt), revokedAt: iso(t.revokedAt) })),
		boards: boards.map(({ id, name }) => ({ id, name })),
		now: event.locals.ctx.clock.now().toISOString()
	};
};

export const actions: Actions = {
	create: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const { db, clock } = event.locals.ctx;
		const expires = String(form.get('expires') ?? '').trim();
		if (expires && !isCalendarDate(expires)) return fail(400, { action: 'create', message: 'Use a real date for the expiry, or leave it empty.', errors: { expires: 'Use a real date like 2026-12-31.' } as FieldErrors, values: { name: String(form.get('name') ?? '') } });
		const which = String(form.get('reach') ?? 'all');
		return formAction('create', form, async () => {
			const created = await createApiToken(
				db,
				user.id,
				{
					name: String(form.get('name') ?? ''),
					scope: form.get('scope') === 'write' ? 'write' : 'read',
					boards: which === 'all' ? 'all' : form.getAll('board').map(String),
					// The end of the chosen day in UTC: the token works through that whole day everywhere.
					expiresAt: expires ? new Date(`${expires}T23:59:59.999Z`) : null
				},
				clock.now()
			);
			return { action: 'create', created: { token: created.token, name: created.summary.name } };
		});
	},
	revoke: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const { db, clock } = event.locals.ctx;
		return formAction('revoke', form, async () => {
			await revokeApiToken(db, user.id, String(form.get('id') ?? ''), clock.now());
			return { action: 'revoke', success: 'Token revoked. Programs using it are refused from now on.' };
		});
	}
};
