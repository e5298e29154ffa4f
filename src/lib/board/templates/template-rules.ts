import type { TemplateProblem } from './problems.ts';
import { TEMPLATE_LIMITS as MAX } from './template-limits.ts';

// These rules read the raw input, not zod's output, so that they still run when the schema found problems
// elsewhere: the author sees every problem in one go. A field of the wrong type is skipped here (the schema
// reports it).

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const fold = (s: string) => s.trim().toLowerCase();

/** A working week of 5 days spans 7 calendar days: enough to order steps whose units differ. */
const CALENDAR_DAYS_PER_WORKING_DAY = 7 / 5;

/** Every problem of a template beyond its shape: limits, duplicates, unknown roles and stages, step order. */
export function templateRuleProblems(json: unknown): TemplateProblem[] {
	const root = obj(json);
	if (!root) return [];
	const problems: TemplateProblem[] = [];
	const add = (path: string, message: string) => problems.push({ path, message });
	const roles = Array.isArray(root.teamRoles) ? root.teamRoles.filter((r): r is string => typeof r === 'string') : undefined;
	if (Array.isArray(root.teamRoles)) checkRoleList(root.teamRoles, add);
	if (Array.isArray(root.stages)) checkStages(root.stages, roles, str(root.timeUnit), add);
	if (Array.isArray(root.labels)) checkLabels(root.labels, add);
	if (Array.isArray(root.checklist) && root.checklist.length > MAX.checklistItems) {
		add('checklist', `at most ${MAX.checklistItems} checklist items; this template has ${root.checklist.length}`);
	}
	return problems;
}

type Add = (path: string, message: string) => void;

function checkRoleList(list: unknown[], add: Add): void {
	if (list.length > MAX.teamRoles) add('teamRoles', `at most ${MAX.teamRoles} team roles; this template has ${list.length}`);
	firstDuplicates(list, (i, first, value) => add(`teamRoles[${i}]`, `"${value}" is already listed as teamRoles[${first}]`));
}

function checkLabels(list: unknown[], add: Add): void {
	if (list.length > MAX.labels) add('labels', `at most ${MAX.labels} labels; this template has ${list.length}`);
	firstDuplicates(
		list.map((l) => obj(l)?.name),
		(i, first, value) => add(`labels[${i}].name`, `"${value}" is already the name of labels[${first}]`)
	);
}

/** Calls `report` for each string equal (ignoring case and outer spaces) to an earlier one in `values`. */
function firstDuplicates(values: unknown[], report: (index: number, first: number, value: string) => void): void {
	const seen = new Map<string, number>();
	values.forEach((value, i) => {
		if (typeof value !== 'string' || value.trim() === '') return;
		const first = seen.get(fold(value));
		if (first === undefined) seen.set(fold(value), i);
		else report(i, first, value);
	});
}

function checkStages(stages: unknown[], roles: string[] | undefined, timeUnit: string | undefined, add: Add): void {
	if (stages.length > MAX.stages) add('stages', `at most ${MAX.stages} stages; this template has ${stages.length}`);
	if (!stages.some((s) => obj(s)?.kind === 'done')) {
		add('stages', 'needs a stage of kind "done", where finished work goes (lead and cycle time end there)');
	}
	const items = stages.map((s) => obj(s) ?? {});
	firstDuplicates(
		items.map((s) => s.key),
		(i, first, value) => add(`stages[${i}].key`, `"${value}" is already the key of stages[${first}]: keys must be unique`)
	);
	firstDuplicates(
		items.map((s) => s.name),
		(i, first, value) => add(`stages[${i}].name`, `"${value}" is already the name of stages[${first}]: names must be unique`)
	);
	const keys = new Set(items.map((s) => str(s.key)).filter((k) => k !== undefined));
	items.forEach((stage, i) => {
		const at = `stages[${i}]`;
		if (Array.isArray(stage.exitCriteria) && stage.exitCriteria.length > MAX.exitCriteriaPerStage) {
			add(`${at}.exitCriteria`, `at most ${MAX.exitCriteriaPerStage} exit criteria per stage; this stage has ${stage.exitCriteria.length}`);
		}
		const step = obj(stage.step);
		if (!step) return;
		checkRole(step.ownerRole, roles, `${at}.step.ownerRole`, add);
		const approval = obj(step.approval);
		if (approval) checkApproval(approval, str(stage.key), keys, roles, `${at}.step.approval`, add);
	});
	checkOrder(items, timeUnit, add);
}

function checkRole(role: unknown, roles: string[] | undefined, path: string, add: Add): void {
	if (roles === undefined || typeof role !== 'string' || role.trim() === '' || roles.includes(role)) return;
	const near = roles.find((r) => fold(r) === fold(role));
	add(path, `"${role}" is not one of the template's team roles (teamRoles)${near ? `; did you mean "${near}"?` : ''}`);
}

function checkApproval(approval: Obj, ownKey: string | undefined, keys: Set<string>, roles: string[] | undefined, at: string, add: Add): void {
	const approvers = obj(approval.approvers);
	if (approvers) checkRole(approvers.role, roles, `${at}.approvers.role`, add);
	const count = approvers?.count;
	if (typeof count === 'number' && typeof approval.quorum === 'number' && approval.quorum > count) {
		add(`${at}.quorum`, `needs ${approval.quorum} approvals but only ${count} approvers are asked`);
	}
	const checkSendTo = (target: unknown, path: string) => {
		if (typeof target !== 'string') return;
		if (target === ownKey) add(path, `must name another stage: a card cannot be sent back to the stage it is in`);
		else if (!keys.has(target)) add(path, `no stage has the key "${target}"`);
	};
	checkSendTo(obj(approval.onChanges)?.sendTo, `${at}.onChanges.sendTo`);
	const onReject = obj(approval.onReject);
	if (!onReject) return;
	checkSendTo(onReject.sendTo, `${at}.onReject.sendTo`);
	if (onReject.archive === true && typeof onReject.sendTo === 'string') {
		add(`${at}.onReject`, 'either archive a rejected card or send it to a stage, not both');
	}
}

/**
 * Steps must come due in board order: a step further along the board that is due before an earlier one
 * (a larger offset) would make cards flow against their own deadlines.
 */
function checkOrder(stages: Obj[], timeUnit: string | undefined, add: Add): void {
	let previous: { index: number; days: number; offset: number; unit: string; name: string } | undefined;
	stages.forEach((stage, index) => {
		const step = obj(stage.step);
		const offset = step?.offset;
		if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) return;
		const unit = str(step?.unit) ?? timeUnit ?? 'calendar';
		const days = unit === 'working' ? offset * CALENDAR_DAYS_PER_WORKING_DAY : offset;
		const name = str(stage.name) ?? `stages[${index}]`;
		if (previous && days > previous.days) {
			add(
				`stages[${index}].step.offset`,
				`step order: due ${offset} ${unit} days before the target date, before the earlier step "${previous.name}" ` +
					`(stages[${previous.index}], ${previous.offset} ${previous.unit} days before); a later step must not be due before an earlier one`
			);
		}
		previous = { index, days, offset, unit, name };
	});
}
