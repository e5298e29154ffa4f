// What a cold room load costs the server, step by step, for the initial-sync benchmark's board:
// applying the stored state, building the place index, and encoding the full state for a new client.
// Usage: node --import tsx tests/bench/load-cost.ts [cards] [moves]
import * as Y from 'yjs';
import { generateBoard } from './generate-board.ts';
import { placesOf } from '../../src/lib/board/doc/places.ts';
import { summary } from './stats.ts';

const board = generateBoard(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 50_000));
const source = new Y.Doc();
for (const chunk of board.chunks) Y.applyUpdate(source, chunk);
const stored = Y.encodeStateAsUpdate(source);
const steps: Record<string, number[]> = { apply: [], placeIndex: [], encode: [], total: [] };
for (let i = 0; i < 12; i++) {
	const t0 = performance.now();
	const doc = new Y.Doc();
	Y.applyUpdate(doc, stored);
	const t1 = performance.now();
	placesOf(doc);
	const t2 = performance.now();
	Y.encodeStateAsUpdate(doc);
	const t3 = performance.now();
	steps.apply!.push(t1 - t0);
	steps.placeIndex!.push(t2 - t1);
	steps.encode!.push(t3 - t2);
	steps.total!.push(t3 - t0);
	doc.destroy();
}
console.log(`${(stored.byteLength / 1e6).toFixed(2)} MB, node ${process.execArgv.join(' ') || '(default flags)'}:`);
for (const [step, samples] of Object.entries(steps)) console.log(`  ${step}: p50 ${summary(samples).p50.toFixed(0)} ms, p95 ${summary(samples).p95.toFixed(0)} ms`);
