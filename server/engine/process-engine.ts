import * as Y from 'yjs';
import { POLICY, actorOfOrigin, originKind, type ServerOrigin } from '../../src/lib/board/doc/origins.ts';
import { placeOf, placesOf, type PlaceChange } from '../../src/lib/board/doc/places.ts';
import { boardMaps, mapAt, SERVER_ROOTS, splitCardKey, valuesIn } from '../../src/lib/board/doc/schema.ts';
import { handOffCard } from '../../src/lib/board/process/handoff.ts';
import { isCardTarget, isStoredSignoff } from '../../src/lib/board/process/step-settings.ts';
import type { ContentRefusal } from './content-guard.ts';
import type { StoredSignoff } from '../../src/lib/board/types.ts';

/** A root map entry as it was before a transaction changed it. */
type RootWrite = { root: Y.Map<unknown>; key: string; action: 'add' | 'update' | 'delete'; oldValue: unknown };

/** What one transaction did that the process reacts to. */
interface Gathered {
	tx: Y.Transaction;
	/** Cards that entered a stage: card id → the stage. */
	entered: Map<string, string>;
	/** Cards whose title, description or checklist changed. */
	contentChanged: Set<string>;
	/** Cards whose target date a socket set (the server restamps when). */
	targets: Set<string>;
	/** A socket's writes to the server's own roots, to undo. */
	forged: RootWrite[];
}

/** Origins whose moves and edits the process answers: people (sockets) and the server acting for them. */
const ACTING = new Set(['remote', 'server', 'automation']);

/** What a sender of a forged process write is told. */
export const FORGED_MESSAGE = 'Only the server records sign-offs, hand-offs and team roles; that change was undone.';

/**
 * The process on the server. Registered before the policy net: first, within each transaction's cleanup, a socket's
 * writes to the server-only roots are undone and content changes void earlier approvals, so the move rules never
 * count a forged or stale sign-off; then, once every guard has settled the transaction:
 * - a card that entered a stage with an owner role is handed to a holder of that team role (handoff.ts), in a
 *   transaction of its own with origin `automation` on behalf of whoever moved it, so history counts it as the
 *   process's work;
 * - a change to a card's title, description or checklist voids the approvals given before it (`contentAt`);
 * - a target date a socket set is restamped with the server's clock;
 * - a socket's write to the server-only roots (team role holders, hand-offs, sign-offs, turns) is undone and its
 *   sender told: sign-offs are written through the server command path alone.
 * Returns a function that detaches it.
 */
export function runProcess(doc: Y.Doc, onRefused: (refusal: ContentRefusal) => void, now: () => Date = () => new Date()): () => void {
	const maps = boardMaps(doc);
	const places = placesOf(doc);
	let gathered: Gathered | null = null;
	const gather = (tx: Y.Transaction): Gathered | null => {
		if (!ACTING.has(originKind(tx.origin) ?? '')) return null;
		if (gathered?.tx !== tx) gathered = { tx, entered: new Map(), contentChanged: new Set(), targets: new Set(), forged: [] };
		return gathered;
	};

	const onPlaces = (changes: Map<string, PlaceChange>, tx: Y.Transaction) => {
		const into = gather(tx);
		if (!into) return;
		for (const [cardId, change] of changes) {
			if (change.action === 'add' || (change.action === 'update' && change.oldValue.stageId !== change.newValue.stageId)) into.entered.set(cardId, change.newValue.stageId);
		}
	};
	const onCards = (events: Y.YEvent<Y.AbstractType<unknown>>[], tx: Y.Transaction) => {
		const into = gather(tx);
		if (!into) return;
		for (const event of events) {
			if (event.target === maps.cards) {
				// A new card written with its target date in the same transaction.
				if (originKind(tx.origin) !== 'remote') continue;
				for (const [cardId, change] of (event as Y.YMapEvent<unknown>).keys) if (change.action !== 'delete' && mapAt(maps.cards, cardId)?.has('target')) into.targets.add(cardId);
				continue;
			}
			if (event.path.length !== 1 || !(event.target instanceof Y.Map)) continue;
			const keys = (event as Y.YMapEvent<unknown>).keys;
			const cardId = String(event.path[0]);
			if (keys.has('title')) into.contentChanged.add(cardId);
			if (keys.has('target') && originKind(tx.origin) === 'remote') into.targets.add(cardId);
		}
	};
	const onDescriptions = (events: Y.YEvent<Y.AbstractType<unknown>>[], tx: Y.Transaction) => {
		const into = gather(tx);
		if (!into) return;
		for (const event of events) {
			if (event.target === maps.descriptions) for (const key of (event as Y.YMapEvent<unknown>).keys.keys()) into.contentChanged.add(key);
			else if (event.path.length > 0) into.contentChanged.add(String(event.path[0]));
		}
	};
	const onChecklists = (events: Y.YEvent<Y.AbstractType<unknown>>[], tx: Y.Transaction) => {
		const into = gather(tx);
		if (!into) return;
		for (const event of events) {
			if (event.target === maps.checklists) for (const key of (event as Y.YMapEvent<unknown>).keys.keys()) into.contentChanged.add(splitCardKey(key)[0]);
			else if (event.path.length > 0) into.contentChanged.add(splitCardKey(String(event.path[0]))[0]);
		}
	};
	const serverRoots = SERVER_ROOTS.map((name) => maps[name]);
	const onServerRoot = (root: Y.Map<unknown>) => (event: Y.YMapEvent<unknown>, tx: Y.Transaction) => {
		if (originKind(tx.origin) !== 'remote') return;
		const into = gather(tx);
		if (!into) return;
		for (const [key, change] of event.keys) into.forged.push({ root, key, action: change.action, oldValue: change.oldValue });
	};
	const rootObservers = serverRoots.map((root) => {
		const observer = onServerRoot(root);
		root.observe(observer);
		return () => root.unobserve(observer);
	});

	const undoForged = (forged: RootWrite[], origin: unknown) => {
		// Transacting after a transaction runs a separate one right after it (stored and relayed with the socket's).
		doc.transact(() => {
			for (const { root, key, action, oldValue } of forged.reverse()) {
				if (action === 'add') root.delete(key);
				else root.set(key, oldValue);
			}
		}, POLICY);
		const cards = new Set(forged.map((w) => (w.root === maps.process || w.root === maps.turns ? '' : splitCardKey(w.key)[0])));
		for (const cardId of cards) onRefused({ origin, cardId, message: FORGED_MESSAGE });
	};
	const restampTargets = (cardIds: Set<string>) => {
		const at = now().toISOString();
		doc.transact(() => {
			for (const cardId of cardIds) {
				const card = mapAt(maps.cards, cardId);
				const target = card?.get('target');
				if (card && isCardTarget(target)) card.set('target', { day: target.day, at });
			}
		}, POLICY);
	};
	const voidApprovals = (cardIds: Set<string>) => {
		const at = now().toISOString();
		const touched: [string, StoredSignoff][] = [];
		for (const [key, signoff] of valuesIn(maps.signoffs, isStoredSignoff)) {
			// Only while some decision still stands: each keystroke must not rewrite the record again.
			const standing = signoff.decisions.some((d) => signoff.contentAt === null || d.at > signoff.contentAt);
			if (standing && cardIds.has(splitCardKey(key)[0])) touched.push([key, { ...signoff, contentAt: at }]);
		}
		if (touched.length > 0) doc.transact(() => touched.forEach(([key, value]) => maps.signoffs.set(key, value)), POLICY);
	};
	const handOff = (entered: Map<string, string>, actorId: string | null) => {
		// Steps whose built-in hand-off the board's owner switched off (the rules tab): cards entering them keep their owners.
		const off = maps.process.get('handoffsOff');
		const switchedOff = new Set(Array.isArray(off) ? (off as unknown[]) : []);
		const handed = [...entered].filter(([, stageId]) => !switchedOff.has(stageId));
		if (handed.length === 0) return;
		const at = now();
		const origin: ServerOrigin = Object.freeze({ kind: 'automation', actorId });
		doc.transact(() => {
			for (const [cardId, stageId] of handed) {
				// The policy net may have put the card back: only a move that stands is handed off.
				if (placeOf(doc, cardId)?.stageId === stageId) handOffCard(doc, cardId, stageId, at);
			}
		}, origin);
	};

	// Before the move rules judge the transaction (this runs ahead of the policy net): a forged sign-off must not let a
	// card through, nor an approval its content change just voided.
	const afterTransaction = (tx: Y.Transaction) => {
		if (gathered?.tx !== tx) return;
		if (gathered.forged.length > 0) undoForged(gathered.forged, tx.origin);
		if (gathered.contentChanged.size > 0) voidApprovals(gathered.contentChanged);
	};
	// After every guard settled the transaction (the policy net may have put a card back): stamps and hand-offs.
	const afterCleanup = (tx: Y.Transaction) => {
		if (gathered?.tx !== tx) return;
		const { entered, targets } = gathered;
		gathered = null;
		if (targets.size > 0) restampTargets(targets);
		if (entered.size > 0 && originKind(tx.origin) !== 'automation') handOff(entered, actorOfOrigin(tx.origin));
	};

	const stopPlaces = places.onChange(onPlaces);
	maps.cards.observeDeep(onCards);
	maps.descriptions.observeDeep(onDescriptions);
	maps.checklists.observeDeep(onChecklists);
	doc.on('afterTransaction', afterTransaction);
	doc.on('afterTransactionCleanup', afterCleanup);
	return () => {
		stopPlaces();
		maps.cards.unobserveDeep(onCards);
		maps.descriptions.unobserveDeep(onDescriptions);
		maps.checklists.unobserveDeep(onChecklists);
		for (const stop of rootObservers) stop();
		doc.off('afterTransaction', afterTransaction);
		doc.off('afterTransactionCleanup', afterCleanup);
	};
}
