import type { Db } from '../../src/lib/server/db/client.ts';
import { insertCardEvents, upsertStages, type CardEventRow, type StageRow } from '../../src/lib/server/history.ts';
import type { HistorySink, NewCardEvent, StageRecord } from './recorder.ts';

const BATCH_MS = 100;
const RETRY_MAX_MS = 5000;

/** Writes one board's recorded history to the database: batched, retried while the database is down, flushed on unload. */
export class HistoryWriter implements HistorySink {
	private queuedEvents: CardEventRow[] = [];
	private queuedStages: StageRow[] = [];
	private timer: ReturnType<typeof setTimeout> | null = null;
	private running: Promise<void> | null = null;
	private failures = 0;
	private gone = false;

	constructor(
		private readonly db: Db,
		private readonly boardId: string,
		private readonly log: (message: string, err?: unknown) => void
	) {}

	/** HistorySink: queue card events. */
	events(events: NewCardEvent[]): void {
		if (this.gone) return;
		this.queuedEvents.push(...events.map((e) => ({ ...e, boardId: this.boardId })));
		this.schedule(BATCH_MS);
	}

	/** HistorySink: queue stage metadata. */
	stages(stages: StageRecord[]): void {
		if (this.gone) return;
		this.queuedStages.push(...stages.map((s) => ({ ...s, boardId: this.boardId })));
		this.schedule(BATCH_MS);
	}

	/** Writes everything queued; resolves when nothing is pending. */
	async flush(): Promise<void> {
		for (let i = 0; i < 100 && (this.queuedEvents.length > 0 || this.queuedStages.length > 0 || this.running); i++) {
			if (this.timer) {
				clearTimeout(this.timer);
				this.timer = null;
			}
			await (this.running ?? this.run());
			if (this.failures > 0) await new Promise((r) => setTimeout(r, Math.min(RETRY_MAX_MS, 100 * 2 ** this.failures)));
		}
	}

	/** Drops everything (the board was deleted). */
	discard(): void {
		this.gone = true;
		this.queuedEvents = [];
		this.queuedStages = [];
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}

	private schedule(ms: number): void {
		if (!this.timer && !this.running) this.timer = setTimeout(() => void this.run(), ms);
	}

	private run(): Promise<void> {
		this.timer = null;
		const events = this.queuedEvents;
		const stages = this.queuedStages;
		this.queuedEvents = [];
		this.queuedStages = [];
		this.running = (async () => {
			try {
				// Stages first: history rows refer to them by id.
				await upsertStages(this.db, stages);
				await insertCardEvents(this.db, events);
				this.failures = 0;
			} catch (err) {
				if (isForeignKeyViolation(err)) {
					this.discard();
					return;
				}
				this.failures++;
				this.log(`board ${this.boardId}: history write failed (attempt ${this.failures}); will retry`, err);
				this.queuedEvents = [...events, ...this.queuedEvents];
				this.queuedStages = [...stages, ...this.queuedStages];
			} finally {
				this.running = null;
				if (!this.gone && (this.queuedEvents.length > 0 || this.queuedStages.length > 0)) {
					this.schedule(this.failures > 0 ? Math.min(RETRY_MAX_MS, 100 * 2 ** this.failures) : BATCH_MS);
				}
			}
		})();
		return this.running;
	}
}

function isForeignKeyViolation(err: unknown): boolean {
	const code = (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
	return code === '23503';
}
