import type { BoardProcess, Stage, StepApprovalRule, StepSettings } from '../types.ts';
import { TEMPLATE_LIMITS as MAX } from './template-limits.ts';
import { TEMPLATE_FORMAT, TEMPLATE_VERSION, type ProcessTemplate, type StepApproval, type TemplateStage, type TimeUnit } from './template.ts';

/** What a template is made from: the board's live workflow (stages in order, process) and its team role names. */
export interface BoardForTemplate {
	/** The template's name and description, as the person saving it gave them. */
	name: string;
	description: string;
	/** The board's stages in board order. */
	stages: readonly Stage[];
	process: Pick<BoardProcess, 'labels' | 'checklist'>;
	/** The board's team role names in their order. */
	teamRoles: readonly string[];
}

/**
 * A process template from a board: its stages with kind, WIP limit and mode, exit criteria and step settings. Stage
 * keys are slugs of the stage names (made unique); a sign-off's `sendTo` stage ids become those keys; a sign-off
 * whose approvers are named people rather than a role gets `approvers.role: null` (a template cannot name people).
 * The result is NOT validated: the caller runs `validateTemplate`, which names what a board has that a template may
 * not (a negative offset, a missing done stage, …).
 */
export function templateFromBoard(board: BoardForTemplate): ProcessTemplate {
	const keys = stageKeys(board.stages.map((s) => s.name));
	const keyOf = new Map(board.stages.map((s, i) => [s.id, keys[i]!]));
	const timeUnit = commonUnit(board.stages);
	const stages: TemplateStage[] = board.stages.map((stage, i) => ({
		key: keys[i]!,
		name: stage.name,
		kind: stage.kind,
		wipLimit: stage.kind === 'done' ? null : stage.wipLimit,
		wipMode: stage.wipMode,
		exitCriteria: stage.exitCriteria.map((c) => c.text),
		step: templateStep(stage.step, timeUnit, (id) => (id === null ? null : (keyOf.get(id) ?? null)))
	}));
	return {
		format: TEMPLATE_FORMAT,
		version: TEMPLATE_VERSION,
		name: board.name,
		description: board.description,
		teamRoles: rolesOf(board.teamRoles, board.stages),
		timeUnit,
		stages,
		labels: board.process.labels.map((l) => ({ name: l.name, color: l.color as ProcessTemplate['labels'][number]['color'] })),
		checklist: [...board.process.checklist]
	};
}

/**
 * A stage key from a name: lowercase letters and digits joined by single dashes ("Approve outline" →
 * "approve-outline"; accents dropped), "stage" when nothing is left, at most 64 characters.
 */
export function slugify(name: string): string {
	const slug = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
	return trimSlug(slug, MAX.stageKey) || 'stage';
}

/** A unique key per name, in order: a repeated slug gets "-2", "-3", … */
export function stageKeys(names: readonly string[]): string[] {
	const used = new Set<string>();
	return names.map((name) => {
		const base = slugify(name);
		let key = base;
		for (let n = 2; used.has(key); n++) {
			const suffix = `-${n}`;
			key = `${trimSlug(base, MAX.stageKey - suffix.length)}${suffix}`;
		}
		used.add(key);
		return key;
	});
}

function trimSlug(slug: string, max: number): string {
	return slug.slice(0, max).replace(/-+$/, '');
}

/** The unit most dated steps use (ties: the first step's); calendar days on a board without dated steps. */
function commonUnit(stages: readonly Stage[]): TimeUnit {
	const units = stages.flatMap((s) => (s.step && s.step.offset !== null ? [s.step.unit] : []));
	if (units.length === 0) return 'calendar';
	const working = units.filter((u) => u === 'working').length;
	const calendar = units.length - working;
	if (working === calendar) return units[0]!;
	return working > calendar ? 'working' : 'calendar';
}

function templateStep(step: StepSettings | null, timeUnit: TimeUnit, keyOf: (id: string | null) => string | null): TemplateStage['step'] {
	if (!step) return { ownerRole: null, offset: null, approval: null };
	// A step's unit is written only where it differs from the template's, as an author would write it.
	const unit = step.offset !== null && step.unit !== timeUnit ? { unit: step.unit } : {};
	return { ownerRole: step.ownerRole, offset: step.offset, ...unit, approval: step.approval ? templateApproval(step.approval, keyOf) : null };
}

function templateApproval(rule: StepApprovalRule, keyOf: (id: string | null) => string | null): StepApproval {
	return {
		// People named on the board cannot travel in a template: whoever applies it names the approvers again.
		approvers: { role: rule.approvers.role },
		quorum: rule.quorum,
		onChanges: { sendTo: keyOf(rule.onChanges.sendTo) },
		onReject: { archive: rule.onReject.archive, sendTo: keyOf(rule.onReject.sendTo) }
	};
}

/** The board's team roles, then any role a step or sign-off names that the board no longer lists (so it validates). */
function rolesOf(teamRoles: readonly string[], stages: readonly Stage[]): string[] {
	const out = [...teamRoles];
	const known = new Set(out.map((r) => r.toLowerCase()));
	for (const s of stages) {
		for (const role of [s.step?.ownerRole, s.step?.approval?.approvers.role]) {
			if (role && !known.has(role.toLowerCase())) {
				known.add(role.toLowerCase());
				out.push(role);
			}
		}
	}
	return out;
}
