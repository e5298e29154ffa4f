// The portfolio's answer shapes, shared by the server that computes them and the page that shows them.

/** A board's figures on the portfolio; null where there is nothing to measure (no card with a due date, no work). */
export interface PortfolioFigures {
	/** Cards finished in the range. */
	throughput: number;
	/** Of the finished cards with a due date, the share finished by it (the stats tab's "Deadlines"). */
	onTimeShare: number | null;
	withDue: number;
	/** The stats tab's automation share. */
	automationShare: number | null;
	/** Median lead time, hours. */
	leadTimeP50: number | null;
	/** Open cards the last delivery-risk check found at risk or likely late. */
	atRisk: number;
}

/** A board's compliance on the portfolio, from its process review over the range. */
export interface BoardCompliance {
	/** Clean first attempts ÷ stage exits in the range, as the board's process review counts them; null without exits. */
	compliance: number | null;
	/** Stage exits (first attempts that left a stage) in the range. */
	complianceExits: number;
	/** The board's compliance target (a share); null when its process could not be read. */
	complianceTarget: number | null;
}

/** The portfolio's process part (one review per board: the slow part, which the page streams in after the rest). */
export interface PortfolioProcess {
	/** By board id. */
	compliance: Record<string, BoardCompliance>;
	templates: TemplateFigures[];
}

/** The process figures of the boards that share one template, added up over the boards the caller is on. */
export interface TemplateFigures {
	templateId: string;
	name: string;
	/** Boards (of the caller's) created from the template. */
	boards: number;
	/** Stage exits in the range, and how many were clean first attempts; `compliance` is clean ÷ exits (null: none). */
	exits: number;
	clean: number;
	compliance: number | null;
	/** Steps left in the range with a planned day (the card had a target date), and those left on or before it. */
	stepsPlanned: number;
	stepsOnTime: number;
	/** stepsOnTime ÷ stepsPlanned; null when none was planned. */
	stepOnTimeShare: number | null;
	/** Cards finished in the range with a target date, and those finished after it. */
	withTarget: number;
	late: number;
	/** Median (nearest rank) of the late cards' lateness, days; null when none was late. */
	lateDaysP50: number | null;
}

/** Hand-offs from one board to another over a range, and how fast the receiving team took them up and finished them. */
export interface HandoffLane {
	fromBoardId: string;
	toBoardId: string;
	/** Linked cards rules created in the range. */
	handedOff: number;
	/** Of those, picked up so far and finished so far (see `readHandoffs`). */
	pickedUp: number;
	done: number;
	/** Hours from the hand-off to pick-up and to done, nearest-rank p50 and p85 of those that got there; null: none. */
	pickupP50: number | null;
	pickupP85: number | null;
	doneP50: number | null;
	doneP85: number | null;
}

/** A lane with both boards' names, as the portfolio lists it. */
export type NamedHandoffLane = HandoffLane & { fromBoard: string; toBoard: string };
