import * as Y from 'yjs';
import { setImmediate } from 'node:timers/promises';
// The recorder the sync server runs on every board: imported history is what the live board would have written.
import { isRecordedActivity, recordHistory } from '../../../../../server/history/recorder.ts';
import { boardCommands } from '../../../board/doc/commands.ts';
import { actorOfOrigin, type ServerOrigin } from '../../../board/doc/origins.ts';
import { placesOf } from '../../../board/doc/places.ts';
import { boardMaps, SCHEMA_VERSION } from '../../../board/doc/schema.ts';
import { initialRanks } from '../../../board/ranks.ts';
import type { StageKind } from '../../../board/types.ts';
import type { ActivityRow } from '../../activity/write.ts';
import type { CardEventRow, StageRow } from '../../history.ts';
import type { ImportPlan, PlannedCard } from './plan.ts';

/** The importer's choices on top of the plan. */
export interface BuildChoices {
	/** Stage kind per Trello list id (lists not named keep the guessed kind). */
	kinds: Record<string, StageKind>;
	/** Trello member id → the Flowdeck user they are (unmapped members are absent). */
	people: Record<string, string>;
	/** Who imports: the actor of whatever no mapped Trello member did. */
	importerId: string;
	timeZone: string;
}

/** A built board: its first document state and the history rows the server would have recorded for it. */
export interface BuiltBoard {
	update: Uint8Array;
	events: CardEventRow[];
	stages: StageRow[];
	activity: ActivityRow[];
	/** Trello card id → Flowdeck card id. */
	cardIds: Map<string, string>;
}

type Step = { at: number; order: number; run: () => void };

/**
 * Builds the board document offline by replaying the plan through the board's own commands with a clock set to each
 * Trello action's time, while the server's history recorder writes down what happened: cards created at their Trello
 * creation, moved at their moves, archived when they were. `progress(done, total)` is told as steps complete.
 */
export async function buildBoard(boardId: string, plan: ImportPlan, choices: BuildChoices, progress: (done: number, total: number) => void): Promise<BuiltBoard> {
	const doc = new Y.Doc();
	let clock = Math.min(Date.now(), ...plan.cards.map((c) => c.history.createdAt));
	const now = () => new Date(clock);
	const events: CardEventRow[] = [];
	const activity: ActivityRow[] = [];
	const stageRows: StageRow[] = [];
	const recorder = recordHistory(
		doc,
		{
			events(changes) {
				for (const e of changes) {
					if (isRecordedActivity(e)) activity.push({ boardId, at: e.at, actorId: e.actorId, kind: e.type, cardId: e.cardId, stageId: e.stageId, data: e.data });
					else events.push({ ...e, boardId });
				}
			},
			stages(records) {
				stageRows.push(...records.map((s) => ({ ...s, boardId })));
			}
		},
		actorOfOrigin,
		now
	);
	const origins = new Map<string, ServerOrigin>();
	const commandsOf = (trelloMember: string | null) => {
		const userId = (trelloMember && choices.people[trelloMember]) || choices.importerId;
		let origin = origins.get(userId);
		if (!origin) origins.set(userId, (origin = Object.freeze({ kind: 'server', actorId: userId }) as ServerOrigin));
		return boardCommands(doc, { userId, now }, origin);
	};
	const importer = commandsOf(null);
	try {
		doc.transact(() => {
			const { meta } = boardMaps(doc);
			meta.set('schemaVersion', SCHEMA_VERSION);
			meta.set('timeZone', choices.timeZone);
			meta.set('labels', uniqueLabels(plan));
		}, origins.get(choices.importerId));
		const stageOf = new Map(plan.stages.map((s) => [s.listId, importer.addStage(s.name, choices.kinds[s.listId] ?? s.kind)]));
		recorder.flush();

		const cardIds = new Map<string, string>();
		const steps: Step[] = [];
		for (const card of plan.cards) {
			const h = card.history;
			steps.push({ at: h.createdAt, order: 0, run: () => cardIds.set(card.trelloId, createCard(card, stageOf.get(h.createdIn)!)) });
			for (const move of h.moves) steps.push({ at: move.at, order: 1, run: () => void commandsOf(move.by).moveCard(cardIds.get(card.trelloId)!, stageOf.get(move.to)!, Number.MAX_SAFE_INTEGER) });
			if (card.archived) steps.push({ at: h.archivedAt ?? clock, order: 2, run: () => commandsOf(null).setArchived(cardIds.get(card.trelloId)!, true) });
		}
		// Oldest first; at one instant a card is made before it moves, and moves before it is archived.
		steps.sort((a, b) => a.at - b.at || a.order - b.order);
		const createCard = (card: PlannedCard, stageId: string): string => {
			const cmd = commandsOf(card.history.createdBy);
			const id = cmd.addCard(stageId, card.title);
			if (card.description) cmd.setDescription(id, card.description);
			if (card.labels.length > 0) cmd.setLabels(id, card.labels);
			if (card.due) cmd.setDue(id, card.due);
			for (const member of card.memberIds) if (choices.people[member]) cmd.addOwner(id, choices.people[member]);
			// Every item first, then the ticks: a half-done checklist must not look complete on the way.
			const items = card.checklist.map((item) => ({ id: cmd.addChecklistItem(id, item.text), done: item.done }));
			for (const item of items) if (item.done) cmd.setChecklistDone(id, item.id, true);
			return id;
		};
		for (let i = 0; i < steps.length; i++) {
			clock = Math.max(clock, steps[i]!.at);
			steps[i]!.run();
			recorder.flush();
			if (i % 100 === 99) {
				progress(i + 1, steps.length);
				// Lets the server answer others (and the progress reach the browser) during a big board.
				await setImmediate();
			}
		}
		arrangeByTrelloPosition(doc, plan, cardIds, stageOf, origins.get(choices.importerId)!);
		recorder.flush();
		progress(steps.length, steps.length);
		return { update: Y.encodeStateAsUpdate(doc), events, stages: stageRows, activity, cardIds };
	} finally {
		recorder.stop();
		doc.destroy();
	}
}

/** Every card in its list's Trello order (replayed moves put each at the bottom): ranks only, so no history. */
function arrangeByTrelloPosition(doc: Y.Doc, plan: ImportPlan, cardIds: Map<string, string>, stageOf: Map<string, string>, origin: ServerOrigin): void {
	const places = placesOf(doc);
	doc.transact(() => {
		for (const stage of plan.stages) {
			const cards = plan.cards.filter((c) => c.listId === stage.listId).sort((a, b) => a.pos - b.pos);
			const ranks = initialRanks(cards.length);
			cards.forEach((card, i) => {
				const id = cardIds.get(card.trelloId)!;
				const place = places.get(id)!;
				places.set(id, { stageId: stageOf.get(stage.listId)!, rank: ranks[i]!, enteredAt: place.enteredAt });
			});
		}
	}, origin);
}

/** The board's label set: each distinct name and colour once, in Trello's order. */
function uniqueLabels(plan: ImportPlan): { name: string; color: string }[] {
	const seen = new Set<string>();
	return plan.labels.flatMap((l) => {
		const key = `${l.name}\u0000${l.color}`;
		if (seen.has(key)) return [];
		seen.add(key);
		return [{ name: l.name, color: l.color }];
	});
}
