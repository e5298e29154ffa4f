import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { requireBoardAction } from '../boards/boards.ts';
import { webhookEndpoints } from '../db/schema/automation.ts';
import { validateRule, type RuleScope } from '../../board/rules/validate.ts';
import { describeAction, describeCondition, describeTrigger, type RuleNames } from '../../board/rules/describe.ts';
import type { RuleDefinition } from '../../board/rules/definition.ts';
import { boardMemberNames, boardRoles, deleteRule, editableOtherBoards, findRule, listRules, listRuns, saveRule, setRuleEnabled, type RuleRun } from './store.ts';
import { NO_RULE_HOOKS } from './hooks.ts';
import { dryRun, type DryRunEntry } from './dry-run.ts';

/** Longest rule name. */
export const RULE_NAME_MAX = 120;

/** Everything the rule form offers for a board: its stages, labels, roles, members, other boards, webhook URLs. */
export interface RuleFormOptions extends RuleScope {
	labels: string[];
	webhookUrls: string[];
}

/** The rule form's options for `boardId` as `userId` sees them (linked-card boards are the ones they can edit). */
export async function ruleFormOptions(ctx: AppContext, boardId: string, userId: string): Promise<RuleFormOptions> {
	const [workflow, roles, members, others, endpoints] = await Promise.all([
		ctx.documents.readBoard(boardId, { kind: 'workflow' }),
		boardRoles(ctx.db, boardId),
		boardMemberNames(ctx.db, boardId),
		editableOtherBoards(ctx.db, userId, boardId),
		ctx.db.select({ url: webhookEndpoints.url }).from(webhookEndpoints).where(and(eq(webhookEndpoints.boardId, boardId), eq(webhookEndpoints.enabled, true)))
	]);
	// A board's stages are read from its live document; a board that cannot be read now is offered without them.
	const boards = await Promise.all(
		others.slice(0, 50).map(async (b) => ({ ...b, stages: await ctx.documents.readBoard(b.id, { kind: 'workflow' }).then((w) => w.stages.map((s) => ({ id: s.id, name: s.name })), () => []) }))
	);
	return {
		stages: workflow.stages.map((s) => ({ id: s.id, name: s.name, isStep: Boolean(s.step) })),
		labels: workflow.process.labels.map((l) => l.name),
		roles: roles.map((r) => ({ id: r.id, name: r.name })),
		members: members.map((m) => ({ id: m.id, name: m.name })),
		boards,
		webhookUrls: [...new Set(endpoints.map((e) => e.url))]
	};
}

/** Names for ids from the form's options. */
export function namesFrom(options: RuleFormOptions): RuleNames {
	const find = (list: readonly { id: string; name: string }[], id: string, gone: string) => list.find((x) => x.id === id)?.name ?? gone;
	return {
		stage: (id) => find(options.stages, id, 'a deleted stage'),
		role: (id) => find(options.roles, id, 'deleted role'),
		user: (id) => find(options.members, id, 'someone who left'),
		board: (id) => find(options.boards, id, 'another board')
	};
}

/** One rule as the list shows it. */
export interface RuleListItem {
	id: string;
	name: string;
	enabled: boolean;
	brokenReason: string | null;
	summary: string;
	definition: RuleDefinition;
}

/** The board's rules with their summaries (owners only). */
export async function listRulesForOwner(ctx: AppContext, boardId: string, userId: string, options: RuleFormOptions): Promise<RuleListItem[]> {
	await requireBoardAction(ctx.db, boardId, userId, 'manage_members');
	// Roles and members change outside the board's document: the list shows what went missing since.
	await (ctx.rules ?? NO_RULE_HOOKS).checkBroken(boardId);
	const names = namesFrom(options);
	return (await listRules(ctx.db, boardId)).map((r) => {
		const d = r.definition;
		const ifs = d.conditions.length > 0 ? `, if ${d.conditions.map((c) => describeCondition(c, names)).join(' and ')}` : '';
		return { id: r.id, name: r.name, enabled: r.enabled, brokenReason: r.brokenReason, definition: d, summary: `${describeTrigger(d.trigger, names)}${ifs}: ${d.actions.map((a) => describeAction(a, names)).join(', ')}` };
	});
}

/** A save's outcome: the rule's id, or a message per field and nothing saved. */
export type SaveOutcome = { ok: true; id: string } | { ok: false; errors: Record<string, string> };

/** Parses the form's JSON definition, validates it against the board and saves it (owners only). */
export async function saveRuleFromForm(ctx: AppContext, boardId: string, userId: string, input: { ruleId?: string; name: string; definition: string; enabled?: boolean }): Promise<SaveOutcome> {
	await requireBoardAction(ctx.db, boardId, userId, 'manage_members');
	const errors: Record<string, string> = {};
	const name = input.name.trim();
	if (!name) errors.name = 'Give the rule a name.';
	else if (name.length > RULE_NAME_MAX) errors.name = `At most ${RULE_NAME_MAX} characters.`;
	let raw: unknown;
	try {
		raw = JSON.parse(input.definition);
	} catch {
		return { ok: false, errors: { ...errors, definition: 'The rule could not be read; reload the page.' } };
	}
	const options = await ruleFormOptions(ctx, boardId, userId);
	const result = validateRule(raw, options);
	if (!result.ok) Object.assign(errors, result.errors);
	if (input.ruleId && !(await findRule(ctx.db, boardId, input.ruleId))) errors.name = 'This rule no longer exists.';
	if (Object.keys(errors).length > 0 || !result.ok) return { ok: false, errors };
	const id = await saveRule(ctx.db, { boardId, ruleId: input.ruleId, name, definition: result.definition, userId, enabled: input.enabled }, ctx.clock.now());
	await (ctx.rules ?? NO_RULE_HOOKS).invalidate(boardId);
	return { ok: true, id };
}

/** Switches a rule on or off (owners only); a broken rule must be saved again before it can be switched on. */
export async function switchRule(ctx: AppContext, boardId: string, userId: string, ruleId: string, enabled: boolean): Promise<string | null> {
	await requireBoardAction(ctx.db, boardId, userId, 'manage_members');
	const rule = await findRule(ctx.db, boardId, ruleId);
	if (!rule) return 'This rule no longer exists.';
	if (enabled && rule.brokenReason) return 'This rule is broken: edit and save it first.';
	await setRuleEnabled(ctx.db, boardId, ruleId, enabled, ctx.clock.now());
	await (ctx.rules ?? NO_RULE_HOOKS).invalidate(boardId);
	return null;
}

/** Deletes a rule (owners only). */
export async function removeRule(ctx: AppContext, boardId: string, userId: string, ruleId: string): Promise<void> {
	await requireBoardAction(ctx.db, boardId, userId, 'manage_members');
	await deleteRule(ctx.db, boardId, ruleId);
	await (ctx.rules ?? NO_RULE_HOOKS).invalidate(boardId);
}

/** A rule's run log (owners only); null when it is not this board's. */
export async function runLog(ctx: AppContext, boardId: string, userId: string, ruleId: string): Promise<RuleRun[] | null> {
	await requireBoardAction(ctx.db, boardId, userId, 'manage_members');
	if (!(await findRule(ctx.db, boardId, ruleId))) return null;
	return listRuns(ctx.db, ruleId, 100);
}

/** A dry run of the form's definition (owners only): a message per field, or what it would have done. */
export async function dryRunFromForm(ctx: AppContext, boardId: string, userId: string, definition: string): Promise<{ ok: true; entries: DryRunEntry[] } | { ok: false; errors: Record<string, string> }> {
	await requireBoardAction(ctx.db, boardId, userId, 'manage_members');
	let raw: unknown;
	try {
		raw = JSON.parse(definition);
	} catch {
		return { ok: false, errors: { definition: 'The rule could not be read; reload the page.' } };
	}
	const result = validateRule(raw, await ruleFormOptions(ctx, boardId, userId));
	if (!result.ok) return result;
	return { ok: true, entries: await dryRun(ctx, boardId, result.definition) };
}
