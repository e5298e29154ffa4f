import * as Y from 'yjs';
import { checkMove, stageHasLimit, type MoveRefusal } from '../../src/lib/board/policy.ts';
import { compareByRank, rankAtIndex } from '../../src/lib/board/ranks.ts';
import { boardMaps, mapAt, mapsIn } from '../../src/lib/board/doc/schema.ts';
import { placeOf, placesOf, type Place, type PlaceChange } from '../../src/lib/board/doc/places.ts';
import { POLICY, originKind } from '../../src/lib/board/doc/origins.ts';
import { readAllCardParts, readCardParts, readProcess, readStages, type CardParts } from '../../src/lib/board/doc/snapshot.ts';
import type { Stage } from '../../src/lib/board/types.ts';

/** How long a card moved into a stage the server has not seen waits for that stage before it is put back. */
export const WAIT_FOR_STAGE_MS = 10_000;

/** A card edit the server reverted, reported to whoever made it. */
export interface Refusal {
	/** The transaction origin of the offending edit (a connection's origin). */
	origin: unknown;
	cardId: string;
	refusal: MoveRefusal;
}

/**
 * A card that entered a stage in the transaction: moved from another stage, restored from the archive,
 * or new. Only moves answer to exit criteria; all three answer to hard WIP limits.
 */
interface Arrival {
	id: string;
	map: Y.Map<unknown>;
	kind: 'moved' | 'restored' | 'new';
	place: Place;
	/** The place before the transaction (undefined for a new card, or a restore that did not move it). */
	oldPlace: Place | undefined;
}

/** What one remote transaction did to places and archive flags, gathered from both observers. */
interface Gathered {
	tx: Y.Transaction;
	places: Map<string, PlaceChange>;
	restored: Set<string>;
}

/**
 * The server's safety net for the move rules (WIP hard limits, exit criteria). After each transaction
 * from a connection (origin kind 'remote') it checks every card that entered a stage and, for a move
 * the rules forbid, applies a compensating transaction (origin POLICY): a moved card goes back where it
 * was, a restored card back to the archive, a new card over a hard limit to the first stage with room.
 * Returns a function that detaches it.
 */
export function guardPolicy(doc: Y.Doc, onRefused: (refusal: Refusal) => void, log: (message: string, err: unknown) => void, waitForStageMs = WAIT_FOR_STAGE_MS): () => void {
	const { cards, stages } = boardMaps(doc);
	const places = placesOf(doc);
	let gathered: Gathered | null = null;
	/** Cards moved into a stage the server has not seen (yet): judged when it arrives, put back if it never does. */
	const waiting = new Map<string, { arrival: Arrival; origin: unknown; timer: ReturnType<typeof setTimeout> }>();
	/** Stages added in the transaction being observed (any origin): waiting cards bound for them are judged after it. */
	let stagesArrived: { tx: Y.Transaction; ids: Set<string> } | null = null;
	const gather = (tx: Y.Transaction): Gathered => {
		if (gathered?.tx !== tx) gathered = { tx, places: new Map(), restored: new Set() };
		return gathered;
	};

	const onPlaces = (changes: Map<string, PlaceChange>, tx: Y.Transaction) => {
		if (originKind(tx.origin) !== 'remote') return;
		const into = gather(tx).places;
		for (const [id, change] of changes) into.set(id, change);
	};
	const onCards = (events: Y.YEvent<Y.AbstractType<unknown>>[], tx: Y.Transaction) => {
		if (originKind(tx.origin) !== 'remote') return;
		for (const event of events) {
			// A change inside one card's map: its path from `cards` is [cardId].
			if (event.path.length !== 1 || !(event.target instanceof Y.Map)) continue;
			const map = event.target as Y.Map<unknown>;
			if (event.changes.keys.get('archived')?.oldValue === true && map.get('archived') !== true) gather(tx).restored.add(String(event.path[0]));
		}
	};
	const onStages = (event: Y.YMapEvent<unknown>, tx: Y.Transaction) => {
		if (waiting.size === 0) return;
		for (const [id, change] of event.keys) {
			if (change.action !== 'add') continue;
			if (stagesArrived?.tx !== tx) stagesArrived = { tx, ids: new Set() };
			stagesArrived.ids.add(id);
		}
	};
	/** Judges `arrivals` for `origin` and applies the compensations; returns nothing (refusals are reported). */
	const settle = (arrivals: Arrival[], origin: unknown) => {
		if (arrivals.length === 0) return;
		const refusals = judge(doc, arrivals, cards, readStages(stages));
		if (refusals.length === 0) return;
		// Transacting after a transaction queues a separate one right after it.
		doc.transact(() => {
			for (const { arrival, placeIn } of refusals) compensate(doc, arrival, placeIn, cards);
		}, POLICY);
		for (const { arrival, refusal } of refusals) onRefused({ origin, cardId: arrival.id, refusal });
	};
	/** A card bound for a stage the server has never seen waits for it (its creation may still be on its way). */
	const wait = (arrival: Arrival, origin: unknown) => {
		const earlier = waiting.get(arrival.id);
		if (earlier) clearTimeout(earlier.timer);
		const timer = setTimeout(() => {
			try {
				giveUp(arrival.id);
			} catch (err) {
				log('policy check failed', err);
			}
		}, waitForStageMs);
		waiting.set(arrival.id, { arrival: earlier?.arrival.oldPlace ? { ...arrival, oldPlace: earlier.arrival.oldPlace } : arrival, origin, timer });
	};
	/** The stage never came: the card goes back where it was (a new card to the first stage with room). */
	const giveUp = (cardId: string) => {
		const entry = waiting.get(cardId);
		waiting.delete(cardId);
		const map = mapAt(cards, cardId);
		const place = map ? placeOf(doc, cardId, map) : undefined;
		if (!entry || !map || !place || place.stageId !== entry.arrival.place.stageId || mapAt(stages, place.stageId)) return;
		const first = readStages(stages)[0];
		const placeIn = entry.arrival.kind === 'new' ? (first?.id ?? null) : null;
		if (entry.arrival.kind === 'new' && !placeIn) return;
		doc.transact(() => compensate(doc, { ...entry.arrival, map, place }, placeIn, cards), POLICY);
		onRefused({ origin: entry.origin, cardId, refusal: { code: 'no_stage', message: 'That stage no longer exists.' } });
	};
	const afterTransaction = (tx: Y.Transaction) => {
		try {
			if (stagesArrived?.tx === tx) {
				const arrived = stagesArrived.ids;
				stagesArrived = null;
				for (const [cardId, entry] of waiting) {
					if (!arrived.has(entry.arrival.place.stageId)) continue;
					clearTimeout(entry.timer);
					waiting.delete(cardId);
					const map = mapAt(cards, cardId);
					const place = map ? placeOf(doc, cardId, map) : undefined;
					// Judged as the move it was, now that its stage is here (unless it moved on meanwhile).
					if (map && place?.stageId === entry.arrival.place.stageId) settle([{ ...entry.arrival, map, place }], entry.origin);
				}
			}
			if (gathered?.tx !== tx) return;
			const changes = gathered;
			gathered = null;
			const arrivals = collectArrivals(doc, cards, changes);
			const now: Arrival[] = [];
			for (const arrival of arrivals) {
				if (!mapAt(stages, arrival.place.stageId) && neverSeen(stages, arrival.place.stageId)) wait(arrival, tx.origin);
				else now.push(arrival);
			}
			settle(now, tx.origin);
		} catch (err) {
			// A bug here must not turn into a refused client frame; the edit stays and we hear about it.
			log('policy check failed', err);
		}
	};
	const stopPlaces = places.onChange(onPlaces);
	cards.observeDeep(onCards);
	stages.observe(onStages);
	doc.on('afterTransaction', afterTransaction);
	return () => {
		stopPlaces();
		cards.unobserveDeep(onCards);
		stages.unobserve(onStages);
		doc.off('afterTransaction', afterTransaction);
		for (const entry of waiting.values()) clearTimeout(entry.timer);
		waiting.clear();
	};
}

/**
 * Whether the board has never had a stage under this id (as opposed to one deleted: Yjs keeps a deleted map
 * entry's item, marked deleted). Reads Y.Map's item table, which Yjs has no public call for.
 */
function neverSeen(stages: Y.Map<unknown>, stageId: string): boolean {
	return !(stages as unknown as { _map: Map<string, unknown> })._map.has(stageId);
}

function collectArrivals(doc: Y.Doc, cards: Y.Map<unknown>, changes: Gathered): Arrival[] {
	const arrivals: Arrival[] = [];
	const ids = new Set([...changes.places.keys(), ...changes.restored]);
	for (const id of ids) {
		const map = mapAt(cards, id);
		if (!map || map.get('archived') === true) continue;
		const place = placeOf(doc, id, map);
		if (!place) continue;
		const change = changes.places.get(id);
		const oldPlace = change && change.action !== 'add' ? change.oldValue : undefined;
		if (changes.restored.has(id)) arrivals.push({ id, map, kind: 'restored', place, oldPlace });
		else if (change?.action === 'add') arrivals.push({ id, map, kind: 'new', place, oldPlace });
		else if (change?.action === 'update' && change.oldValue.stageId !== place.stageId) arrivals.push({ id, map, kind: 'moved', place, oldPlace });
	}
	return arrivals;
}

/** Decides arrivals in board order, so of several cards entering a full stage the first ones fit. */
function judge(doc: Y.Doc, arrivals: Arrival[], cards: Y.Map<unknown>, stages: Stage[]) {
	const arriving = new Set(arrivals.map((a) => a.id));
	// Cards present in each stage that did not arrive in this transaction.
	const settled = new Map<string, number>();
	const add = (stageId: string) => settled.set(stageId, (settled.get(stageId) ?? 0) + 1);
	for (const [id, map] of mapsIn(cards)) {
		if (map.get('archived') === true || arriving.has(id)) continue;
		const place = placeOf(doc, id, map);
		if (place) add(place.stageId);
	}
	// Exit checks live in a root map keyed by card: read them in one pass when many cards moved at once.
	const allParts = arrivals.length > 1 ? readAllCardParts(doc) : null;
	const partsOf = (id: string) => (allParts ? allParts.get(id) : readCardParts(doc, id));
	const teamRoles = readProcess(doc).teamRoles;
	const ordered = [...arrivals].sort((x, y) => compareByRank({ id: x.id, rank: x.place.rank }, { id: y.id, rank: y.place.rank }));
	const refused: { arrival: Arrival; refusal: MoveRefusal; placeIn: string | null }[] = [];
	for (const a of ordered) {
		const toStageId = a.place.stageId;
		const from = a.kind === 'moved' ? (a.oldPlace?.stageId ?? null) : null;
		// A card leaving a stage that no longer exists was moved by that stage's deletion: allowed.
		if (a.kind === 'moved' && !stages.some((s) => s.id === from)) {
			add(toStageId);
			continue;
		}
		const refusal = checkMove({
			stages,
			card: a.kind === 'moved' ? movingCard(a.id, from ?? '', partsOf(a.id)) : { id: a.id, stageId: '', exitChecks: {} },
			teamRoles,
			toStageId,
			cardsInTarget: settled.get(toStageId) ?? 0
		});
		// New and restored cards have no stage to leave: only the WIP limit applies (a missing stage is the snapshot's business).
		if (!refusal || (a.kind !== 'moved' && refusal.code !== 'wip_limit')) {
			add(toStageId);
			continue;
		}
		if (a.kind !== 'new') {
			if (from) add(from);
			refused.push({ arrival: a, refusal, placeIn: null });
			continue;
		}
		const room = stages.find((s) => s.id !== toStageId && !(stageHasLimit(s) && s.wipMode === 'hard' && (settled.get(s.id) ?? 0) >= s.wipLimit));
		if (!room) {
			add(toStageId);
			continue;
		}
		add(room.id);
		refused.push({ arrival: a, refusal, placeIn: room.id });
	}
	return refused;
}

/** What the move rules read of a card leaving `stageId`: its exit checks, owners and sign-offs. */
function movingCard(id: string, stageId: string, parts: CardParts | undefined) {
	return { id, stageId, exitChecks: parts?.exitChecks ?? {}, owners: parts?.owners ?? [], signoffs: parts?.signoffs ?? {}, handoff: parts?.handoff ?? null };
}

/** Puts a refused card back (moved or restored card) or at the end of `placeIn` (new card). */
function compensate(doc: Y.Doc, arrival: Arrival, placeIn: string | null, cards: Y.Map<unknown>): void {
	const places = placesOf(doc);
	if (placeIn === null) {
		if (arrival.kind === 'restored') arrival.map.set('archived', true);
		if (arrival.oldPlace) places.set(arrival.id, arrival.oldPlace);
		return;
	}
	const siblings: { id: string; rank: string }[] = [];
	for (const [id, map] of mapsIn(cards)) {
		if (id === arrival.id || map.get('archived') === true) continue;
		const place = placeOf(doc, id, map);
		if (place?.stageId === placeIn) siblings.push({ id, rank: place.rank });
	}
	siblings.sort(compareByRank);
	places.set(arrival.id, { ...arrival.place, stageId: placeIn, rank: rankAtIndex(siblings, siblings.length) });
}
