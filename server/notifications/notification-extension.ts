import type { BoardChange } from '../../src/lib/board/changes.ts';
import { authorsOf, eligibleApprovers } from '../../src/lib/board/process/signoff.ts';
import { membersAmong, readBoardNotice, userName, type BoardNotice } from '../../src/lib/server/notifications/board-audience.ts';
import type { RoomExtensionFactory } from '../sync/room-extension.ts';
import type { WriterLog } from '../persistence/board-writer.ts';
import { scheduleCard, type CardInWorkflow, type ReminderDeps } from './reminders.ts';

/** Changes after which a card's reminders are (re)scheduled: its due dates, its step or its blocker may have changed. */
const RESCHEDULE = new Set<BoardChange['type']>(['created', 'moved', 'due_changed', 'step_due_set', 'target_changed', 'blocked', 'restored']);

/** Changes that may notify someone at once. */
const NOTIFYING = new Set<BoardChange['type']>(['owner_added', 'created', 'moved', 'signoff_decided', 'handoff_unstaffed']);

/** Whether a card can have reminders at all: a due date, a blocker, or a place in a step (a planned date). */
const mayBeDue = ({ card, stages }: CardInWorkflow): boolean => Boolean(card.due || card.blocked || stages.some((s) => s.id === card.stageId && s.step));

const OUTCOME_WORDS = { approve: 'approved', changes: 'asked for changes to', reject: 'rejected' } as const;

/** The card a change concerns, if any. */
const cardOf = (change: BoardChange): string | null => ('cardId' in change ? change.cardId : null);

/**
 * The notifications a board's changes produce, read from the change feed once each transaction settled:
 * - `assigned`: an owner added by hand (not someone adding themself), by a hand-off or by a rule;
 * - `approval_requested`: a card entered a stage that needs sign-off, to each eligible approver;
 * - `decision`: a sign-off decision, to the card's owners (and the author it was handed on from);
 * - `unstaffed`: a hand-off found nobody holding the step's team role, to the process owner (the board's owners when
 *   it has none);
 * and the reminders each changed card's due dates and blocker call for (reminders.ts). A board's work runs in order,
 * one transaction after another; `flush` waits for it.
 */
export class BoardNotifier {
	private chain: Promise<void> = Promise.resolve();
	private discarded = false;

	constructor(
		private readonly deps: ReminderDeps,
		private readonly boardId: string,
		private readonly log: WriterLog
	) {}

	/** Queues work after the board's earlier work; a failure is logged, never lost silently, and never stops the queue. */
	enqueue(work: () => Promise<void>): void {
		this.chain = this.chain.then(async () => {
			if (this.discarded) return;
			try {
				await work();
			} catch (err) {
				if ((err as Error | null)?.name === 'RoomUnavailableError') return;
				this.log(`board ${this.boardId}: could not send its notifications`, err);
			}
		});
	}

	/** Resolves once everything queued so far is done. */
	flush(): Promise<void> {
		return this.chain;
	}

	/** The board was deleted: drop what is queued. */
	discard(): void {
		this.discarded = true;
	}

	/**
	 * Schedules the reminders of every card of a board that just loaded (due dates set before reminders existed, or
	 * while another process served the board). Read on the board's engine thread, once the room is up.
	 */
	async scanLoaded(): Promise<void> {
		const reading = await this.deps.documents.readBoard(this.boardId, { kind: 'cards' });
		const cards = reading.cards.filter((card) => !card.archived && mayBeDue({ card, stages: reading.stages, process: reading.process }));
		if (cards.length === 0) return;
		const notice = await readBoardNotice(this.deps.db, this.boardId);
		if (!notice) return;
		for (const card of cards) await scheduleCard(this.deps, this.boardId, { card, stages: reading.stages, process: reading.process }, notice);
	}

	/** Turns one transaction's changes into notifications and reminders. */
	async react(changes: readonly BoardChange[]): Promise<void> {
		const interesting = changes.filter((c) => c.type === 'owner_added' || c.type === 'signoff_decided' || c.type === 'handoff_unstaffed' || RESCHEDULE.has(c.type));
		if (interesting.length === 0) return;
		// Read from the database only when something will be sent or scheduled: most edits (a card added to a plain
		// stage) need nothing, and on PGlite every query runs on the main thread.
		let notice: Promise<BoardNotice | null> | undefined;
		const board = () => (notice ??= readBoardNotice(this.deps.db, this.boardId));
		const cards = new Map<string, Promise<CardInWorkflow | null>>();
		const read = (cardId: string) => {
			let reading = cards.get(cardId);
			if (!reading) {
				reading = this.deps.documents.readBoard(this.boardId, { kind: 'card', cardId }).then((r) => (r.card ? { card: r.card, stages: r.stages, process: r.process } : null));
				cards.set(cardId, reading);
			}
			return reading;
		};
		for (const change of interesting) {
			const cardId = cardOf(change);
			if (!cardId) continue;
			const reading = await read(cardId);
			if (!reading) continue;
			await this.notifyFor(change, reading, board);
		}
		const rescheduled = new Set(interesting.filter((c) => RESCHEDULE.has(c.type)).map(cardOf).filter((id): id is string => id !== null));
		for (const cardId of rescheduled) {
			const reading = await read(cardId);
			if (!reading || !mayBeDue(reading)) continue;
			const found = await board();
			if (found) await scheduleCard(this.deps, this.boardId, reading, found);
		}
	}

	private async notifyFor(change: BoardChange, reading: CardInWorkflow, board: () => Promise<BoardNotice | null>): Promise<void> {
		const { card, stages, process } = reading;
		if (!NOTIFYING.has(change.type)) return;
		// A card entering a stage only matters when the stage needs sign-off.
		if ((change.type === 'created' || change.type === 'moved') && !stages.find((s) => s.id === change.toStageId)?.step?.approval) return;
		const notice = await board();
		if (!notice) return;
		const on = `“${card.title}” on ${notice.name}`;
		const base = { boardId: this.boardId, cardId: card.id };
		const send = async (userIds: string[], input: { kind: 'assigned' | 'approval_requested' | 'decision' | 'unstaffed'; title: string; body?: string; ruleId: string; data: Record<string, unknown> }) => {
			for (const userId of await membersAmong(this.deps.db, this.boardId, userIds)) {
				await this.deps.notify({ ...base, ...input, userId, data: { cardId: card.id, cardTitle: card.title, ...input.data } });
			}
		};
		switch (change.type) {
			case 'owner_added': {
				const { userId, via } = change.data;
				const byHand = !via && !change.ruleId;
				// Adding oneself is no news to oneself.
				if (byHand && change.actorId === userId) return;
				const actor = byHand ? await userName(this.deps.db, change.actorId) : null;
				const title = change.ruleId
					? `A rule assigned you ${on}`
					: via === 'process'
						? `${on} was handed to you${card.handoff?.role ? ` (${card.handoff.role})` : ''}`
						: `${actor ?? 'Someone'} assigned you ${on}`;
				await send([userId], { kind: 'assigned', title, ruleId: change.ruleId ?? 'process', data: { by: change.actorId, via: via ?? (change.ruleId ? 'rule' : 'hand') } });
				return;
			}
			case 'created':
			case 'moved': {
				const stage = stages.find((s) => s.id === change.toStageId);
				if (!stage?.step?.approval || card.stageId !== stage.id || card.archived) return;
				const approvers = eligibleApprovers(stage, authorsOf(card, stage.id), process.teamRoles).filter((id) => id !== change.actorId);
				await send(approvers, { kind: 'approval_requested', title: `Your approval is requested: ${on} (${stage.name})`, ruleId: change.ruleId ?? 'process', data: { stageId: stage.id } });
				return;
			}
			case 'signoff_decided': {
				const decider = (await userName(this.deps.db, change.actorId)) ?? 'An approver';
				const stage = stages.find((s) => s.id === change.data.stageId);
				const owners = authorsOf(card, change.data.stageId).filter((id) => id !== change.actorId);
				await send(owners, {
					kind: 'decision',
					title: `${decider} ${OUTCOME_WORDS[change.data.outcome]} ${on}${stage ? ` (${stage.name})` : ''}`,
					body: change.data.comment,
					ruleId: 'process',
					data: { stageId: change.data.stageId, outcome: change.data.outcome, by: change.actorId }
				});
				return;
			}
			case 'handoff_unstaffed': {
				const stage = stages.find((s) => s.id === change.data.stageId);
				await send(notice.processOwners, {
					kind: 'unstaffed',
					title: `No one holds the role “${change.data.role}” that ${on} needs${stage ? ` in ${stage.name}` : ''}`,
					body: 'Give the role a holder in the board settings, or assign the card by hand.',
					ruleId: 'process',
					data: { stageId: change.data.stageId, role: change.data.role }
				});
				return;
			}
			default:
				return;
		}
	}
}

/** Builds the notifications room extension; `deps` is read when a room loads (the app binds it after start-up). */
export function notificationExtension(deps: () => ReminderDeps | null, log: WriterLog): RoomExtensionFactory {
	return (ctx) => {
		const bound = deps();
		if (!bound) return {};
		const notifier = new BoardNotifier(bound, ctx.boardId, log);
		notifier.enqueue(() => notifier.scanLoaded());
		return {
			onChange(_update, changes) {
				notifier.enqueue(() => notifier.react(changes));
			},
			flush: () => notifier.flush(),
			onDiscard: () => notifier.discard(),
			// After the last flush: a room that failed to open never scans (nor loads the board again to do it).
			onDestroy: () => notifier.discard()
		};
	};
}
