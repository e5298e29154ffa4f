import * as Y from 'yjs';
import { checkMove, stageHasLimit, type MoveRefusal } from '../../src/lib/board/policy.ts';
import { compareByRank, rankAtIndex } from '../../src/lib/board/ranks.ts';
import { boardMaps } from '../../src/lib/board/doc/schema.ts';
import { POLICY, originKind } from '../../src/lib/board/doc/origins.ts';
import { readAllCardParts, readCardParts, readStage } from '../../src/lib/board/doc/snapshot.ts';
import type { Stage } from '../../src/lib/board/types.ts';

/** A card edit the server reverted, reported to whoever made it. */
export interface Refusal {
	/** The transaction origin of the offending edit (a connection's origin). */
	origin: unknown;
	cardId: string;
	refusal: MoveRefusal;
}

/** Fields a move or restore writes; a refused one gets each of them back. */
const MOVE_FIELDS = ['stageId', 'rank', 'movedAt', 'movedBy', 'archived'] as const;

/**
 * A card that entered a stage in the transaction: moved from another stage, restored from the archive,
 * or new. Only moves answer to exit criteria; all three answer to hard WIP limits.
 */
interface Arrival {
	id: string;
	map: Y.Map<unknown>;
	kind: 'moved' | 'restored' | 'new';
	/** The stage a moved card left. */
	from: string | null;
	/** Previous values of the fields that changed (undefined = the key did not exist). */
	old: Map<string, unknown>;
}

/**
 * The server's safety net for the move rules (WIP hard limits, exit criteria). After each transaction
 * from a connection (origin kind 'remote') it checks every card that entered a stage and, for a move
 * the rules forbid, applies a compensating transaction (origin POLICY): a moved card goes back where it
 * was, a restored card back to the archive, a new card over a hard limit to the first stage with room. Returns a function that detaches it.
 */
export function guardPolicy(doc: Y.Doc, onRefused: (refusal: Refusal) => void, log: (message: string, err: unknown) => void): () => void {
	const { cards, stages } = boardMaps(doc);
	const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[], tx: Y.Transaction) => {
		if (originKind(tx.origin) !== 'remote') return;
		try {
			const arrivals = collectArrivals(cards, events);
			if (arrivals.length === 0) return;
			const refusals = judge(doc, arrivals, cards, [...stages.values()].map(readStage).sort(compareByRank));
			if (refusals.length === 0) return;
			// Transacting inside an observer queues a separate transaction right after this one.
			doc.transact(() => {
				for (const { arrival, placeIn } of refusals) compensate(arrival, placeIn, cards);
			}, POLICY);
			for (const { arrival, refusal } of refusals) onRefused({ origin: tx.origin, cardId: arrival.id, refusal });
		} catch (err) {
			// A bug here must not turn into a refused client frame; the edit stays and we hear about it.
			log('policy check failed', err);
		}
	};
	cards.observeDeep(observer);
	return () => cards.unobserveDeep(observer);
}

function collectArrivals(cards: Y.Map<Y.Map<unknown>>, events: Y.YEvent<Y.AbstractType<unknown>>[]): Arrival[] {
	const arrivals = new Map<string, Arrival>();
	for (const event of events) {
		if (event.target === cards) {
			for (const [key, change] of event.changes.keys) {
				const map = cards.get(key);
				if (change.action !== 'delete' && map instanceof Y.Map) arrivals.set(key, { id: key, map, kind: 'new', from: null, old: new Map() });
			}
			continue;
		}
		if (event.target.parent !== cards || !(event.target instanceof Y.Map)) continue;
		const map = event.target as Y.Map<unknown>;
		const keys = event.changes.keys;
		const stageChange = keys.get('stageId');
		const moved = stageChange?.action === 'update' && typeof stageChange.oldValue === 'string' && map.get('stageId') !== stageChange.oldValue;
		const restored = keys.get('archived')?.oldValue === true && map.get('archived') !== true;
		if (!moved && !restored) continue;
		const old = new Map<string, unknown>();
		for (const field of MOVE_FIELDS) {
			const change = keys.get(field);
			if (change) old.set(field, change.action === 'add' ? undefined : change.oldValue);
		}
		const id = typeof map.get('id') === 'string' ? (map.get('id') as string) : '';
		arrivals.set(id, { id, map, kind: restored ? 'restored' : 'moved', from: moved ? (stageChange!.oldValue as string) : null, old });
	}
	return [...arrivals.values()].filter((a) => a.map.get('archived') !== true && typeof a.map.get('stageId') === 'string');
}

/** Decides arrivals in board order, so of several cards entering a full stage the first ones fit. */
function judge(doc: Y.Doc, arrivals: Arrival[], cards: Y.Map<Y.Map<unknown>>, stages: Stage[]) {
	const arriving = new Set(arrivals.map((a) => a.map));
	// Cards present in each stage that did not arrive in this transaction.
	const settled = new Map<string, number>();
	for (const map of cards.values()) {
		if (map.get('archived') === true || arriving.has(map)) continue;
		const stageId = map.get('stageId') as string;
		settled.set(stageId, (settled.get(stageId) ?? 0) + 1);
	}
	const add = (stageId: string) => settled.set(stageId, (settled.get(stageId) ?? 0) + 1);
	// Exit checks live in a root map keyed by card: read them in one pass when many cards moved at once.
	const allParts = arrivals.length > 1 ? readAllCardParts(doc) : null;
	const exitChecksOf = (id: string) => (allParts ? (allParts.get(id)?.exitChecks ?? {}) : readCardParts(doc, id).exitChecks);
	const ordered = arrivals
		.map((a) => ({ a, place: { id: a.id, rank: String(a.map.get('rank') ?? ''), stageId: a.map.get('stageId') as string } }))
		.sort((x, y) => compareByRank(x.place, y.place));
	const refused: { arrival: Arrival; refusal: MoveRefusal; placeIn: string | null }[] = [];
	for (const { a, place } of ordered) {
		const toStageId = place.stageId;
		// A card leaving a stage that no longer exists was moved by that stage's deletion: allowed.
		if (a.kind === 'moved' && !stages.some((s) => s.id === a.from)) {
			add(toStageId);
			continue;
		}
		const refusal = checkMove({
			stages,
			card: { id: a.id, stageId: a.from ?? '', exitChecks: a.kind === 'moved' ? exitChecksOf(a.id) : {} },
			toStageId,
			cardsInTarget: settled.get(toStageId) ?? 0
		});
		// New and restored cards have no stage to leave: only the WIP limit applies (a missing stage is the snapshot's business).
		if (!refusal || (a.kind !== 'moved' && refusal.code !== 'wip_limit')) {
			add(toStageId);
			continue;
		}
		if (a.kind !== 'new') {
			if (a.kind === 'moved' && a.from) add(a.from);
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

/** Puts a refused card back (moved or restored card) or at the end of `placeIn` (new card). */
function compensate(arrival: Arrival, placeIn: string | null, cards: Y.Map<Y.Map<unknown>>): void {
	const { map } = arrival;
	if (placeIn === null) {
		for (const [field, value] of arrival.old) {
			if (value === undefined) map.delete(field);
			else map.set(field, value);
		}
		return;
	}
	const siblings = [...cards.values()]
		.filter((c) => c !== map && c.get('stageId') === placeIn && c.get('archived') !== true)
		.map((c) => ({ id: String(c.get('id')), rank: String(c.get('rank') ?? '') }))
		.sort(compareByRank);
	map.set('stageId', placeIn);
	map.set('rank', rankAtIndex(siblings, siblings.length));
}
