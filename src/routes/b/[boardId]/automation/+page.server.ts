import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { formAction, orErrorPage, requireUser } from '$lib/server/http';
import { dryRunFromForm, listRulesForOwner, removeRule, ruleFormOptions, runLog, saveRuleFromForm, switchRule } from '$lib/server/rules/service';
import { builtInRules, setBuiltInHandoff } from '$lib/server/rules/built-in';
import { parseForm } from '$lib/server/validation';
import { cardTitles } from '$lib/server/activity/feed';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { board } = await event.parent();
	// Rules are board settings: the owner's alone.
	if (board.role !== 'owner') error(403, 'Only the board’s owner can see and change its automation rules.');
	const ctx = event.locals.ctx;
	const options = await ruleFormOptions(ctx, board.id, user.id);
	const rules = await orErrorPage(() => listRulesForOwner(ctx, board.id, user.id, options));
	const selected = event.url.searchParams.get('rule');
	const runs = selected ? await runLog(ctx, board.id, user.id, selected) : null;
	const titles = runs ? await cardTitles(ctx.db, board.id, [...new Set(runs.flatMap((r) => (r.cardId ? [r.cardId] : [])))]) : new Map<string, string>();
	return {
		options,
		rules,
		builtIn: await builtInRules(ctx, board.id),
		selected: runs ? selected : null,
		runs: runs?.map((r) => ({ ...r, at: r.at.toISOString(), title: r.cardId ? (titles.get(r.cardId) ?? 'a card') : null })) ?? null
	};
};

const saveSchema = z.object({ ruleId: z.string().max(64).optional(), name: z.string().max(1000), definition: z.string().max(100_000), enable: z.string().optional() });
const builtInSchema = z.object({ stageId: z.string().min(1).max(64), enabled: z.enum(['true', 'false']) });
const idSchema = z.object({ ruleId: z.string().min(1).max(64), enabled: z.enum(['true', 'false']).optional() });

async function begin(event: RequestEvent) {
	const user = requireUser(event);
	return { user, form: await event.request.formData(), ctx: event.locals.ctx, boardId: event.params.boardId };
}

export const actions: Actions = {
	save: async (event) => {
		const { user, form, ctx, boardId } = await begin(event);
		return formAction('save', form, async () => {
			const input = parseForm(saveSchema, form);
			const outcome = await saveRuleFromForm(ctx, boardId, user.id, { ruleId: input.ruleId || undefined, name: input.name, definition: input.definition, enabled: input.enable === 'on' ? true : undefined });
			if (!outcome.ok) return fail(400, { action: 'save', message: 'The rule was not saved: fix the fields marked below.', errors: outcome.errors, values: { name: input.name, definition: input.definition, ruleId: input.ruleId ?? '' } });
			return { action: 'save', success: 'Rule saved.', savedId: outcome.id };
		});
	},
	dryRun: async (event) => {
		const { user, form, ctx, boardId } = await begin(event);
		return formAction('dryRun', form, async () => {
			const input = parseForm(saveSchema, form);
			const outcome = await dryRunFromForm(ctx, boardId, user.id, input.definition);
			if (!outcome.ok) return fail(400, { action: 'dryRun', message: 'Fix the fields marked below to see a dry run.', errors: outcome.errors, values: { name: input.name, definition: input.definition, ruleId: input.ruleId ?? '' } });
			return { action: 'dryRun', values: { name: input.name, definition: input.definition, ruleId: input.ruleId ?? '' }, dryRun: outcome.entries.map((e) => ({ ...e, at: e.at.toISOString() })) };
		});
	},
	toggle: async (event) => {
		const { user, form, ctx, boardId } = await begin(event);
		return formAction('toggle', form, async () => {
			const { ruleId, enabled } = parseForm(idSchema, form);
			const problem = await switchRule(ctx, boardId, user.id, ruleId, enabled === 'true');
			if (problem) return fail(400, { action: 'toggle', message: problem, errors: {}, values: {} });
			return { action: 'toggle', success: enabled === 'true' ? 'Rule switched on.' : 'Rule switched off.' };
		});
	},
	delete: async (event) => {
		const { user, form, ctx, boardId } = await begin(event);
		return formAction('delete', form, async () => {
			const { ruleId } = parseForm(idSchema, form);
			await removeRule(ctx, boardId, user.id, ruleId);
			return { action: 'delete', success: 'Rule deleted.' };
		});
	},
	builtIn: async (event) => {
		const { user, form, ctx, boardId } = await begin(event);
		return formAction('builtIn', form, async () => {
			const { stageId, enabled } = parseForm(builtInSchema, form);
			await setBuiltInHandoff(ctx, boardId, user.id, stageId, enabled === 'true');
			return { action: 'builtIn', success: enabled === 'true' ? 'Hand-off switched on.' : 'Hand-off switched off.' };
		});
	}
};
