import { z } from 'zod';
import '../zod-jitless.ts';
import { LABEL_COLORS } from '../defaults.ts';
import { STAGE_KINDS } from '../types.ts';
import { inTemplateOrder, plainMessages, problemsFromIssues, type TemplateProblem } from './problems.ts';
import { TEMPLATE_LIMITS as MAX } from './template-limits.ts';
import { templateRuleProblems } from './template-rules.ts';

/** The `format` header every template file carries, so that other JSON is refused with a clear message. */
export const TEMPLATE_FORMAT = 'flowdeck.template';
/** The template format version this code reads and writes. */
export const TEMPLATE_VERSION = 1;
/** Whether a step's days count every day or only working days. */
export const TIME_UNITS = ['working', 'calendar'] as const;
/** A stage key: a slug, unique within its template, that `sendTo` refers to. */
export const STAGE_KEY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Text a person wrote: not blank, at most `max` characters. */
const text = (max: number) =>
	z
		.string()
		.max(max)
		.refine((s) => s.trim() !== '', { error: 'must not be blank' });

const whole = 'must be a whole number of days';
const offset = z
	.number({ error: (iss) => (iss.input === undefined ? 'is missing' : whole) })
	.int({ error: whole })
	.min(0, { error: 'must not be negative: it counts days before the target date (0 is the target day)' })
	.max(MAX.offsetDays, { error: `must be at most ${MAX.offsetDays} days` });

const stageKey = z
	.string()
	.max(MAX.stageKey)
	.regex(STAGE_KEY_PATTERN, { error: 'must be a slug: lowercase letters, digits and dashes, e.g. "final-draft"' });

const positiveCount = z.number().int({ error: 'must be a whole number' }).min(1);

/**
 * Who is asked to approve: holders of one team role. A template cannot name people (it serves many boards), so
 * null means the board names its approvers when the template is applied (the plan's ApprovalRule `userIds`).
 */
const approversSchema = z.strictObject({
	role: text(MAX.roleName).nullable(),
	/** How many approvers the step expects at least, so whoever applies the template names enough; quorum ≤ count. */
	count: positiveCount.optional()
});

/** A sign-off a card needs before it may leave the stage, and where it goes when it does not get it. */
export const approvalSchema = z.strictObject({
	approvers: approversSchema,
	quorum: z.union([z.literal('all'), positiveCount], {
		error: (iss) => (iss.input === undefined ? 'is missing' : 'must be "all" or a whole number of approvals, at least 1')
	}),
	onChanges: z.strictObject({ sendTo: stageKey.nullable() }),
	onReject: z.strictObject({ archive: z.boolean(), sendTo: stageKey.nullable() })
});

/** Who owns the stage's work for a card, when it is due relative to the card's target date, and its sign-off. */
export const stepSchema = z.strictObject({
	ownerRole: text(MAX.roleName).nullable(),
	/** Days before the card's target date; 0 is the target day; null: no due date for this step. */
	offset: offset.nullable(),
	/** Overrides the template's `timeUnit` for this step. */
	unit: z.enum(TIME_UNITS).optional(),
	approval: approvalSchema.nullable()
});

/** A stage (column) of the template, with its place in the process. */
export const templateStageSchema = z.strictObject({
	key: stageKey,
	name: text(MAX.stageName),
	kind: z.enum(STAGE_KINDS as ['queue', 'active', 'wait', 'done']),
	wipLimit: z
		.number({ error: (iss) => (iss.input === undefined ? 'is missing' : 'must be a whole number of cards, or null for no limit') })
		.int({ error: 'must be a whole number of cards, or null for no limit' })
		.min(1, { error: 'must be at least 1, or null for no limit' })
		.max(MAX.wipLimit, { error: `must be at most ${MAX.wipLimit}, or null for no limit` })
		.nullable(),
	wipMode: z.enum(['soft', 'hard']),
	exitCriteria: z.array(text(MAX.shortText)),
	step: stepSchema
});

/** A label new cards can be given; its colour comes from the board's palette. */
export const templateLabelSchema = z.strictObject({
	name: text(MAX.labelName),
	color: z.enum(LABEL_COLORS, {
		error: (iss) => (iss.input === undefined ? 'is missing' : `must be one of the board's colours: ${LABEL_COLORS.join(', ')}`)
	})
});

/**
 * A process template, version 1: the shape alone. Array sizes, keys, roles and ordering are checked by
 * `validateTemplate`, which reports every problem (a zod `.max()` on an array would hide its items' problems).
 */
export const templateSchema = z.strictObject({
	format: z.literal(TEMPLATE_FORMAT, {
		error: (iss) => (iss.input === undefined ? 'is missing' : `must be "${TEMPLATE_FORMAT}": this is not a Flowdeck template`)
	}),
	version: z.literal(TEMPLATE_VERSION, {
		error: (iss) => (iss.input === undefined ? 'is missing' : `this Flowdeck reads version ${TEMPLATE_VERSION} templates`)
	}),
	name: text(MAX.name),
	description: z.string().max(MAX.description),
	teamRoles: z.array(text(MAX.roleName)),
	timeUnit: z.enum(TIME_UNITS),
	stages: z.array(templateStageSchema),
	labels: z.array(templateLabelSchema),
	checklist: z.array(text(MAX.shortText))
});

/** A valid process template. */
export type ProcessTemplate = z.infer<typeof templateSchema>;
/** One stage of a process template. */
export type TemplateStage = z.infer<typeof templateStageSchema>;
/** A stage's step: owner role, offset, unit, approval. */
export type TemplateStep = z.infer<typeof stepSchema>;
/** A step's sign-off rule. */
export type StepApproval = z.infer<typeof approvalSchema>;
/** Working or calendar days. */
export type TimeUnit = (typeof TIME_UNITS)[number];
/** What `validateTemplate` says: the template, or every problem found. */
export type TemplateValidation = { ok: true; template: ProcessTemplate } | { ok: false; problems: TemplateProblem[] };

/** Checks `json` (already parsed) against the template format and its rules; reports every problem; changes nothing. */
export function validateTemplate(json: unknown): TemplateValidation {
	const parsed = templateSchema.safeParse(json, { error: plainMessages });
	// The rules read the raw input defensively, so that a wrong type in one field does not hide a wrong key elsewhere.
	const found = [...(parsed.success ? [] : problemsFromIssues(parsed.error.issues)), ...templateRuleProblems(json)];
	const problems = inTemplateOrder(found, Object.keys(templateSchema.shape));
	if (problems.length > 0 || !parsed.success) return { ok: false, problems };
	return { ok: true, template: parsed.data };
}
