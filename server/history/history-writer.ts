import { sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client.ts';
import { classifyFailure, describeFailure, type FailureKind } from '../../src/lib/server/db/failures.ts';
import { insertCardEvents, upsertStages, type CardEventRow, type StageRow } from '../../src/lib/server/history.ts';
import { setAsideHistory } from '../../src/lib/server/history-set-aside.ts';
import { insertActivity, type ActivityRow } from '../../src/lib/server/activity/write.ts';
import { isRecordedActivity, type HistorySink, type RecordedChange, type StageRecord } from './recorder.ts';

const BATCH_MS = 100;
const RETRY_MS = 100;
const RETRY_MAX_MS = 5000;
/** Attempts before a batch the database refused (a constraint, bad data) is set aside. */
const PERMANENT_ATTEMPTS = 3;
/** Attempts before a batch failing for an unrecognised reason is set aside, if the database answers meanwhile. */
const UNKNOWN_ATTEMPTS = 5;

/** A batch taken off the queue: written as one transaction, retried as a whole, or set aside as a whole. */
interface Batch {
	events: CardEventRow[];
	stages: StageRow[];
	activity: ActivityRow[];
	attempts: number;
	/** Why it failed last (short, without parameters). */
	error: string;
	/** Decided: it goes to `history_set_aside` (retried only if that insert fails for want of a database). */
	setAside: boolean;
}

/**
 * Writes one board's recorded history to the database: batched, and retried while the database is unavailable.
 * A batch the database keeps refusing is set aside (see `verdict`) so that later events on the board are recorded.
 */
export class HistoryWriter implements HistorySink {
	private queuedEvents: CardEventRow[] = [];
	private queuedStages: StageRow[] = [];
	private queuedActivity: ActivityRow[] = [];
	/** The batch being written or waiting for its retry; later events queue behind it so that order holds. */
	private current: Batch | null = null;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private running: Promise<void> | null = null;
	private gone = false;

	constructor(
		private readonly db: Db,
		private readonly boardId: string,
		private readonly log: (message: string, err?: unknown) => void
	) {}

	/** HistorySink: queue card events and audit entries. */
	events(events: RecordedChange[]): void {
		if (this.gone) return;
		for (const e of events) {
			if (isRecordedActivity(e)) this.queuedActivity.push({ boardId: this.boardId, at: e.at, actorId: e.actorId, kind: e.type, cardId: e.cardId, stageId: e.stageId, data: e.data });
			else this.queuedEvents.push({ ...e, boardId: this.boardId });
		}
		this.schedule(BATCH_MS);
	}

	/** HistorySink: queue stage metadata. */
	stages(stages: StageRecord[]): void {
		if (this.gone) return;
		this.queuedStages.push(...stages.map((s) => ({ ...s, boardId: this.boardId })));
		this.schedule(BATCH_MS);
	}

	/**
	 * Writes everything queued; resolves when nothing is pending. While the database is unavailable it keeps
	 * retrying (the caller bounds the wait: shutdown's deadline); a batch that cannot be written is set aside
	 * within a few attempts, so it never holds the caller for long.
	 */
	async flush(): Promise<void> {
		while (!this.gone && this.pending) {
			if (this.timer) {
				clearTimeout(this.timer);
				this.timer = null;
			}
			await (this.running ?? this.run());
			if (this.current && !this.gone) await new Promise((r) => setTimeout(r, this.retryDelay()));
		}
	}

	/** Drops everything (the board was deleted). */
	discard(): void {
		this.gone = true;
		this.queuedEvents = [];
		this.queuedStages = [];
		this.queuedActivity = [];
		this.current = null;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}

	private get pending(): boolean {
		return this.current !== null || this.running !== null || this.queuedEvents.length > 0 || this.queuedStages.length > 0 || this.queuedActivity.length > 0;
	}

	private retryDelay(): number {
		return Math.min(RETRY_MAX_MS, RETRY_MS * 2 ** Math.max(0, (this.current?.attempts ?? 1) - 1));
	}

	private schedule(ms: number): void {
		if (!this.timer && !this.running) this.timer = setTimeout(() => void this.run(), ms);
	}

	private run(): Promise<void> {
		this.timer = null;
		if (!this.current) {
			if (!this.pending) return Promise.resolve();
			this.current = { events: this.queuedEvents, stages: this.queuedStages, activity: this.queuedActivity, attempts: 0, error: '', setAside: false };
			this.queuedEvents = [];
			this.queuedStages = [];
			this.queuedActivity = [];
		}
		const batch = this.current;
		this.running = (async () => {
			try {
				if (batch.setAside) await this.setAside(batch);
				else await this.write(batch);
			} finally {
				this.running = null;
				if (!this.gone && this.pending) this.schedule(this.current ? this.retryDelay() : BATCH_MS);
			}
		})();
		return this.running;
	}

	private async write(batch: Batch): Promise<void> {
		try {
			// Stages first: history rows refer to them by id. Once written they leave the batch, so a batch set aside
			// holds only what was not written.
			await upsertStages(this.db, batch.stages);
			batch.stages = [];
			await insertCardEvents(this.db, batch.events);
			batch.events = [];
			await insertActivity(this.db, batch.activity);
			if (batch.attempts > 0) this.log(`board ${this.boardId}: history written after ${batch.attempts + 1} attempts`);
			this.current = null;
		} catch (err) {
			const kind = classifyFailure(err);
			if (kind === 'gone') return this.discard();
			batch.attempts++;
			batch.error = describeFailure(err);
			// One line per batch in trouble, never the error object: it carries the statement and every parameter.
			if (batch.attempts === 1) this.log(`board ${this.boardId}: history write failed (${batch.error}); retrying`);
			if (await this.verdict(kind, batch.attempts)) {
				batch.setAside = true;
				await this.setAside(batch);
			}
		}
	}

	/**
	 * Whether to stop retrying a batch and set it aside. Only for a reason retrying will not fix: the database
	 * refused the statement itself (`permanent`, after a few attempts in case of a race), or an unrecognised error
	 * that persisted over several attempts while the database answers a trivial query. A batch failing because
	 * the database is unavailable (`transient`) is retried with backoff for as long as it takes, never set aside:
	 * once the database is back it is written as it was.
	 */
	private async verdict(kind: FailureKind, attempts: number): Promise<boolean> {
		if (kind === 'permanent') return attempts >= PERMANENT_ATTEMPTS;
		if (kind === 'unknown' && attempts >= UNKNOWN_ATTEMPTS) return this.databaseAnswers();
		return false;
	}

	private async databaseAnswers(): Promise<boolean> {
		try {
			await this.db.execute(sql`select 1`);
			return true;
		} catch {
			return false;
		}
	}

	private async setAside(batch: Batch): Promise<void> {
		try {
			await setAsideHistory(this.db, { boardId: this.boardId, events: batch.events, stages: batch.stages, activity: batch.activity, error: batch.error, attempts: batch.attempts, at: new Date() });
			this.current = null;
			this.log(
				`board ${this.boardId}: history batch of ${batch.events.length} events and ${batch.stages.length} stages set aside after ${batch.attempts} attempts ` +
					`(${batch.error}); later events are recorded; see /health, replay with npm run history:replay`
			);
		} catch (err) {
			// Kept in memory and tried again after the backoff while the database is unreachable; a batch it refuses
			// even to set aside would block the board's history for good: dropped, with one line.
			const kind = classifyFailure(err);
			if (kind === 'gone') this.discard();
			else if (kind === 'permanent') {
				this.log(`board ${this.boardId}: history batch of ${batch.events.length} events dropped: the database refused to set it aside (${describeFailure(err)})`);
				this.current = null;
			}
		}
	}
}
