import { z } from 'zod';
import { LABEL_COLORS } from '../../board/defaults.ts';
import { ID_PATTERN, isCalendarDate, LIMITS } from '../../board/limits.ts';
import { STAGE_KINDS, type Card, type Stage } from '../../board/types.ts';

// The API's own shapes: the same zod schemas validate requests and document them (openapi.ts), and the response
// schemas document what `presentCard` and friends answer. Limits are the board's (limits.ts), so the API refuses
// what the board would refuse, before anything is written.

/** An id in a path or body (cards, stages, items, users, boards). */
export const idSchema = z.string().regex(ID_PATTERN, 'That is not an id.');
/** A calendar date, YYYY-MM-DD. */
export const daySchema = z.string().refine(isCalendarDate, 'Use a real date like 2026-12-31.').describe('A calendar date, YYYY-MM-DD.');
/** Short text: a title, a stage name, a checklist item. */
export const shortText = (what: string) => z.string(`${what} must be text.`).trim().min(1, `${what} cannot be empty.`).max(LIMITS.shortText, `${what} is too long (at most ${LIMITS.shortText} characters).`);
/** A label on a card. */
export const labelSchema = z.object({ name: z.string().trim().min(1).max(LIMITS.labelName), color: z.enum(LABEL_COLORS) });
/** A stage kind. */
export const stageKindSchema = z.enum(STAGE_KINDS as ['queue', 'active', 'wait', 'done']);

/** A stage as the API answers it. */
export const stageSchema = z.object({
	id: z.string(),
	name: z.string(),
	rank: z.string().describe('Fractional order key: stages sort by rank, then id.'),
	kind: stageKindSchema,
	wipLimit: z.number().int().nullable(),
	wipMode: z.enum(['soft', 'hard']),
	exitCriteria: z.array(z.object({ id: z.string(), text: z.string() }))
});

/** A checklist item as the API answers it. */
export const checklistItemSchema = z.object({ id: z.string(), text: z.string(), done: z.boolean(), rank: z.string() });

/** A card as the API answers it. */
export const cardSchema = z.object({
	id: z.string(),
	title: z.string(),
	description: z.string().describe('Markdown.'),
	stageId: z.string(),
	rank: z.string().describe('Fractional order key within the stage.'),
	owners: z.array(z.string()).describe('User ids.'),
	due: z.string().nullable(),
	target: z.string().nullable().describe('The target (publish, launch) date the plan counts back from.'),
	labels: z.array(labelSchema),
	blocked: z.object({ reason: z.string(), by: z.string(), at: z.string() }).nullable(),
	checklist: z.array(checklistItemSchema),
	exitChecks: z.record(z.string(), z.object({ by: z.string(), at: z.string() })).describe('Met exit criteria, keyed `stageId:criterionId`.'),
	movedAt: z.string().describe('When the card entered its stage (ISO).'),
	archived: z.boolean()
});

/** A board as the API answers it. */
export const boardSchema = z.object({ id: z.string(), name: z.string(), role: z.enum(['owner', 'editor', 'viewer']), createdAt: z.string() });

/** A stage in the API's shape. */
export function presentStage(stage: Stage): z.infer<typeof stageSchema> {
	return { id: stage.id, name: stage.name, rank: stage.rank, kind: stage.kind, wipLimit: stage.wipLimit, wipMode: stage.wipMode, exitCriteria: stage.exitCriteria.map(({ id, text }) => ({ id, text })) };
}

/** A card in the API's shape. */
export function presentCard(card: Card): z.infer<typeof cardSchema> {
	return {
		id: card.id,
		title: card.title,
		description: card.description,
		stageId: card.stageId,
		rank: card.rank,
		owners: card.owners,
		due: card.due,
		target: card.target?.day ?? null,
		labels: card.labels.map(({ name, color }) => ({ name, color: color as (typeof LABEL_COLORS)[number] })),
		blocked: card.blocked,
		checklist: card.checklist.map(({ id, text, done, rank }) => ({ id, text, done, rank })),
		exitChecks: card.exitChecks,
		movedAt: card.movedAt,
		archived: card.archived
	};
}

/** `{boardId}` in a path. */
export const boardParams = z.object({ boardId: idSchema });
/** `{boardId}` and `{cardId}` in a path. */
export const cardParams = z.object({ boardId: idSchema, cardId: idSchema });
