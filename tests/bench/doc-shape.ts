// The what-if that led to schema 2 (places in a YKeyValue): the same 10,000 cards and 50,000 moves written in the schema 1
// card layout and in leaner ones, with encoded size and the time to load them.
// Usage: node --import tsx tests/bench/doc-shape.ts [cards] [moves]
import * as Y from 'yjs';
import { rankAtIndex } from '../../src/lib/board/ranks.ts';
import { newDocId } from '../../src/lib/board/doc/schema.ts';
import { summary } from './stats.ts';

/** Which fields a card map carries, and what a move writes. */
interface Shape {
	name: string;
	/** Fields written when the card is created, besides its place. */
	created(id: string, title: string, at: string, by: string): Record<string, unknown>;
	/** Writes a move (the commands write rank, and stageId/movedAt/movedBy when the stage changes). */
	move(card: Y.Map<unknown>, fromStage: string, toStage: string, rank: string, at: string, by: string): void;
	place(card: Y.Map<unknown>, stage: string, rank: string): void;
	/** Keep places out of the card, as {key, val} entries in one Y.Array (y-utility's YKeyValue idea). */
	kvPlaces?: boolean;
}

const shapes: Shape[] = [
	{
		name: 'schema 1 (card maps held stageId, rank, movedAt, movedBy)',
		created: (id, title, at, by) => ({ id, title, createdAt: at, createdBy: by }),
		place: (card, stage, rank) => (card.set('stageId', stage), card.set('rank', rank)),
		move(card, from, to, rank, at, by) {
			card.set('rank', rank);
			if (from !== to) {
				card.set('stageId', to);
				card.set('movedAt', at);
				card.set('movedBy', by);
			}
		}
	},
	{
		name: 'no movedAt/movedBy (card_events has them)',
		created: (id, title, at, by) => ({ id, title, createdAt: at, createdBy: by }),
		place: (card, stage, rank) => (card.set('stageId', stage), card.set('rank', rank)),
		move(card, from, to, rank) {
			card.set('rank', rank);
			if (from !== to) card.set('stageId', to);
		}
	},
	{
		name: 'place as one value {s, r}, no movedAt/movedBy',
		created: (id, title, at, by) => ({ id, title, createdAt: at, createdBy: by }),
		place: (card, stage, rank) => card.set('p', { s: stage, r: rank }),
		move: (card, _from, to, rank) => card.set('p', { s: to, r: rank })
	},
	{
		name: 'one value {s, r}, and no id/createdAt/createdBy in the card (key and card_events have them)',
		created: (_id, title) => ({ title }),
		place: (card, stage, rank) => card.set('p', { s: stage, r: rank }),
		move: (card, _from, to, rank) => card.set('p', { s: to, r: rank })
	},
	{
		name: 'card map holds only the title; places as {key, val} entries in a Y.Array, old entry deleted (YKeyValue)',
		created: (_id, title) => ({ title }),
		place: () => {},
		move: () => {},
		kvPlaces: true
	}
];

/** A minimal YKeyValue: delete the key's previous {key, val} entry, append the new one (deleted runs merge into GC ranges). */
function keyValue(doc: Y.Doc) {
	const array = doc.getArray<{ key: string; val: unknown }>('places');
	// Live keys in array order, to find the index of a key's entry.
	const order: string[] = [];
	return (key: string, val: unknown) =>
		doc.transact(() => {
			const index = order.indexOf(key);
			if (index >= 0) {
				array.delete(index, 1);
				order.splice(index, 1);
			}
			array.push([{ key, val }]);
			order.push(key);
		});
}

function prng(seed: number): () => number {
	let state = seed;
	return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

function build(shape: Shape, cards: number, moves: number): Y.Doc {
	const doc = new Y.Doc();
	const random = prng(42);
	const stageIds = Array.from({ length: 5 }, () => newDocId());
	const byStage = new Map(stageIds.map((s) => [s, [] as { id: string; rank: string }[]]));
	const map = doc.getMap<Y.Map<unknown>>('cards');
	const where = new Map<string, string>();
	let clock = Date.parse('2026-01-05T09:00:00Z');
	const at = () => new Date((clock += 60_000)).toISOString();
	const ids: string[] = [];
	const setPlace = shape.kvPlaces ? keyValue(doc) : null;
	for (let i = 0; i < cards; i++) {
		const stage = stageIds[Math.floor(random() * 5)]!;
		const list = byStage.get(stage)!;
		const id = newDocId();
		const rank = rankAtIndex(list, list.length);
		doc.transact(() => {
			const card = new Y.Map<unknown>();
			for (const [k, v] of Object.entries(shape.created(id, `Card ${i}: draft the campaign brief`, at(), 'user-1234567890'))) card.set(k, v);
			shape.place(card, stage, rank);
			map.set(id, card);
			setPlace?.(id, { s: stage, r: rank });
		});
		list.push({ id, rank });
		where.set(id, stage);
		ids.push(id);
	}
	for (let i = 0; i < moves; i++) {
		const id = ids[Math.floor(random() * ids.length)]!;
		const from = where.get(id)!;
		const to = stageIds[Math.floor(random() * 5)]!;
		const fromList = byStage.get(from)!;
		fromList.splice(
			fromList.findIndex((c) => c.id === id),
			1
		);
		const toList = byStage.get(to)!;
		const index = Math.floor(random() * (cards / 5 + 1));
		const rank = rankAtIndex(toList, index);
		doc.transact(() => {
			shape.move(map.get(id)!, from, to, rank, at(), 'user-1234567890');
			setPlace?.(id, { s: to, r: rank });
		});
		toList.splice(Math.min(index, toList.length), 0, { id, rank });
		toList.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.id < b.id ? -1 : 1));
		where.set(id, to);
	}
	return doc;
}

const cards = Number(process.argv[2] ?? 10_000);
const moves = Number(process.argv[3] ?? 50_000);
console.log(`| layout (${cards.toLocaleString('en')} cards, ${moves.toLocaleString('en')} moves) | V1 bytes | V2 bytes | load V1, median of 5 | encode V1 |`);
console.log('| --- | --- | --- | --- | --- |');
for (const shape of shapes) {
	const doc = build(shape, cards, moves);
	const places = doc.getArray('places').length;
	if (shape.kvPlaces && places !== cards) throw new Error(`${places} live places for ${cards} cards`);
	const v1 = Y.encodeStateAsUpdate(doc);
	const v2 = Y.encodeStateAsUpdateV2(doc);
	const loads: number[] = [];
	const encodes: number[] = [];
	for (let i = 0; i < 5; i++) {
		const t0 = performance.now();
		const fresh = new Y.Doc();
		Y.applyUpdate(fresh, v1);
		const t1 = performance.now();
		Y.encodeStateAsUpdate(fresh);
		encodes.push(performance.now() - t1);
		loads.push(t1 - t0);
		fresh.destroy();
	}
	console.log(`| ${shape.name} | ${(v1.byteLength / 1e6).toFixed(2)} MB | ${(v2.byteLength / 1e6).toFixed(2)} MB | ${Math.round(summary(loads).p50)} ms | ${Math.round(summary(encodes).p50)} ms |`);
	doc.destroy();
}
