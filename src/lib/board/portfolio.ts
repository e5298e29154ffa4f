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
