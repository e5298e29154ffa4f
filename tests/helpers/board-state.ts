import * as Y from 'yjs';
import type { Db } from '../../src/lib/server/db/client.ts';
import { systemClock } from '../../src/lib/server/clock.ts';
import { boardMaps } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { compareByRank } from '../../src/lib/board/ranks.ts';
import { drizzleDocumentStore } from '../../server/persistence/drizzle-document-store.ts';

/** JSON with object keys sorted, so two equal documents print the same whatever their insertion order. */
export function stableJson(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v
	);
}

/** Everything a board document holds, every root map, as canonical JSON. */
export function docContent(doc: Y.Doc): string {
	const maps = boardMaps(doc);
	return stableJson(Object.fromEntries(Object.entries(maps).map(([name, map]) => [name, map.toJSON()])));
}

/** The state vector as hex (Yjs encodes it with clients sorted, so equal vectors give equal bytes). */
export function stateVectorHex(doc: Y.Doc): string {
	return Buffer.from(Y.encodeStateVector(doc)).toString('hex');
}

/** Whether two docs hold exactly the same operations: state vectors, delete sets and nothing left pending. */
export function sameHistory(a: Y.Doc, b: Y.Doc): boolean {
	return Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b)) && !hasPending(a) && !hasPending(b);
}

/** Updates a doc received whose dependencies it has not seen yet. */
export function hasPending(doc: Y.Doc): boolean {
	return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}

/**
 * Where two docs differ, in words ('' when they hold the same history and content): state vector,
 * delete set, pending updates, the plain snapshot and every root map.
 */
export function describeDifference(a: Y.Doc, b: Y.Doc): string {
	const problems: string[] = [];
	if (stateVectorHex(a) !== stateVectorHex(b)) problems.push(`state vectors differ: ${svText(a)} vs ${svText(b)}`);
	else if (!Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b))) problems.push('delete sets differ');
	if (hasPending(a) || hasPending(b)) problems.push('pending (undeliverable) updates left');
	const ca = docContent(a);
	const cb = docContent(b);
	if (ca !== cb) problems.push(`content differs:\n  ${ca.slice(0, 600)}\n  ${cb.slice(0, 600)}`);
	else if (stableJson(readSnapshot(a)) !== stableJson(readSnapshot(b))) problems.push('snapshots differ');
	return problems.join('; ');
}

function svText(doc: Y.Doc): string {
	return JSON.stringify(Object.fromEntries([...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(([x], [y]) => x - y)));
}

/**
 * The board invariants a user relies on, as a list of violations ('[]' when all hold): every card is shown
 * exactly once (in one stage or in the archive), and the order within a stage is total once ties in rank
 * are broken by id (the same for every reader). Checklist order likewise.
 */
export function boardViolations(doc: Y.Doc): string[] {
	const snap = readSnapshot(doc);
	const problems: string[] = [];
	const seen = new Map<string, number>();
	const count = (id: string) => seen.set(id, (seen.get(id) ?? 0) + 1);
	for (const stage of snap.stages) {
		const list = snap.cardsByStage[stage.id] ?? [];
		list.forEach((card) => count(card.id));
		for (let i = 1; i < list.length; i++) {
			if (compareByRank(list[i - 1]!, list[i]!) >= 0) problems.push(`stage ${stage.name}: ${list[i - 1]!.id} and ${list[i]!.id} are not strictly ordered`);
		}
		for (const card of list) if (card.archived) problems.push(`archived card ${card.id} shown in stage ${stage.name}`);
	}
	for (const card of snap.archived) count(card.id);
	for (const id of Object.keys(snap.cards)) {
		const n = seen.get(id) ?? 0;
		if (n !== 1) problems.push(`card ${id} ("${snap.cards[id]!.title}") is shown ${n} times`);
	}
	for (const id of seen.keys()) if (!snap.cards[id]) problems.push(`card ${id} shown but not in the card list`);
	for (const card of Object.values(snap.cards)) {
		if (typeof card.rank !== 'string' || card.rank === '') problems.push(`card ${card.id} has no rank`);
		for (let i = 1; i < card.checklist.length; i++) {
			if (compareByRank(card.checklist[i - 1]!, card.checklist[i]!) >= 0) problems.push(`card ${card.id}: checklist items not strictly ordered`);
		}
	}
	if (snap.stages.length === 0 && Object.keys(snap.cards).length > 0) problems.push('cards but no stage to show them in');
	if (boardMaps(doc).cards.size !== Object.keys(snap.cards).length) problems.push('card map and snapshot disagree on the number of cards');
	return problems;
}

/** What the database holds for a board, replayed into a fresh doc (as a room would load it). */
export async function storedBoardDoc(db: Db, boardId: string): Promise<Y.Doc> {
	const { snapshot, updates } = await drizzleDocumentStore(db, systemClock).load(boardId);
	const doc = new Y.Doc();
	if (snapshot) Y.applyUpdate(doc, snapshot);
	for (const update of updates) Y.applyUpdate(doc, update);
	return doc;
}
