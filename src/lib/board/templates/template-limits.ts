import { LIMITS } from '../limits.ts';

/**
 * The most a process template may hold: the board's own limits (src/lib/board/limits.ts), so that applying a
 * template never creates what the board would refuse.
 */
export const TEMPLATE_LIMITS = {
	/** Stage names: the browser's commands refuse names past 60 characters, so a template must not use them. */
	stageName: 60,
	/** Stages, exit criteria and checklist items, as on a board. */
	stages: LIMITS.stages,
	exitCriteriaPerStage: LIMITS.exitCriteriaPerStage,
	checklistItems: LIMITS.checklistItemsPerCard,
	/** Exit criteria and checklist items are short texts on the board. */
	shortText: LIMITS.shortText,
	/** Labels a card may carry, and how long a label's name may be. */
	labels: LIMITS.labelsPerCard,
	labelName: LIMITS.labelName,
	/** Team role names are shown next to owners; long names would not fit. */
	teamRoles: 50,
	roleName: 60,
	/** A template's name, and the description shown when someone picks a template. */
	name: 100,
	description: 2_000,
	/** Stage keys end up in URLs and exported files. */
	stageKey: 64,
	/** Offsets beyond a couple of years are typos, not plans. */
	offsetDays: 730,
	/** A WIP limit above this is no limit at all. */
	wipLimit: 999,
	/** Size of an imported template file, in characters; the largest legal template is a few hundred KB. */
	jsonChars: 1_000_000
} as const;
