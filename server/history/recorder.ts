import * as Y from 'yjs';
import { boardMaps, mapAt, mapsIn, splitCardKey } from '../../src/lib/board/doc/schema.ts';
import { placeOf, placesOf, type PlaceChange } from '../../src/lib/board/doc/places.ts';
import { originKind, ruleOfOrigin } from '../../src/lib/board/doc/origins.ts';
import { readStage, readStages } from '../../src/lib/board/doc/snapshot.ts';
import { isBlocker } from '../../src/lib/board/doc/shape.ts';
import { stageHasLimit } from '../../src/lib/board/policy.ts';
import { clipForHistory } from '../../src/lib/board/limits.ts';
import type { NewCardEvent } from './new-card-event.ts';
import type { ActivityChange } from '../../src/lib/board/changes.ts';
import { isDocumentActivityKind } from '../../src/lib/board/activity.ts';
import { watchActivity } from './activity-recorder.ts';
import { watchProcessHistory } from './process-recorder.ts';

export type { NewCardEvent };

/** What the recorder hands over as `events`: card events, and the audit trail's entries (for `board_activity`). */
export type RecordedChange = NewCardEvent | ActivityChange;

/** Whether a recorded change is an audit entry rather than a card event. */
export const isRecordedActivity = (change: RecordedChange): change is ActivityChange => isDocumentActivityKind(change.type);

/** A stage's latest metadata (or its deletion) for `board_stages`. */
export interface StageRecord {
	stageId: string;
	name: string;
	kind: string;
	rank: string;
	deleted: boolean;
	at: Date;
}

/** Where recorded history goes. */
export interface HistorySink {
	events(events: RecordedChange[]): void;
	stages(stages: StageRecord[]): void;
}

/** Every stage of the document as a record (used once when a room loads, so older boards get their stages). */
export function currentStages(doc: Y.Doc, at: Date): StageRecord[] {
	return [...mapsIn(boardMaps(doc).stages)].map(([, map]) => {
		const s = readStage(map);
		return { stageId: s.id, name: s.name, kind: s.kind, rank: s.rank, deleted: false, at };
	});
}

/**
 * Watches a board document on the server and turns applied changes into history: card created, moved
 * (forward/backward), blocked/unblocked, owners, due date, checklist completed, exit criterion checked,
 * archived/restored, deleted (an undo that brings the card back is `restored`), soft WIP breaches, stage metadata, and the process's events (`watchProcessHistory`: target dates,
 * hand-offs, sign-off decisions); and, after a transaction's card events, its audit
 * entries (`watchActivity`: stage edits, titles, labels, checklist items, descriptions). Replayed state (`load`) is ignored; a move the
 * policy net reverts in the same update is dropped, so refused moves never reach the history.
 * `onError` gets errors of the deferred flush. Returns `flush` (hands over what is recorded so far at once, instead
 * of in a microtask: the engine sends a transaction's changes together with its update) and `stop`.
 */
export function recordHistory(
	doc: Y.Doc,
	sink: HistorySink,
	actorOf: (origin: unknown) => string | null,
	now: () => Date,
	onError: (err: unknown) => void = (err) => {
		throw err;
	}
): { flush(): void; stop(): void } {
	const { cards, stages, owners, checklists, exitChecks } = boardMaps(doc);
	const places = placesOf(doc);
	const stageOf = (cardId: string) => placeOf(doc, cardId)?.stageId ?? '';
	let pending: NewCardEvent[] = [];
	let pendingActivity: ActivityChange[] = [];
	let pendingStages = new Map<string, StageRecord>();
	/** Cards deleted or brought back whole in what is pending: their parts' comings and goings are not news of their own. */
	const wholeCard = new Set<string>();
	/** The stage each card whose place went in what is pending was in (the place store reports before the cards map). */
	const deletedStages = new Map<string, string>();
	/**
	 * Cards still on the board whose place went in one transaction, with the stage it held: the new place may come in a
	 * later one (a client's change that waited for another client's, after a restart or a failover). Its arrival is
	 * then a move, or the history would keep the card in the stage it left.
	 */
	const placeless = new Map<string, string>();
	// A deleted stage's map is emptied by Yjs, so remember what each stage last looked like.
	const knownStages = new Map(currentStages(doc, now()).map((r) => [r.stageId, r]));
	let flushQueued = false;
	// The rule (if any) whose transaction the observers are reporting: every change it made says "by rule …".
	let currentRule: { id: string; depth: number } | null = null;
	const onBeforeObservers = (tr: Y.Transaction) => {
		currentRule = ruleOfOrigin(tr.origin);
	};
	doc.on('beforeObserverCalls', onBeforeObservers);
	const ruleStamp = (): { ruleId?: string; ruleDepth?: number } => (currentRule ? { ruleId: currentRule.id, ruleDepth: currentRule.depth } : {});

	const stageList = () => readStages(stages);
	const ignore = (tr: Y.Transaction) => {
		const kind = originKind(tr.origin);
		return kind === 'load' || kind === 'pubsub';
	};
	const push = (event: Omit<NewCardEvent, 'at' | 'fromStageId' | 'toStageId' | 'data'> & Partial<NewCardEvent>) => {
		pending.push({ at: now(), fromStageId: null, toStageId: null, data: {}, ...ruleStamp(), ...event });
		queueFlush();
	};
	const queueFlush = () => {
		if (flushQueued) return;
		flushQueued = true;
		// After the whole incoming update (and any policy compensation applied synchronously within it).
		queueMicrotask(() => {
			try {
				flush();
			} catch (err) {
				// Thrown in a microtask it would end the process; the room decides (it closes itself).
				onError(err);
			}
		});
	};

	const onCards = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
		if (ignore(tr)) return;
		const policy = originKind(tr.origin) === 'policy';
		const actorId = actorOf(tr.origin);
		for (const event of events) {
			if (event.target === cards) {
				for (const [cardId, change] of (event as Y.YMapEvent<Y.Map<unknown>>).keys) {
					if (policy || change.action === 'update') continue;
					if (change.action === 'delete') {
						placeless.delete(cardId);
						wholeCard.add(cardId);
						push({ cardId, type: 'deleted', actorId, fromStageId: deletedStages.get(cardId) ?? null, data: { title: clipForHistory(removedValue(change.oldValue, 'title')) } });
						continue;
					}
					const card = mapAt(cards, cardId);
					if (!card) continue;
					if (keyHeldBefore(cards, cardId)) {
						// The id was on this board before: an undo brought a deleted card back, with its checklist and owners.
						wholeCard.add(cardId);
						push({ cardId, type: 'restored', actorId, toStageId: stageOf(cardId) });
						continue;
					}
					// Type observers (the places store) ran before this deep observer: the new card's place is known.
					push({ cardId, type: 'created', actorId, toStageId: stageOf(cardId), data: { title: clipForHistory(card.get('title')) } });
					checkSoftLimit(cardId, stageOf(cardId), actorId);
				}
				continue;
			}
			// A change inside one card's map: its path from `cards` is [cardId].
			if (event.path.length !== 1 || !(event.target instanceof Y.Map)) continue;
			const card = event.target as Y.Map<unknown>;
			const cardId = String(event.path[0]);
			for (const [key, change] of (event as Y.YMapEvent<unknown>).keys) {
				const value = card.get(key);
				if (policy) {
					if (key === 'archived') pending = pending.filter((e) => !(e.cardId === cardId && (e.type === 'restored' || e.type === 'archived')));
				} else if (key === 'archived') {
					push({ cardId, type: value === true ? 'archived' : 'restored', actorId, toStageId: stageOf(cardId) });
				} else if (key === 'blocked') {
					const blocked = isBlocker(value) ? value : null;
					push({ cardId, type: blocked ? 'blocked' : 'unblocked', actorId, data: blocked ? { reason: blocked.reason } : {} });
				} else if (key === 'due') {
					push({ cardId, type: 'due_changed', actorId, data: { due: value ?? null, previous: change.oldValue ?? null } });
				}
			}
		}
	};

	/** A card changed stage (a new card's first place is its 'created' event, from the card map). */
	const onPlaces = (changes: Map<string, PlaceChange>, tr: Y.Transaction) => {
		if (ignore(tr)) return;
		const policy = originKind(tr.origin) === 'policy';
		const actorId = actorOf(tr.origin);
		for (const [cardId, change] of changes) {
			if (change.action === 'delete') {
				deletedStages.set(cardId, change.oldValue.stageId);
				// Forgotten again below if the card itself went (onCards runs after this): that is a deletion, not a move.
				placeless.set(cardId, change.oldValue.stageId);
			}
			if (change.action === 'add') {
				const left = placeless.get(cardId);
				placeless.delete(cardId);
				if (left !== undefined && !policy && left !== change.newValue.stageId && mapAt(cards, cardId)) {
					push({ cardId, type: 'moved', actorId, fromStageId: left, toStageId: change.newValue.stageId, data: {} });
					checkSoftLimit(cardId, change.newValue.stageId, actorId);
				}
				continue;
			}
			if (change.action !== 'update' || change.oldValue.stageId === change.newValue.stageId) continue;
			if (policy) {
				revertMove(cardId, change.newValue.stageId);
				continue;
			}
			push({ cardId, type: 'moved', actorId, fromStageId: change.oldValue.stageId, toStageId: change.newValue.stageId, data: {} });
			checkSoftLimit(cardId, change.newValue.stageId, actorId);
		}
	};

	/** A card arrived in a stage: past a soft limit, record who pushed it over and by how much (counted now, not at flush). */
	function checkSoftLimit(cardId: string, stageId: string, actorId: string | null) {
		const map = mapAt(stages, stageId);
		if (!map) return;
		const stage = readStage(map);
		if (!stageHasLimit(stage) || stage.wipMode !== 'soft') return;
		let count = 0;
		for (const [id, card] of mapsIn(cards)) if (card.get('archived') !== true && placeOf(doc, id, card)?.stageId === stageId) count++;
		if (count > stage.wipLimit) push({ cardId, type: 'wip_breach', actorId, toStageId: stageId, data: { limit: stage.wipLimit, count, over: count - stage.wipLimit } });
	}

	/** The policy net put a card back: forget the refused move (or re-place a refused new card). */
	function revertMove(cardId: string, restoredStage: string) {
		pending = pending.filter((e) => !(e.cardId === cardId && e.type === 'wip_breach'));
		for (let i = pending.length - 1; i >= 0; i--) {
			const event = pending[i]!;
			if (event.cardId !== cardId) continue;
			if (event.type === 'moved') {
				pending.splice(i, 1);
				return;
			}
			if (event.type === 'created' || event.type === 'restored') {
				event.toStageId = restoredStage;
				return;
			}
		}
	}

	const onOwners = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
		if (ignore(tr) || originKind(tr.origin) === 'policy') return;
		for (const [key, change] of event.keys) {
			const [cardId, userId] = splitCardKey(key);
			if (change.action === 'update') continue;
			// A hand-off's owner changes (origin `automation`, on behalf of the mover) are the process's doing; a rule's
			// carry its rule id instead.
			const data = originKind(tr.origin) === 'automation' && !ruleOfOrigin(tr.origin) ? { userId, via: 'process' } : { userId };
			push({ cardId, type: change.action === 'add' ? 'owner_added' : 'owner_removed', actorId: actorOf(tr.origin), data });
		}
	};

	const onExitChecks = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
		if (ignore(tr) || originKind(tr.origin) === 'policy') return;
		for (const [key, change] of event.keys) {
			if (change.action !== 'add') continue;
			const [cardId, part] = splitCardKey(key);
			const [stageId, criterionId] = part.split(':');
			push({ cardId, type: 'exit_checked', actorId: actorOf(tr.origin), toStageId: stageId ?? null, data: { criterionId } });
		}
	};

	const onChecklists = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
		if (ignore(tr) || originKind(tr.origin) === 'policy') return;
		const touched = new Set<string>();
		for (const event of events) {
			if (event.target === checklists) for (const key of (event as Y.YMapEvent<unknown>).keys.keys()) touched.add(splitCardKey(key)[0]);
			else if (event.target instanceof Y.Map && (event as Y.YMapEvent<unknown>).keys.has('done')) touched.add(String(event.target.get('cardId') ?? ''));
		}
		for (const cardId of touched) {
			const { done, total } = checklistCounts(cardId);
			// Only the tick that completes the list counts (not adding items to an already complete one).
			const justTicked = events.some((e) => e.target !== checklists && (e as Y.YMapEvent<unknown>).keys.get('done')?.oldValue === false);
			if (total > 0 && done === total && justTicked) push({ cardId, type: 'checklist_completed', actorId: actorOf(tr.origin), data: { total } });
		}
	};

	const onStages = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
		if (originKind(tr.origin) === 'load') return;
		const at = now();
		for (const event of events) {
			if (event.target === stages) {
				for (const [stageId, change] of (event as Y.YMapEvent<unknown>).keys) {
					if (change.action === 'delete') {
						const known = knownStages.get(stageId);
						pendingStages.set(stageId, { stageId, name: known?.name ?? '', kind: known?.kind ?? 'queue', rank: known?.rank ?? '', deleted: true, at });
					} else {
						const map = mapAt(stages, stageId);
						if (map) pendingStages.set(stageId, { ...toRecord(map, at) });
					}
				}
			} else {
				// A change inside a stage (its exit criteria): climb to the stage map itself.
				let node: unknown = event.target;
				while (node instanceof Y.AbstractType && node.parent !== stages) node = node.parent;
				if (node instanceof Y.Map) pendingStages.set(String(node.get('id')), toRecord(node as Y.Map<unknown>, at));
			}
		}
		if (pendingStages.size > 0) queueFlush();
	};

	function toRecord(map: Y.Map<unknown>, at: Date): StageRecord {
		const s = readStage(map);
		const record = { stageId: s.id, name: s.name, kind: s.kind, rank: s.rank, deleted: false, at };
		knownStages.set(s.id, record);
		return record;
	}

	function checklistCounts(cardId: string): { done: number; total: number } {
		let done = 0;
		let total = 0;
		const prefix = `${cardId}/`;
		for (const [key, item] of mapsIn(checklists)) {
			if (!key.startsWith(prefix)) continue;
			total++;
			if (item.get('done') === true) done++;
		}
		return { done, total };
	}

	function flush() {
		flushQueued = false;
		// A deleted card's owners, checklist and description went with it (and come back with an undo): recording each
		// would tell of owners removed and added, and notify people, for what was one deletion or one restore.
		const ownEvent = (e: { cardId: string | null; type: string }) => !wholeCard.has(e.cardId ?? '') || e.type === 'deleted' || e.type === 'restored';
		const events = pending.filter(ownEvent);
		const activity = pendingActivity.filter(ownEvent);
		pending = [];
		pendingActivity = [];
		wholeCard.clear();
		deletedStages.clear();
		if (events.length > 0 || activity.length > 0) {
			const ordered = stageList();
			const position = new Map(ordered.map((s, i) => [s.id, i]));
			for (const event of events) {
				if (event.type !== 'moved') continue;
				const from = position.get(event.fromStageId ?? '') ?? -1;
				const to = position.get(event.toStageId ?? '') ?? -1;
				event.data.direction = to > from ? 'forward' : 'backward';
				event.data.checklist = checklistCounts(event.cardId);
			}
			sink.events([...events, ...activity]);
		}
		if (pendingStages.size > 0) {
			const records = [...pendingStages.values()];
			pendingStages = new Map();
			sink.stages(records);
		}
	}

	cards.observeDeep(onCards);
	const stopPlaces = places.onChange(onPlaces);
	owners.observe(onOwners);
	exitChecks.observe(onExitChecks);
	checklists.observeDeep(onChecklists);
	stages.observeDeep(onStages);
	const stopActivity = watchActivity(
		doc,
		(change) => {
			pendingActivity.push({ ...ruleStamp(), ...change });
			queueFlush();
		},
		actorOf,
		now
	);
	const stopProcess = watchProcessHistory(doc, (event) => push({ ...event }), actorOf);
	return {
		flush,
		stop() {
			doc.off('beforeObserverCalls', onBeforeObservers);
			cards.unobserveDeep(onCards);
			stopPlaces();
			owners.unobserve(onOwners);
			exitChecks.unobserve(onExitChecks);
			checklists.unobserveDeep(onChecklists);
			stages.unobserveDeep(onStages);
			stopActivity();
			stopProcess();
		}
	};
}

/**
 * Whether a map's key held a value before the one it holds now (since deleted). Yjs keeps a deleted key's item, and a
 * key set again links its new item to the old one; Yjs has no public call for this, so it reads Y.Map's item table.
 */
function keyHeldBefore(map: Y.Map<unknown>, key: string): boolean {
	const item = (map as unknown as { _map: Map<string, { left: unknown }> })._map.get(key);
	return Boolean(item?.left);
}

/**
 * A field of a map deleted in the transaction being observed. Its entries are already marked deleted (so `get` answers
 * undefined) but their content is only dropped after the observers ran; read from Y.Map's item table, as above.
 */
function removedValue(map: unknown, key: string): unknown {
	if (!(map instanceof Y.Map)) return undefined;
	const item = (map as unknown as { _map: Map<string, { content?: { getContent?: () => unknown[] } }> })._map.get(key);
	return item?.content?.getContent?.().at(-1);
}
