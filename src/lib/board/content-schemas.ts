import { z } from 'zod';
import './zod-jitless.ts';
import { ID_PATTERN, LIMITS, isCalendarDate } from './limits.ts';

/** Text a person typed into a short field: not blank, within the limit. */
const shortText = z
	.string()
	.max(LIMITS.shortText)
	.refine((s) => s.trim() !== '', 'blank');

/**
 * What each root map of the board document may hold, field by field, beyond the types the shape guard checks
 * (src/lib/board/doc/shape.ts): the limits of src/lib/board/limits.ts. The server's content guard checks the
 * fields a socket's transaction touched against these; the browser's commands enforce the same numbers.
 */
export const boardContent = {
	/** `cards`: card id → fields. */
	cards: {
		id: z.string().regex(ID_PATTERN),
		title: shortText,
		labels: z.array(z.object({ name: z.string().max(LIMITS.labelName), color: z.string() })).max(LIMITS.labelsPerCard).nullable(),
		due: z.string().refine(isCalendarDate).nullable(),
		blocked: z.object({ reason: shortText, by: z.string(), at: z.string() }).nullable()
	},
	/** `stages`: stage id → fields; a board has at most LIMITS.stages. */
	stages: {
		id: z.string().regex(ID_PATTERN),
		name: shortText,
		exitCriteria: z.array(z.object({ text: z.string().max(LIMITS.shortText) })).max(LIMITS.exitCriteriaPerStage)
	},
	/** `checklists`: "cardId/itemId" → item; a card has at most LIMITS.checklistItemsPerCard. */
	checklists: {
		key: z.tuple([z.string().regex(ID_PATTERN), z.string().regex(ID_PATTERN)]),
		text: z.string().max(LIMITS.shortText)
	},
	/** `owners`: "cardId/userId" → the user id; a card has at most LIMITS.ownersPerCard. */
	owners: {
		key: z.tuple([z.string().regex(ID_PATTERN), z.string().regex(ID_PATTERN)])
	},
	/** `descriptions`: card id → text. */
	descriptions: {
		id: z.string().regex(ID_PATTERN),
		text: z.string().max(LIMITS.description)
	}
} as const;

/** Whether `value` fits `schema`. */
export const fits = (schema: z.ZodType, value: unknown): boolean => schema.safeParse(value).success;
