import * as Y from 'yjs';
import { BOARD_ROOTS } from '../../src/lib/board/doc/shape.ts';

/** A random source: a float in [0, 1) per call (hostile-frames.ts `prng`). */
type Rng = () => number;

/**
 * Random raw Yjs writes into a board document, as a modified client could make them: values of random types under
 * random keys of every root (and of the maps inside them), some of which happen to fit the board's shapes.
 */

const FIELD_NAMES = ['id', 'name', 'title', 'rank', 'kind', 'wipLimit', 'wipMode', 'exitCriteria', 'due', 'labels', 'blocked', 'archived', 'text', 'done', 'cardId', 'schemaVersion', 'by', 'at', 'val', 'key', '__proto__', ''];
const ROOTS = [...Object.keys(BOARD_ROOTS), 'rules', 'evil', 'evilList'];

const pick = <T>(rand: Rng, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/** A random plain value: sometimes one a board would accept somewhere, often not. */
export function randomValue(rand: Rng, depth = 0): unknown {
	const r = rand();
	if (r < 0.1) return Math.floor(rand() * 1000) - 500;
	if (r < 0.15) return rand() < 0.5 ? 1e308 * 10 : -0.5;
	if (r < 0.3) return `s${Math.floor(rand() * 100)}`;
	if (r < 0.35) return rand() < 0.5;
	if (r < 0.42) return null;
	if (r < 0.5) return new Uint8Array([1, 2, 3]);
	if (r < 0.6 || depth > 2) return { key: `c${Math.floor(rand() * 5)}`, val: [`s${Math.floor(rand() * 3)}`, 'a0', Math.floor(rand() * 1e9)] };
	if (r < 0.7) return { name: 'seo', color: 'green', by: 'u1', at: '2026-01-01', reason: 'x', id: 'i', text: 't' };
	if (r < 0.8) return [randomValue(rand, depth + 1), randomValue(rand, depth + 1)];
	if (r < 0.9) return [{ name: 'seo', color: 'green' }];
	return { [pick(rand, FIELD_NAMES) || 'k']: randomValue(rand, depth + 1) };
}

/** A random Y type, maybe with content. */
function randomType(rand: Rng): Y.Map<unknown> | Y.Array<unknown> | Y.Text {
	const r = rand();
	if (r < 0.5) {
		const map = new Y.Map<unknown>();
		const n = Math.floor(rand() * 3);
		for (let i = 0; i < n; i++) map.set(pick(rand, FIELD_NAMES), randomValue(rand));
		return map;
	}
	if (r < 0.75) {
		const array = new Y.Array<unknown>();
		if (rand() < 0.5) array.push([randomValue(rand)]);
		return array;
	}
	const text = new Y.Text();
	if (rand() < 0.5) text.insert(0, 'text');
	return text;
}

/** Writes `count` random things into `doc` in one transaction. */
export function randomWrites(doc: Y.Doc, rand: Rng, count: number): void {
	doc.transact(() => {
		for (let i = 0; i < count; i++) randomWrite(doc, rand);
	});
}

/** Writes that fit the board's shapes (so that runs mix accepted and refused updates). */
const FITTING: ((doc: Y.Doc, rand: Rng) => void)[] = [
	(doc, rand) => doc.getMap('owners').set(`c${Math.floor(rand() * 5)}/u${Math.floor(rand() * 5)}`, 'u1'),
	(doc, rand) => doc.getMap('exitChecks').set(`c${Math.floor(rand() * 5)}/s:k`, { by: 'u1', at: '2026-01-01T00:00:00Z' }),
	(doc, rand) => {
		const card = new Y.Map<unknown>();
		card.set('title', `Fuzzed ${Math.floor(rand() * 1000)}`);
		card.set('labels', [{ name: 'seo', color: 'green' }]);
		doc.getMap('cards').set(`f${Math.floor(rand() * 50)}`, card);
	},
	(doc, rand) => doc.getArray('places').push([{ key: `f${Math.floor(rand() * 50)}`, val: ['s', 'a0', 1_700_000_000] }]),
	(doc, rand) => doc.getMap('descriptions').set(`f${Math.floor(rand() * 50)}`, new Y.Text('described')),
	(doc) => doc.getMap('meta').set('name', 'Renamed'),
	(doc, rand) => {
		for (const value of doc.getMap('stages').values()) if (value instanceof Y.Map && rand() < 0.5) value.set('name', 'Stage renamed');
	}
];

function randomWrite(doc: Y.Doc, rand: Rng): void {
	if (rand() < 0.4) return pick(rand, FITTING)(doc, rand);
	const rootName = pick(rand, ROOTS);
	const shape = BOARD_ROOTS[rootName];
	const asArray = shape ? shape.kind === 'array' : rootName === 'evilList';
	if (asArray) {
		const array = doc.getArray<unknown>(rootName);
		array.insert(Math.floor(rand() * (array.length + 1)), [rand() < 0.8 ? randomValue(rand) : randomType(rand)]);
		return;
	}
	const map = doc.getMap<unknown>(rootName);
	const existing = [...map.keys()];
	const nested = existing.map((k) => map.get(k)).filter((v): v is Y.AbstractType<unknown> => v instanceof Y.AbstractType);
	if (nested.length > 0 && rand() < 0.5) {
		const target = pick(rand, nested);
		if (target instanceof Y.Map) target.set(pick(rand, FIELD_NAMES), rand() < 0.75 ? randomValue(rand) : randomType(rand));
		else if (target instanceof Y.Array) target.push([rand() < 0.8 ? randomValue(rand) : randomType(rand)]);
		else if (target instanceof Y.Text) {
			if (rand() < 0.5) target.insert(0, 'more');
			else target.insert(0, 'bold', { bold: true });
		}
		return;
	}
	const key = existing.length > 0 && rand() < 0.4 ? pick(rand, existing) : `k${Math.floor(rand() * 20)}`;
	map.set(key, rand() < 0.6 ? randomValue(rand) : randomType(rand));
}
