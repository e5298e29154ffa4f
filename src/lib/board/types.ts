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
	/** The stage's place in the board's process (owner role, due offset, sign-off), or null: a plain stage. */
	step: StepSettings | null;
}

/** How a step's due offset is counted: Monday–Friday only, or every calendar day. */
export type OffsetUnit = 'working' | 'calendar';

/**
 * Who must sign a card off before it leaves a stage forward. Approvers are named members and/or the holders of a
 * team role; `sendTo` names a stage id (null: the card stays where it is, flagged).
 */
export interface StepApprovalRule {
	approvers: { userIds: string[]; role: string | null };
	/** Every eligible approver, or at least this many. */
	quorum: 'all' | number;
	onChanges: { sendTo: string | null };
	onReject: { archive: boolean; sendTo: string | null };
}

/** A stage's step settings: which team role owns the work, when it is due relative to the target date, its sign-off. */
export interface StepSettings {
	/** A team role's name (not an access role); the server assigns the card to a holder when it enters the stage. */
	ownerRole: string | null;
	/** Days before the card's target date (0: the target day; negative: after it); null: no due date. */
	offset: number | null;
	unit: OffsetUnit;
	approval: StepApprovalRule | null;
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
	/** The publish or launch date the card's plan counts back from, and when it was set (server clock). */
	target: CardTarget | null;
	/** Step due dates a person set by hand, by stage id (YYYY-MM-DD); they win over the plan until reset. */
	stepDues: Record<string, string>;
	/** The process's last hand-off of this card, if any (written by the server alone). */
	handoff: Handoff | null;
	/** Sign-off decisions per stage id (written by the server alone). */
	signoffs: Record<string, StoredSignoff>;
}

/** A card's target date and when it was set. */
export interface CardTarget {
	/** YYYY-MM-DD in the board's time zone. */
	day: string;
	/** ISO time the server stamped when the date was set. */
	at: string;
}

/** Who the process assigned a card to when it entered a step (userId null: nobody holds the role). */
export interface Handoff {
	stageId: string;
	role: string;
	userId: string | null;
	at: string;
	/** Whom the process took the card from (the previous step's assignee): their work is not theirs to sign off. */
	previous?: string | null;
}

/** An approver's decision, as the server stamped it. */
export interface StoredDecision {
	userId: string;
	outcome: 'approve' | 'changes' | 'reject';
	/** ISO time. */
	at: string;
	comment: string;
}

/** The sign-off record of one card in one stage. */
export interface StoredSignoff {
	decisions: StoredDecision[];
	/** When the card's title, description or checklist last changed after a decision (ISO), voiding earlier approvals. */
	contentAt: string | null;
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
	/** The board's process settings: time zone, team role holders, labels and checklist new cards start with. */
	process: BoardProcess;
	/** Soft WIP limits of swimlanes: `laneMode/laneKey` → limit. */
	laneLimits: Record<string, number>;
}

/** Board-wide process settings kept in the document (team role holders are mirrored there by the server). */
export interface BoardProcess {
	/** IANA time zone plans are counted in. */
	timeZone: string;
	/** Team role name → holders' user ids (not access roles). */
	teamRoles: Record<string, string[]>;
	/** Labels the board offers (from its template). */
	labels: Label[];
	/** Checklist items every new card starts with. */
	checklist: string[];
	/** Stage ids whose built-in hand-off the board's owner switched off (absent: every step hands off). */
	handoffsOff?: string[];
}

/** Who is making a change (stamped into created-by / moved-by / checked-by). */
export interface Actor {
	userId: string;
	now: () => Date;
}
