import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

/** Hand-built y-websocket frames and Yjs updates that lie, for the abuse tests. */

/** A small seeded PRNG (mulberry32): the same seed gives the same bytes. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** `n` random bytes from `rand`. */
export function randomBytes(rand: () => number, n: number): Uint8Array {
	const out = new Uint8Array(n);
	for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * 256);
	return out;
}

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
	const e = encoding.createEncoder();
	write(e);
	return encoding.toUint8Array(e);
}

/** A sync-update frame (type 0, step 2 = update) carrying `update` as is. */
export function updateFrame(update: Uint8Array): Uint8Array {
	return frame((e) => {
		encoding.writeVarUint(e, 0);
		encoding.writeVarUint(e, 2);
		encoding.writeVarUint8Array(e, update);
	});
}

/** A sync step 2 frame (type 0, step 1) carrying `update`: what a client answers to the server's step 1. */
export function step2Frame(update: Uint8Array): Uint8Array {
	return frame((e) => {
		encoding.writeVarUint(e, 0);
		encoding.writeVarUint(e, 1);
		encoding.writeVarUint8Array(e, update);
	});
}

/** A sync step 1 frame carrying `stateVector` as is. */
export function step1Frame(stateVector: Uint8Array): Uint8Array {
	return frame((e) => {
		encoding.writeVarUint(e, 0);
		encoding.writeVarUint(e, 0);
		encoding.writeVarUint8Array(e, stateVector);
	});
}

/** An awareness frame (type 1) with the given entries, built by hand so it can claim anything. */
export function awarenessFrame(entries: { clientId: number; clock: number; state: string }[]): Uint8Array {
	const inner = frame((e) => {
		encoding.writeVarUint(e, entries.length);
		for (const { clientId, clock, state } of entries) {
			encoding.writeVarUint(e, clientId);
			encoding.writeVarUint(e, clock);
			encoding.writeVarString(e, state);
		}
	});
	return frame((e) => {
		encoding.writeVarUint(e, 1);
		encoding.writeVarUint8Array(e, inner);
	});
}

/** A V1 update with one item in root map `map` under `key`, content ref `ref`, written by `content`. */
export function rootMapItemUpdate(client: number, map: string, key: string, ref: number, content: (e: encoding.Encoder) => void): Uint8Array {
	return frame((e) => {
		encoding.writeVarUint(e, 1); // one client
		encoding.writeVarUint(e, 1); // one struct
		encoding.writeVarUint(e, client);
		encoding.writeVarUint(e, 0); // clock
		encoding.writeUint8(e, ref | 32); // no origins, has a map key
		encoding.writeVarUint(e, 1); // parent is a root type, named:
		encoding.writeVarString(e, map);
		encoding.writeVarString(e, key);
		content(e);
		encoding.writeVarUint(e, 0); // empty delete set
	});
}

/** Updates whose counts or lengths claim far more than the bytes hold. Yjs pre-allocates by the first kind. */
export function hugeClaims(): { what: string; update: Uint8Array }[] {
	const v = (write: (e: encoding.Encoder) => void) => frame(write);
	return [
		{
			what: '30 million structs in 5 bytes',
			update: v((e) => {
				encoding.writeVarUint(e, 1);
				encoding.writeVarUint(e, 30_000_000);
				encoding.writeVarUint(e, 5);
				encoding.writeVarUint(e, 0);
				encoding.writeUint8(e, 0);
			})
		},
		{ what: '2^50 clients', update: v((e) => encoding.writeVarUint(e, 2 ** 50)) },
		{ what: 'a string of 2^40 bytes', update: rootMapItemUpdate(9, 'cards', 'x', 4, (e) => encoding.writeVarUint(e, 2 ** 40)) },
		{ what: 'an any-array of 2^31 values', update: rootMapItemUpdate(9, 'cards', 'x', 8, (e) => encoding.writeVarUint(e, 2 ** 31)) },
		{
			what: 'a delete set of 2^32 ranges',
			update: v((e) => {
				encoding.writeVarUint(e, 0);
				encoding.writeVarUint(e, 1);
				encoding.writeVarUint(e, 9);
				encoding.writeVarUint(e, 2 ** 32);
			})
		},
		{ what: 'a deleted run of 2^52 clock units', update: rootMapItemUpdate(9, 'cards', 'x', 1, (e) => encoding.writeVarUint(e, 2 ** 52)) }
	];
}

/** A JSON value nested `depth` deep, as a legacy ContentJSON item: Yjs stores it, then cannot encode the doc again. */
export function deepJsonUpdate(depth: number): Uint8Array {
	return rootMapItemUpdate(4242, 'cards', 'bomb', 2, (e) => {
		encoding.writeVarUint(e, 1);
		encoding.writeVarString(e, '['.repeat(depth) + ']'.repeat(depth));
	});
}

/** An update that continues client `client`'s history at clock 1000: Yjs keeps it "pending" for the missing 0..999. */
export function orphanUpdate(client: number, title: string): Uint8Array {
	return frame((e) => {
		encoding.writeVarUint(e, 1);
		encoding.writeVarUint(e, 1);
		encoding.writeVarUint(e, client);
		encoding.writeVarUint(e, 1000);
		encoding.writeUint8(e, 8 | 128); // any content, with an origin…
		encoding.writeVarUint(e, client); // …that does not exist
		encoding.writeVarUint(e, 999);
		encoding.writeVarUint(e, 1);
		encoding.writeUint8(e, 119);
		encoding.writeVarString(e, title);
		encoding.writeVarUint(e, 0);
	});
}

/** A V2-encoded update (what `Y.encodeStateAsUpdateV2` makes) of a doc holding a card-like map. */
export function v2Update(): Uint8Array {
	const doc = new Y.Doc();
	const card = new Y.Map<unknown>();
	doc.getMap('cards').set('v2-card', card);
	card.set('title', 'Sent as V2');
	const update = Y.encodeStateAsUpdateV2(doc);
	doc.destroy();
	return update;
}
