import { actionSchema, conditionSchema, ruleDefinitionSchema, triggerSchema, PLACEHOLDERS, type RuleAction, type RuleCondition, type RuleDefinition, type RuleTrigger } from './definition.ts';
import { describeRulePath } from './describe.ts';

/** What a rule may name on its board, for checking ids (all plain data). */
export interface RuleScope {
	stages: readonly { id: string; name: string; isStep?: boolean }[];
	roles: readonly { id: string; name: string }[];
	members: readonly { id: string; name: string }[];
	/** Other boards the rule's creator may edit (the linked-card action's targets), with their stages. */
	boards: readonly { id: string; name: string; stages: readonly { id: string; name: string }[] }[];
}

/** A validation result: the definition, or one message per field path (`trigger.hours`, `actions.0.url`, …). */
export type RuleValidation = { ok: true; definition: RuleDefinition } | { ok: false; errors: Record<string, string> };

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Placeholders in `message` that are not ones we fill in. */
export function unknownPlaceholders(message: string): string[] {
	return [...message.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name.trim()));
}

/**
 * Checks a rule definition as the form sent it: its shape (zod), then what it names against the board (stages,
 * roles, people, boards), then what cannot work (a move back into the stage it triggers on while re-triggering is
 * allowed, a message with a placeholder we do not know, a webhook URL that is not http(s)). Every problem is a
 * message on its field; the first per field wins.
 */
export function validateRule(input: unknown, scope: RuleScope): RuleValidation {
	const errors: Record<string, string> = {};
	const add = (path: string, message: string) => {
		if (!(path in errors)) errors[path] = message;
	};
	const parsed = ruleDefinitionSchema.safeParse(input);
	if (!parsed.success) for (const issue of parsed.error.issues) add(issue.path.join('.') || 'definition', issue.message);
	// The parts that do parse are still checked, so one answer names every field that is wrong.
	const raw = (input && typeof input === 'object' ? input : {}) as { trigger?: unknown; conditions?: unknown; actions?: unknown; allowRetrigger?: unknown };
	const list = (v: unknown) => (Array.isArray(v) ? v : []);
	const part = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, v: unknown): T | null => {
		const r = schema.safeParse(v);
		return r.success ? r.data : null;
	};
	const def = parsed.success
		? parsed.data
		: {
				trigger: part<RuleTrigger>(triggerSchema, raw.trigger),
				conditions: list(raw.conditions).map((c) => part<RuleCondition>(conditionSchema, c)),
				actions: list(raw.actions).map((a) => part<RuleAction>(actionSchema, a)),
				allowRetrigger: raw.allowRetrigger === true
			};
	const stageIds = new Set(scope.stages.map((s) => s.id));
	const roleIds = new Set(scope.roles.map((r) => r.id));
	const memberIds = new Set(scope.members.map((m) => m.id));
	const stage = (path: string, stageId: string) => stageIds.has(stageId) || add(path, 'This stage is not on the board (any more).');
	const role = (path: string, roleId: string) => roleIds.has(roleId) || add(path, 'This team role does not exist (any more).');
	const member = (path: string, userId: string) => memberIds.has(userId) || add(path, 'This person is not a member of the board.');

	const t = def.trigger;
	if (t?.kind === 'entered_stage' || t?.kind === 'left_stage') stage('trigger.stageId', t.stageId);
	if (t?.kind === 'schedule' && t.every === 'week' && t.weekday === undefined) add('trigger.weekday', 'Choose a day of the week.');

	def.conditions.forEach((c, i) => {
		if (!c) return;
		const p = `conditions.${i}`;
		if (c.kind === 'in_stage') stage(`${p}.stageId`, c.stageId);
		if (c.kind === 'step_is') {
			stage(`${p}.stageId`, c.stageId);
			const s = scope.stages.find((x) => x.id === c.stageId);
			if (s && s.isStep === false) add(`${p}.stageId`, 'This stage is not a step of the board’s process.');
		}
		if (c.kind === 'owner_is') member(`${p}.userId`, c.userId);
		if (c.kind === 'owner_holds_role') role(`${p}.roleId`, c.roleId);
	});

	def.actions.forEach((a, i) => {
		if (!a) return;
		const p = `actions.${i}`;
		if (a.kind === 'assign_user') member(`${p}.userId`, a.userId);
		if (a.kind === 'assign_role') role(`${p}.roleId`, a.roleId);
		if (a.kind === 'move') {
			stage(`${p}.stageId`, a.stageId);
			if (def.allowRetrigger && t?.kind === 'entered_stage' && t.stageId === a.stageId)
				add(`${p}.stageId`, 'Moving the card into the stage this rule triggers on, with re-triggering allowed, would loop.');
		}
		if (a.kind === 'set_due' && a.base === 'now' && a.offsetDays < 0) add(`${p}.offsetDays`, 'A due date relative to now cannot be in the past.');
		if (a.kind === 'notify') {
			if (a.to.kind === 'user') member(`${p}.to.userId`, a.to.userId);
			if (a.to.kind === 'role') role(`${p}.to.roleId`, a.to.roleId);
			const unknown = unknownPlaceholders(a.message);
			if (unknown.length > 0) add(`${p}.message`, `Unknown placeholder {${unknown[0]}}: use ${PLACEHOLDERS.map((x) => `{${x}}`).join(', ')}.`);
		}
		if (a.kind === 'webhook') {
			let url: URL | null = null;
			try {
				url = new URL(a.url);
			} catch {
				url = null;
			}
			if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) add(`${p}.url`, 'Enter a web address starting with http:// or https://.');
		}
		if (a.kind === 'create_linked_card') {
			const board = scope.boards.find((b) => b.id === a.boardId);
			if (!board) add(`${p}.boardId`, 'Choose a board you can edit.');
			else if (a.stageId && !board.stages.some((s) => s.id === a.stageId)) add(`${p}.stageId`, 'This stage is not on that board.');
		}
	});
	return Object.keys(errors).length > 0 || !parsed.success ? { ok: false, errors } : { ok: true, definition: parsed.data };
}

/** What a rule names that `scope` no longer has (a deleted stage, role or person), as a sentence; null when sound. */
export function brokenReason(def: RuleDefinition, scope: Pick<RuleScope, 'stages' | 'roles' | 'members'>): string | null {
	const result = validateRule(def, { ...scope, boards: [] });
	if (result.ok) return null;
	// Only what went missing breaks a rule; the linked board is checked when the action runs (its members change).
	const gone = Object.entries(result.errors).find(([path]) => !/^actions\.\d+\.boardId$/.test(path));
	return gone ? `${describeRulePath(gone[0])}: ${gone[1]}` : null;
}
