/** What a stage means for flow metrics: waiting to start, being worked, waiting on others, finished. */
export type StageKind = 'queue' | 'active' | 'wait' | 'done';

/** Every stage kind, in the order the UI offers them. */
export const STAGE_KINDS: readonly StageKind[] = ['queue', 'active', 'wait', 'done'];

/** Soft limits warn; hard limits refuse the move. */
export type WipMode = 'soft' | 'hard';

/** One statement of a stage's definition of done. */
export interface ExitCriterion {
	id: string;
	text: string;
}

/** A workflow stage (column), as components see it. */
export interface Stage {
	id: string;
	name: string;
	rank: string;
	kind: StageKind;
	wipLimit: number | null;
	wipMode: WipMode;
	exitCriteria: ExitCriterion[];
}

/** A coloured label on a card. */
export interface Label {
	name: string;
	color: string;
}

/** Why a card is blocked, who said so, and when. */
export interface Blocker {
	reason: string;
	by: string;
	at: string;
}

/** One item of a card's quality checklist. */
export interface ChecklistItem {
	id: string;
	text: string;
	done: boolean;
	rank: string;
}

/** Who checked an exit criterion for a card, and when. */
export interface ExitCheck {
	by: string;
	at: string;
}

/** A card, as components see it (a plain snapshot, never a Y type). */
export interface Card {
	id: string;
	title: string;
	description: string;
	stageId: string;
	rank: string;
	owners: string[];
	due: string | null;
	labels: Label[];
	blocked: Blocker | null;
	checklist: ChecklistItem[];
	/** Keyed by `stageId:criterionId`. */
	exitChecks: Record<string, ExitCheck>;
	/** When the card entered its stage (ISO). Who created and moved it is in the server's history. */
	movedAt: string;
	archived: boolean;
}

/** The whole board as components render it: stages in order, cards in order within each stage. */
export interface BoardSnapshot {
	name: string;
	stages: Stage[];
	/** Non-archived cards per stage id, in board order. */
	cardsByStage: Record<string, Card[]>;
	/** Every card by id, archived ones included. */
	cards: Record<string, Card>;
	archived: Card[];
}

/** Who is making a change (stamped into created-by / moved-by / checked-by). */
export interface Actor {
	userId: string;
	now: () => Date;
}
