// The board document's size and load time at the initial-sync benchmark's size, in the current layout:
// the same generated board `npm run bench` syncs (cached between runs).
// Usage: node --import tsx tests/bench/doc-size.ts [cards] [moves]
import * as Y from 'yjs';
import { generateBoard } from './generate-board.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { summary } from './stats.ts';

const cards = Number(process.argv[2] ?? 10_000);
const moves = Number(process.argv[3] ?? 50_000);
const board = generateBoard(cards, moves);
const doc = new Y.Doc();
for (const chunk of board.chunks) Y.applyUpdate(doc, chunk);
const v1 = Y.encodeStateAsUpdate(doc);
const v2 = Y.encodeStateAsUpdateV2(doc);
const loads: number[] = [];
const snapshots: number[] = [];
for (let i = 0; i < 5; i++) {
	const t0 = performance.now();
	const fresh = new Y.Doc();
	Y.applyUpdate(fresh, v1);
	const t1 = performance.now();
	readSnapshot(fresh);
	loads.push(t1 - t0);
	snapshots.push(performance.now() - t1);
}
const snap = readSnapshot(doc);
const shown = Object.values(snap.cardsByStage).reduce((n, list) => n + list.length, 0) + snap.archived.length;
console.log(`| board | V1 bytes | V2 bytes | load V1 (median of 5) | first snapshot (median of 5) | generated in |`);
console.log('| --- | --- | --- | --- | --- | --- |');
console.log(
	`| ${cards.toLocaleString('en')} cards, ${moves.toLocaleString('en')} moves (${shown.toLocaleString('en')} shown) | ${(v1.byteLength / 1e6).toFixed(2)} MB | ${(v2.byteLength / 1e6).toFixed(2)} MB | ${Math.round(summary(loads).p50)} ms | ${Math.round(summary(snapshots).p50)} ms | ${(board.generatedMs / 1000).toFixed(0)} s |`
);
