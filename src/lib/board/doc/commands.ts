import * as Y from 'yjs';
import { checkMove, exitCheckKey, type MoveRefusal } from '../policy.ts';
import { compareByRank, initialRanks, rankAtIndex } from '../ranks.ts';
import type { Actor, Label, StageKind, WipMode } from '../types.ts';
import { LABEL_COLORS } from '../defaults.ts';
import { LIMITS, isCalendarDate } from '../limits.ts';
import { LOCAL, type TxOrigin } from './origins.ts';
import { placeOf, placesOf } from './places.ts';
import { boardMaps, cardKey, mapAt, mapsIn, newDocId, newStageId } from './schema.ts';
import { readCard, readProcess, readStage, readStages } from './snapshot.ts';
import { laneCommands } from './lane-commands.ts';
import { CommandError } from './command-error.ts';
import { cardMapOf, stageMapOf } from './lookup.ts';
import { liveCardsIn as liveCardsOf } from './live-cards.ts';
import { processCommands } from './process-commands.ts';
import { removeCardEntries } from './card-removal.ts';

export { CommandError };

/** Longest card title, stage name, checklist item or criterion (the server enforces the same: limits.ts). */
export const MAX_SHORT_TEXT = LIMITS.shortText;
/** Longest card description. */
export const MAX_DESCRIPTION = LIMITS.description;

function cleanText(text: string, what: string, max: number = MAX_SHORT_TEXT): string {
	// NUL never belongs in a name, and the server refuses it (PostgreSQL cannot store it in history).
	const clean = text.replaceAll('\u0000', '').trim();
	if (!clean) throw new CommandError(`${what} cannot be empty.`);
	if (clean.length > max) throw new CommandError(`${what} is too long (at most ${max} characters).`);
	return clean;
}

/** Every named write to a board document. Each runs in one transaction with the given origin. */
export function boardCommands(doc: Y.Doc, actor: Actor, origin: TxOrigin = LOCAL) {
	const { stages, cards, owners, checklists, exitChecks, descriptions } = boardMaps(doc);
	const places = placesOf(doc);
	const now = () => actor.now().toISOString();
	const tx = <T>(fn: () => T): T => {
		let result!: T;
		doc.transact(() => (result = fn()), origin);
		return result;
	};
	const cardMap = (id: string) => cardMapOf(doc, id);
	const stageMap = (id: string) => stageMapOf(doc, id);
	const orderedStages = () => readStages(stages);
	const liveCardsIn = (stageId: string, exceptId?: string) => liveCardsOf(doc, stageId, exceptId);
	/** A nested Y type, created on first write (stages made before exitCriteria was created eagerly lack it). */
	const nested = <T,>(map: Y.Map<unknown>, key: string, make: () => T): T => {
		const existing = map.get(key);
		if (existing instanceof Y.AbstractType) return existing as T;
		const created = make();
		map.set(key, created as unknown as Y.AbstractType<unknown>);
		return created;
	};

	return {
		...processCommands(doc, actor, origin),
		...laneCommands(doc, origin),

		/** Adds a card at the bottom of a stage; returns its id. */
		addCard(stageId: string, title: string): string {
			const clean = cleanText(title, 'A card title');
			const stage = readStage(stageMap(stageId));
			const refusal = checkMove({
				stages: orderedStages(),
				card: { id: '', stageId: '', exitChecks: {} },
				toStageId: stage.id,
				cardsInTarget: liveCardsIn(stage.id).length
			});
			if (refusal?.code === 'wip_limit') throw new CommandError(refusal.message);
			return tx(() => {
				const id = newDocId();
				const siblings = liveCardsIn(stageId);
				const card = new Y.Map<unknown>();
				card.set('title', clean);
				cards.set(id, card);
				places.set(id, { stageId, rank: rankAtIndex(siblings, siblings.length), enteredAt: actor.now().getTime() });
				// The board's quality checklist (from its template): every new card starts with it.
				const starting = readProcess(doc).checklist.slice(0, LIMITS.checklistItemsPerCard);
				const itemRanks = initialRanks(starting.length);
				starting.forEach((text, i) => {
					const itemId = newDocId();
					const item = new Y.Map<unknown>();
					item.set('id', itemId);
					item.set('cardId', id);
					item.set('text', text.slice(0, MAX_SHORT_TEXT));
					item.set('done', false);
					item.set('rank', itemRanks[i]!);
					checklists.set(cardKey(id, itemId), item);
				});
				return id;
			});
		},

		/** Moves a card to `toIndex` within `toStageId`; returns why not instead of moving if a rule forbids it. */
		moveCard(cardId: string, toStageId: string, toIndex: number): MoveRefusal | null {
			const card = readCard(doc, cardId, cardMap(cardId));
			const refusal = checkMove({ stages: orderedStages(), card, toStageId, cardsInTarget: liveCardsIn(toStageId, cardId).length, teamRoles: readProcess(doc).teamRoles });
			if (refusal) return refusal;
			tx(() => {
				// The stage, rank and arrival time are one value: concurrent moves can never mix one's stage with another's rank.
				const enteredAt = card.stageId === toStageId ? Date.parse(card.movedAt) : actor.now().getTime();
				places.set(cardId, { stageId: toStageId, rank: rankAtIndex(liveCardsIn(toStageId, cardId), toIndex), enteredAt });
			});
			return null;
		},

		/** Renames a card. */
		setTitle(cardId: string, title: string): void {
			const clean = cleanText(title, 'A card title');
			tx(() => cardMap(cardId).set('title', clean));
		},

		/** Replaces the description, touching only the changed span so concurrent edits elsewhere survive. */
		setDescription(cardId: string, next: string): void {
			if (next.length > MAX_DESCRIPTION) throw new CommandError(`The description is too long (at most ${MAX_DESCRIPTION} characters).`);
			tx(() => {
				cardMap(cardId);
				const existing = descriptions.get(cardId);
				let text = existing instanceof Y.Text ? existing : undefined;
				if (!text) descriptions.set(cardId, (text = new Y.Text()));
				const current = text.toString();
				let start = 0;
				while (start < current.length && start < next.length && current[start] === next[start]) start++;
				let endCur = current.length;
				let endNext = next.length;
				while (endCur > start && endNext > start && current[endCur - 1] === next[endNext - 1]) {
					endCur--;
					endNext--;
				}
				if (endCur > start) text.delete(start, endCur - start);
				if (endNext > start) text.insert(start, next.slice(start, endNext));
			});
		},

		/** Sets or clears the due date (YYYY-MM-DD). */
		setDue(cardId: string, due: string | null): void {
			if (due !== null && !isCalendarDate(due)) throw new CommandError('Use a real date like 2026-12-31.');
			tx(() => cardMap(cardId).set('due', due));
		},

		/** Replaces the card's labels. */
		setLabels(cardId: string, labels: Label[]): void {
			if (labels.length > LIMITS.labelsPerCard) throw new CommandError(`A card can have at most ${LIMITS.labelsPerCard} labels.`);
			// Labels the card already has keep their colour (boards from before the palette was enforced).
			const had = new Set(readCard(doc, cardId, cardMap(cardId)).labels.map((l) => `${l.name}\u0000${l.color}`));
			if (labels.some((l) => !had.has(`${l.name}\u0000${l.color}`) && !(LABEL_COLORS as readonly string[]).includes(l.color))) throw new CommandError('Pick one of the board’s label colours.');
			const clean = labels.map((l) => ({ name: cleanText(l.name, 'A label', LIMITS.labelName), color: l.color }));
			tx(() => cardMap(cardId).set('labels', clean));
		},

		/** Adds an owner (a board member's user id). */
		addOwner(cardId: string, userId: string): void {
			tx(() => {
				cardMap(cardId);
				let count = 0;
				for (const key of owners.keys()) if (key.startsWith(`${cardId}/`)) count++;
				if (count >= LIMITS.ownersPerCard && !owners.has(cardKey(cardId, userId))) throw new CommandError(`A card can have at most ${LIMITS.ownersPerCard} owners.`);
				owners.set(cardKey(cardId, userId), userId);
			});
		},

		/** Removes an owner. */
		removeOwner(cardId: string, userId: string): void {
			tx(() => owners.delete(cardKey(cardId, userId)));
		},

		/** Flags the card blocked with a reason, or clears the flag (null). */
		setBlocked(cardId: string, reason: string | null): void {
			const value = reason === null ? null : { reason: cleanText(reason, 'The blocking reason'), by: actor.userId, at: now() };
			tx(() => cardMap(cardId).set('blocked', value));
		},

		/** Archives or restores a card. Restoring returns it to its stage, within that stage's hard WIP limit. */
		setArchived(cardId: string, archived: boolean): void {
			if (!archived) {
				const card = readCard(doc, cardId, cardMap(cardId));
				const refusal = checkMove({ stages: orderedStages(), card: { ...card, stageId: '' }, toStageId: card.stageId, cardsInTarget: liveCardsIn(card.stageId, cardId).length });
				if (refusal?.code === 'wip_limit') throw new CommandError(refusal.message);
			}
			tx(() => {
				const map = cardMap(cardId);
				map.set('archived', archived);
				const place = placeOf(doc, cardId, map);
				if (!archived && !stages.has(place?.stageId ?? '')) {
					const first = orderedStages()[0];
					if (first) {
						const siblings = liveCardsIn(first.id, cardId);
						places.set(cardId, { stageId: first.id, rank: rankAtIndex(siblings, siblings.length), enteredAt: actor.now().getTime() });
					}
				}
			});
		},

		/**
		 * Deletes a card with its place, checklist, owners, step dates and description, in one transaction: an undo
		 * brings all of it back in one step. (What only the server writes stays until the grace period ends: card-removal.ts.)
		 */
		deleteCard(cardId: string): void {
			cardMap(cardId);
			tx(() => removeCardEntries(doc, cardId));
		},

		/** Adds a checklist item at the end; returns its id. */
		addChecklistItem(cardId: string, text: string): string {
			const clean = cleanText(text, 'A checklist item');
			return tx(() => {
				cardMap(cardId);
				const siblings = checklistOf(cardId);
				if (siblings.length >= LIMITS.checklistItemsPerCard) throw new CommandError(`A card can have at most ${LIMITS.checklistItemsPerCard} checklist items.`);
				const id = newDocId();
				const item = new Y.Map<unknown>();
				item.set('id', id);
				item.set('cardId', cardId);
				item.set('text', clean);
				item.set('done', false);
				item.set('rank', rankAtIndex(siblings, siblings.length));
				checklists.set(cardKey(cardId, id), item);
				return id;
			});
		},

		/** Ticks or unticks a checklist item. */
		setChecklistDone(cardId: string, itemId: string, done: boolean): void {
			tx(() => checklistItem(cardId, itemId).set('done', done));
		},

		/** Rewords a checklist item. */
		renameChecklistItem(cardId: string, itemId: string, text: string): void {
			const clean = cleanText(text, 'A checklist item');
			tx(() => checklistItem(cardId, itemId).set('text', clean));
		},

		/** Moves a checklist item to `toIndex`. */
		moveChecklistItem(cardId: string, itemId: string, toIndex: number): void {
			tx(() => {
				const item = checklistItem(cardId, itemId);
				item.set('rank', rankAtIndex(checklistOf(cardId, itemId), toIndex));
			});
		},

		/** Deletes a checklist item. */
		deleteChecklistItem(cardId: string, itemId: string): void {
			tx(() => checklists.delete(cardKey(cardId, itemId)));
		},

		/** Records (or withdraws) that a card meets one exit criterion of a stage. */
		setExitCheck(cardId: string, stageId: string, criterionId: string, checked: boolean): void {
			tx(() => {
				cardMap(cardId);
				const key = cardKey(cardId, exitCheckKey(stageId, criterionId));
				if (checked) exitChecks.set(key, { by: actor.userId, at: now() });
				else exitChecks.delete(key);
			});
		},

		/** Adds a stage at the end of the workflow; returns its id. */
		addStage(name: string, kind: StageKind = 'active'): string {
			const clean = cleanText(name, 'A stage name', 60);
			return tx(() => {
				const siblings = orderedStages();
				if (stages.size >= LIMITS.stages) throw new CommandError(`A board can have at most ${LIMITS.stages} stages.`);
				const id = newStageId();
				const stage = new Y.Map<unknown>();
				stage.set('id', id);
				stage.set('name', clean);
				stage.set('rank', rankAtIndex(siblings, siblings.length));
				stage.set('kind', kind);
				stage.set('wipLimit', null);
				stage.set('wipMode', 'soft');
				stage.set('exitCriteria', new Y.Array());
				stages.set(id, stage);
				return id;
			});
		},

		/** Renames a stage. */
		renameStage(stageId: string, name: string): void {
			const clean = cleanText(name, 'A stage name', 60);
			tx(() => stageMap(stageId).set('name', clean));
		},

		/** Changes what a stage means for flow metrics; done stages lose their WIP limit. */
		setStageKind(stageId: string, kind: StageKind): void {
			tx(() => {
				const map = stageMap(stageId);
				map.set('kind', kind);
				if (kind === 'done') map.set('wipLimit', null);
			});
		},

		/** Sets a stage's WIP limit (null = none) and whether it is soft or hard. */
		setWipLimit(stageId: string, limit: number | null, mode: WipMode): void {
			if (limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > 999)) {
				throw new CommandError('A WIP limit is a whole number from 1 to 999, or empty for none.');
			}
			tx(() => {
				const map = stageMap(stageId);
				if (map.get('kind') === 'done' && limit !== null) throw new CommandError('Done stages have no WIP limit.');
				map.set('wipLimit', limit);
				map.set('wipMode', mode);
			});
		},

		/** Moves a stage to `toIndex` in the workflow. */
		moveStage(stageId: string, toIndex: number): void {
			tx(() => {
				const siblings = orderedStages().filter((s) => s.id !== stageId);
				stageMap(stageId).set('rank', rankAtIndex(siblings, toIndex));
			});
		},

		/** Deletes a stage; a stage with cards needs a destination for them (archived cards go too). */
		deleteStage(stageId: string, moveCardsTo: string | null): void {
			const inStage = [...cards.keys()]
				.map((id) => ({ id, place: placeOf(doc, id) }))
				.filter((c) => c.place?.stageId === stageId)
				.map((c) => ({ id: c.id, rank: c.place!.rank }))
				.sort(compareByRank);
			if (orderedStages().length <= 1) throw new CommandError('A board needs at least one stage.');
			if (inStage.length > 0 && (!moveCardsTo || moveCardsTo === stageId)) {
				throw new CommandError('This stage has cards. Choose where they should go before deleting it.');
			}
			if (moveCardsTo) stageMap(moveCardsTo);
			tx(() => {
				if (moveCardsTo) {
					const siblings = liveCardsIn(moveCardsTo);
					const at = actor.now().getTime();
					for (const card of inStage) {
						const rank = rankAtIndex(siblings, siblings.length);
						places.set(card.id, { stageId: moveCardsTo, rank, enteredAt: at });
						siblings.push({ id: card.id, rank });
					}
				}
				stages.delete(stageId);
			});
		},

		/** Adds an exit criterion to a stage; returns its id. */
		addExitCriterion(stageId: string, text: string): string {
			const clean = cleanText(text, 'An exit criterion');
			return tx(() => {
				const list = nested(stageMap(stageId), 'exitCriteria', () => new Y.Array<{ id: string; text: string }>());
				if (list.length >= LIMITS.exitCriteriaPerStage) throw new CommandError(`A stage can have at most ${LIMITS.exitCriteriaPerStage} exit criteria.`);
				const id = newDocId();
				list.push([{ id, text: clean }]);
				return id;
			});
		},

		/** Removes an exit criterion from a stage. */
		removeExitCriterion(stageId: string, criterionId: string): void {
			tx(() => {
				const list = stageMap(stageId).get('exitCriteria');
				if (!(list instanceof Y.Array)) return;
				const items = list.toArray() as { id: string }[];
				for (let i = items.length - 1; i >= 0; i--) if (items[i]!.id === criterionId) list.delete(i, 1);
			});
		}
	};

	function checklistItem(cardId: string, itemId: string): Y.Map<unknown> {
		const item = mapAt(checklists, cardKey(cardId, itemId));
		if (!item) throw new CommandError('That checklist item no longer exists.');
		return item;
	}

	/** A card's checklist items in order, optionally without one. */
	function checklistOf(cardId: string, exceptItemId?: string): { id: string; rank: string }[] {
		const prefix = cardKey(cardId, '');
		const items: { id: string; rank: string }[] = [];
		for (const [key, item] of mapsIn(checklists)) {
			if (key.startsWith(prefix) && item.get('id') !== exceptItemId) items.push({ id: item.get('id') as string, rank: item.get('rank') as string });
		}
		return items.sort(compareByRank);
	}
}

/** The command set bound to one document and actor. */
export type BoardCommands = ReturnType<typeof boardCommands>;
