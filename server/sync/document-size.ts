import * as Y from 'yjs';

/** Measure the document exactly again once the running estimate grew by this much since the last measure. */
const REMEASURE_AFTER_BYTES = 256 * 1024;

/**
 * Keeps a board's document under its size cap. The estimate is the stored size plus every update the document
 * emitted since (deletions do not shrink it until a compaction re-encodes the live document); near the cap the
 * document is measured exactly, so deleting content makes room again.
 */
export class DocumentSize {
	private estimate: number;
	private measuredAt = Number.NEGATIVE_INFINITY;
	/** Whether something was deleted since the last measure (the estimate only ever grows). */
	private deletedSince = true;

	constructor(
		private readonly cap: number,
		storedBytes: number,
		/** The document's exact encoded size now (integrated state only). */
		private readonly measure: () => number
	) {
		this.estimate = storedBytes;
	}

	/** The document emitted an update of `bytes`. */
	grew(bytes: number): void {
		this.estimate += bytes;
	}

	/** A transaction deleted something: the next check near the cap measures again. */
	deleted(): void {
		this.deletedSince = true;
	}

	/**
	 * Whether `update` may be applied: anything while the document is under the cap, and at the cap only updates
	 * that add nothing (pure deletions), so people can always make room.
	 */
	admits(update: Uint8Array): boolean {
		if (this.cap <= 0 || this.estimate + update.length <= this.cap) return true;
		// A refusal stops the writer's browser for good, so it must be right: measure after any deletion.
		if (this.deletedSince || this.estimate - this.measuredAt >= REMEASURE_AFTER_BYTES) {
			this.estimate = this.measure();
			this.measuredAt = this.estimate;
			this.deletedSince = false;
			if (this.estimate + update.length <= this.cap) return true;
		}
		return Y.decodeUpdate(update).structs.length === 0;
	}
}
