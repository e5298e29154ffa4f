import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { formAction, orErrorPage, requireUser } from '$lib/server/http';
import { parseForm, ValidationError } from '$lib/server/validation';
import { DomainError } from '$lib/server/errors';
import { createEndpoint, deleteEndpoint, enableEndpoint, listDeliveries, listEndpoints, redeliver, requireWebhookOwner, sendTestEvent, webhookAdminDeps } from '$lib/server/webhooks/endpoints';
import { WEBHOOK_EVENT_KINDS, webhookEventKinds } from '$lib/webhooks/event-kinds';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { board } = await event.parent();
	const { db } = event.locals.ctx;
	// Members who are not owners get 403 (the layout already answered 404 to non-members).
	await orErrorPage(() => requireWebhookOwner(db, board.id, user.id));
	const endpoints = await listEndpoints(db, board.id, user.id);
	const deliveries = await listDeliveries(db, board.id, user.id);
	return {
		endpoints: endpoints.map((e) => ({ ...e, createdAt: e.createdAt.toISOString(), deliveries: (deliveries.get(e.id) ?? []).map((d) => ({ ...d, createdAt: d.createdAt.toISOString(), lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null })) })),
		kinds: webhookEventKinds.map((k) => ({ id: k, label: WEBHOOK_EVENT_KINDS[k] }))
	};
};

const idSchema = z.object({ id: z.string().min(1).max(64) });

async function begin(event: RequestEvent) {
	const user = requireUser(event);
	return { user, form: await event.request.formData(), deps: webhookAdminDeps(event.locals.ctx), boardId: event.params.boardId };
}

export const actions: Actions = {
	create: async (event) => {
		const { user, form, deps, boardId } = await begin(event);
		const url = String(form.get('url') ?? '').slice(0, 4000);
		const kinds = form.getAll('kinds').map(String).slice(0, 50);
		try {
			const { id, secret } = await createEndpoint(deps, boardId, user.id, { url, kinds });
			return { action: 'create', success: 'Endpoint added.', endpointId: id, secret };
		} catch (err) {
			// Every bad field at once, and the form refilled (kinds included) so nothing typed is lost.
			if (err instanceof ValidationError) return fail(400, { action: 'create', message: 'Check the highlighted fields: nothing was saved.', errors: err.fields, values: { url }, kinds });
			if (err instanceof DomainError) return formAction('create', form, () => Promise.reject(err));
			throw err;
		}
	},
	delete: async (event) => {
		const { user, form, deps, boardId } = await begin(event);
		return formAction('endpoint', form, async () => {
			const { id } = parseForm(idSchema, form);
			await deleteEndpoint(deps, boardId, user.id, id);
			return { action: 'endpoint', success: 'Endpoint deleted.' };
		});
	},
	enable: async (event) => {
		const { user, form, deps, boardId } = await begin(event);
		return formAction('endpoint', form, async () => {
			const { id } = parseForm(idSchema, form);
			await enableEndpoint(deps, boardId, user.id, id);
			return { action: 'endpoint', success: 'Endpoint enabled again.' };
		});
	},
	test: async (event) => {
		const { user, form, deps, boardId } = await begin(event);
		return formAction('endpoint', form, async () => {
			const { id } = parseForm(idSchema, form);
			await sendTestEvent(deps, boardId, user.id, id);
			return { action: 'endpoint', success: 'Test event queued: it appears in the delivery log.' };
		});
	},
	redeliver: async (event) => {
		const { user, form, deps, boardId } = await begin(event);
		return formAction('endpoint', form, async () => {
			const { id } = parseForm(idSchema, form);
			await redeliver(deps, boardId, user.id, id);
			return { action: 'endpoint', success: 'Delivery queued again.' };
		});
	}
};
