import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { assertStateVector, assertUpdateV1 } from '../../server/sync/update-guard.ts';
import { ProtocolError } from '../../server/sync/protocol.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { seedBoard } from '../../src/lib/board/doc/schema.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { deepJsonUpdate, hugeClaims, orphanUpdate, prng, randomBytes, rootMapItemUpdate, v2Update } from '../helpers/hostile-frames.ts';

const actor = { userId: 'u1', now: () => new Date('2026-03-01T10:00:00Z') };

/** Whether the guard lets `update` through. */
function passes(update: Uint8Array): boolean {
	try {
		assertUpdateV1(update);
		return true;
	} catch (err) {
		if (!(err instanceof ProtocolError) || err.closeCode !== 1007) throw err;
		return false;
	}
}

/** A board doc after `steps` random commands (cards, moves, titles, descriptions, checklists, archive), recording every update. */
function busyBoard(seed: number, steps: number): { doc: Y.Doc; updates: Uint8Array[] } {
	const rand = prng(seed);
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	seedBoard(doc);
	const cmd = boardCommands(doc, actor);
	for (let i = 0; i < steps; i++) {
		const { stages, cards } = readSnapshot(doc);
		const ids = Object.keys(cards);
		const pick = <T,>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
		const r = rand();
		try {
			if (r < 0.3 || ids.length === 0) cmd.addCard(pick(stages).id, `Card ${i} ✓ ünïcode 😀`);
			else if (r < 0.5) cmd.moveCard(pick(ids), pick(stages).id, 0);
			else if (r < 0.6) cmd.setTitle(pick(ids), `Renamed ${i}`);
			else if (r < 0.75) cmd.setDescription(pick(ids), `Some *markdown* ${i}\n`.repeat(1 + Math.floor(rand() * 4)));
			else if (r < 0.85) cmd.addChecklistItem(pick(ids), `Step ${i}`);
			else cmd.setArchived(pick(ids), true);
		} catch {
			// A command the board refuses (WIP limit, …) changes nothing; carry on.
		}
	}
	return { doc, updates };
}

describe('update guard', () => {
	it('lets through every V1 update Yjs writes for real board edits: whole state, each edit, merged, diffs', () => {
		for (let seed = 1; seed <= 20; seed++) {
			const { doc, updates } = busyBoard(seed, 60);
			const state = Y.encodeStateAsUpdate(doc);
			expect(passes(state), `seed ${seed}: whole state`).toBe(true);
			for (const u of updates) expect(passes(u), `seed ${seed}: one edit`).toBe(true);
			expect(passes(Y.mergeUpdates(updates.slice(3))), `seed ${seed}: merged (with gaps)`).toBe(true);
			const early = new Y.Doc();
			Y.applyUpdate(early, Y.mergeUpdates(updates.slice(0, 5)));
			expect(passes(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(early))), `seed ${seed}: diff`).toBe(true);
			expect(() => assertStateVector(Y.encodeStateVector(doc))).not.toThrow();
		}
	});

	it('refuses the same documents V2-encoded, and every truncation of a real update', () => {
		for (let seed = 1; seed <= 20; seed++) {
			const { doc } = busyBoard(seed, 30);
			expect(passes(Y.encodeStateAsUpdateV2(doc)), `seed ${seed}`).toBe(false);
		}
		expect(passes(v2Update())).toBe(false);
		const update = Y.encodeStateAsUpdate(busyBoard(99, 20).doc);
		for (let end = 0; end < update.length; end++) expect(passes(update.subarray(0, end)), `cut at ${end}`).toBe(false);
		expect(passes(new Uint8Array([...update, 0]))).toBe(false);
	});

	it('refuses counts and lengths the bytes cannot hold, in well under a millisecond each', () => {
		for (const { what, update } of hugeClaims()) {
			const t0 = performance.now();
			expect(passes(update), what).toBe(false);
			expect(performance.now() - t0, what).toBeLessThan(5);
		}
	});

	it('refuses values nested past the limit, __proto__ keys, BigInt, subdocuments and empty structs', () => {
		expect(passes(deepJsonUpdate(20))).toBe(true);
		expect(passes(deepJsonUpdate(33))).toBe(false);
		// Proof of the danger: Yjs takes the deep value, and then cannot encode the document for anyone.
		const victim = new Y.Doc();
		Y.applyUpdate(victim, deepJsonUpdate(20_000));
		expect(() => Y.encodeStateAsUpdate(victim)).toThrow(RangeError);
		const any = (write: (e: encoding.Encoder) => void) =>
			rootMapItemUpdate(7, 'cards', 'x', 8, (e) => {
				encoding.writeVarUint(e, 1);
				write(e);
			});
		expect(passes(any((e) => encoding.writeAny(e, { title: 'ok', n: 1, list: [1, 'two', null, true] })))).toBe(true);
		const nested = (depth: number) =>
			any((e) => {
				for (let i = 0; i < depth; i++) {
					encoding.writeUint8(e, 117);
					encoding.writeVarUint(e, 1);
				}
				encoding.writeUint8(e, 126);
			});
		expect(passes(nested(31))).toBe(true);
		expect(passes(nested(40))).toBe(false);
		expect(
			passes(
				any((e) => {
					encoding.writeUint8(e, 118);
					encoding.writeVarUint(e, 1);
					encoding.writeVarString(e, '__proto__');
					encoding.writeAny(e, { polluted: true });
				})
			)
		).toBe(false);
		expect(passes(any((e) => encoding.writeAny(e, 10n)))).toBe(false);
		expect(passes(rootMapItemUpdate(7, 'cards', 'x', 9, (e) => (encoding.writeVarString(e, 'guid'), encoding.writeAny(e, {}))))).toBe(false);
		expect(passes(rootMapItemUpdate(7, 'cards', 'x', 4, (e) => encoding.writeVarString(e, '')))).toBe(false);
		expect(passes(rootMapItemUpdate(7, 'cards', 'x', 4, (e) => encoding.writeVarString(e, 'fine')))).toBe(true);
		// Well-formed but depending on history the server lacks: the guard passes it, the room bounds it (see abuse tests).
		expect(passes(orphanUpdate(77, 'orphan'))).toBe(true);
	});

	it('whatever it lets through of 3,000 mutated updates, Yjs applies or refuses quickly, and the doc still encodes', () => {
		const rand = prng(2026);
		const base = Y.encodeStateAsUpdate(busyBoard(5, 15).doc);
		let accepted = 0;
		let slowest = 0;
		for (let i = 0; i < 3_000; i++) {
			let bytes: Uint8Array;
			if (rand() < 0.1) bytes = randomBytes(rand, 1 + Math.floor(rand() * 64));
			else {
				bytes = Uint8Array.from(base);
				for (let f = 1 + Math.floor(rand() * 3); f > 0; f--) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
			}
			if (!passes(bytes)) continue;
			accepted++;
			const apply = () => {
				const doc = new Y.Doc();
				const t0 = performance.now();
				try {
					Y.applyUpdate(doc, bytes);
				} catch {
					// Refused by Yjs: fine, as long as it was quick and the doc is still usable.
				}
				return { doc, ms: performance.now() - t0 };
			};
			const first = apply();
			const { doc } = first;
			let { ms } = first;
			// A garbage collection can land in any one apply; a stall the input causes happens again.
			if (ms > 50) ms = Math.min(ms, apply().ms);
			slowest = Math.max(slowest, ms);
			expect(() => Y.encodeStateAsUpdate(doc), `mutation ${i}`).not.toThrow();
			doc.destroy();
		}
		expect(accepted).toBeGreaterThan(100);
		expect(slowest).toBeLessThan(100);
	}, 30_000);
});
