import * as decoding from 'lib0/decoding';
import { CLOSE, ProtocolError } from './protocol.ts';

/**
 * Structural check of a client's Yjs update (V1 encoding) before Yjs sees it.
 *
 * Why: Yjs trusts the counts in an update. A 40-byte frame claiming 30 million structs makes it
 * allocate a 240 MB array (hundreds of ms of stall per frame); a V2 update read as V1 usually
 * "applies" as garbage; a value nested thousands deep decodes fine but then makes every later
 * `encodeStateAsUpdate` (sync step 2, snapshots) overflow the stack, locking everyone out of the board.
 * This walk reads every field with bounds checks, never allocates by a claimed count, requires the bytes to
 * end exactly where the update ends, and bounds concurrent inserts at one spot. It does not apply anything.
 */

/**
 * Most items one update may insert at one spot: with the same neighbours, or under the same map key with no left
 * neighbour. Yjs orders concurrent inserts at one spot by scanning all of them for each, so N of them cost N²
 * (4,000 in one 48 KB frame stalled a server for 4 s); no real client sends more than a handful in one update.
 */
export const MAX_CONCURRENT_AT_ONE_SPOT = 64;

/** Deepest nesting accepted in a JSON or `any` value (board documents use flat values). */
export const MAX_VALUE_DEPTH = 32;
/** Largest clock or length accepted: no real client reaches 2^32 operations, and sums stay exact. */
const MAX_CLOCK = 2 ** 32;

const BIT6 = 32;
const BIT7 = 64;
const BIT8 = 128;
const BITS5 = 31;
/** Content refs (info & 31) an Item may carry: 1 deleted … 8 any. 9 (a subdocument) is refused: a board has none. */
const CONTENT_DELETED = 1;
const CONTENT_JSON = 2;
const CONTENT_BINARY = 3;
const CONTENT_STRING = 4;
const CONTENT_EMBED = 5;
const CONTENT_FORMAT = 6;
const CONTENT_TYPE = 7;
const CONTENT_ANY = 8;
const CONTENT_DOC = 9;
const STRUCT_GC = 0;
const STRUCT_SKIP = 10;
/** Type refs: 0 array, 1 map, 2 text, 3 xml element (has a name), 4 fragment, 5 hook (has a name), 6 xml text. */
const TYPE_REFS_WITH_NAME = new Set([3, 5]);
const MAX_TYPE_REF = 6;

/** Throws ProtocolError (1007) unless `update` is one complete, well-formed V1 update within our limits. */
export function assertUpdateV1(update: Uint8Array): void {
	const d = decoding.createDecoder(update);
	try {
		readStructs(d);
		readDeleteSet(d);
	} catch (err) {
		if (err instanceof ProtocolError) throw err;
		throw invalid(`does not decode (${(err as Error).message})`);
	}
	if (decoding.hasContent(d)) throw invalid(`${update.length - d.pos} bytes after the end of the update (a V2 update?)`);
}

/** Throws ProtocolError (1007) unless `stateVector` is a complete, well-formed state vector. */
export function assertStateVector(stateVector: Uint8Array): void {
	const d = decoding.createDecoder(stateVector);
	try {
		const clients = count(d, 2);
		for (let i = 0; i < clients; i++) {
			decoding.readVarUint(d);
			clock(d);
		}
	} catch (err) {
		if (err instanceof ProtocolError) throw err;
		throw new ProtocolError(`Malformed state vector: ${(err as Error).message}`, CLOSE.invalidPayload);
	}
	if (decoding.hasContent(d)) throw new ProtocolError('Malformed state vector: trailing bytes', CLOSE.invalidPayload);
}

function readStructs(d: decoding.Decoder): void {
	const spots = new Map<string, number>();
	// Each client section takes at least 3 bytes (count, client, clock); each struct at least 2.
	const clients = count(d, 3);
	for (let c = 0; c < clients; c++) {
		const structs = count(d, 2);
		decoding.readVarUint(d); // client id
		let at = clock(d);
		for (let s = 0; s < structs; s++) {
			const info = decoding.readUint8(d);
			const ref = info & BITS5;
			if (ref === STRUCT_GC || ref === STRUCT_SKIP) {
				at = advance(at, nonEmpty(clock(d)));
				continue;
			}
			const origin = info & BIT8 ? readId(d) : '';
			const rightOrigin = info & BIT7 ? readId(d) : '';
			let spot = `${origin}|${rightOrigin}`;
			if ((info & (BIT7 | BIT8)) === 0) {
				if (decoding.readVarUint(d) === 1) spot += `|root:${latin1(decoding.readVarUint8Array(d))}`;
				else spot += `|${readId(d)}`; // parent item
				if (info & BIT6) spot += `|${latin1(decoding.readVarUint8Array(d))}`; // map key
			}
			const atSpot = (spots.get(spot) ?? 0) + 1;
			if (atSpot > MAX_CONCURRENT_AT_ONE_SPOT) throw invalid(`more than ${MAX_CONCURRENT_AT_ONE_SPOT} concurrent inserts at one position`);
			spots.set(spot, atSpot);
			at = advance(at, nonEmpty(readContent(d, ref)));
		}
	}
}

function readDeleteSet(d: decoding.Decoder): void {
	const clients = count(d, 2);
	for (let c = 0; c < clients; c++) {
		decoding.readVarUint(d); // client id
		const ranges = count(d, 2);
		for (let r = 0; r < ranges; r++) advance(clock(d), clock(d));
	}
}

/** Reads an item's content; returns its length in clock units. */
function readContent(d: decoding.Decoder, ref: number): number {
	switch (ref) {
		case CONTENT_DELETED:
			return clock(d);
		case CONTENT_JSON: {
			const n = count(d, 1);
			for (let i = 0; i < n; i++) {
				const text = decoding.readVarString(d);
				if (text !== 'undefined') checkJson(text);
			}
			return n;
		}
		case CONTENT_BINARY:
			decoding.readVarUint8Array(d);
			return 1;
		case CONTENT_STRING:
			// Yjs counts UTF-16 units, never more than the UTF-8 bytes: an upper bound is enough for the clock check.
			return decoding.readVarUint8Array(d).length;
		case CONTENT_EMBED:
			checkJson(decoding.readVarString(d));
			return 1;
		case CONTENT_FORMAT:
			decoding.readVarUint8Array(d); // attribute name
			checkJson(decoding.readVarString(d));
			return 1;
		case CONTENT_TYPE: {
			const typeRef = decoding.readVarUint(d);
			if (typeRef > MAX_TYPE_REF) throw invalid(`unknown type ref ${typeRef}`);
			if (TYPE_REFS_WITH_NAME.has(typeRef)) decoding.readVarUint8Array(d); // node name
			return 1;
		}
		case CONTENT_ANY: {
			const n = count(d, 1);
			for (let i = 0; i < n; i++) readAny(d, 1);
			return n;
		}
		case CONTENT_DOC:
			throw invalid('subdocuments are not part of a board');
		default:
			throw invalid(`unknown content ref ${ref}`);
	}
}

/** lib0 `readAny`, checked: bounded depth, no `__proto__` keys, no BigInt (which JSON cannot carry). */
function readAny(d: decoding.Decoder, depth: number): void {
	if (depth > MAX_VALUE_DEPTH) throw invalid(`value nested deeper than ${MAX_VALUE_DEPTH}`);
	const tag = decoding.readUint8(d);
	switch (tag) {
		case 127: // undefined
		case 126: // null
		case 121: // false
		case 120: // true
			return;
		case 125:
			decoding.readVarInt(d);
			return;
		case 124:
			decoding.readFloat32(d);
			return;
		case 123:
			decoding.readFloat64(d);
			return;
		case 119:
			decoding.readVarUint8Array(d); // a string: Yjs checks its UTF-8 while decoding, before integrating anything
			return;
		case 118: {
			const n = count(d, 2);
			for (let i = 0; i < n; i++) {
				if (isProtoKey(decoding.readVarUint8Array(d))) throw invalid('an object key named __proto__');
				readAny(d, depth + 1);
			}
			return;
		}
		case 117: {
			const n = count(d, 1);
			for (let i = 0; i < n; i++) readAny(d, depth + 1);
			return;
		}
		case 116:
			decoding.readVarUint8Array(d);
			return;
		default:
			throw invalid(`unsupported value tag ${tag}`);
	}
}

/**
 * Bounds the nesting of JSON text: JSON.parse copes with any depth, but JSON.stringify recurses, so a deep
 * value would break every later encode of the document. (Text that is not JSON makes Yjs throw before it
 * integrates anything.)
 */
function checkJson(text: string): void {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		if (inString) {
			if (ch === 92) i++; // backslash: skip the escaped character
			else if (ch === 34) inString = false;
		} else if (ch === 34) inString = true;
		else if (ch === 91 || ch === 123) {
			if (++depth > MAX_VALUE_DEPTH) throw invalid(`value nested deeper than ${MAX_VALUE_DEPTH}`);
		} else if (ch === 93 || ch === 125) depth--;
	}
}

/** A count of things that each take at least `minBytes`: more than the remaining bytes could hold is a lie. */
function count(d: decoding.Decoder, minBytes: number): number {
	const n = decoding.readVarUint(d);
	if (n * minBytes > d.arr.length - d.pos) throw invalid(`claims ${n} entries in ${d.arr.length - d.pos} bytes`);
	return n;
}

function clock(d: decoding.Decoder): number {
	const n = decoding.readVarUint(d);
	if (n > MAX_CLOCK) throw invalid(`clock or length ${n} out of range`);
	return n;
}

function advance(at: number, by: number): number {
	if (at + by > MAX_CLOCK) throw invalid('clock out of range');
	return at + by;
}

/** Yjs never writes an empty struct; one would share its clock with the next and break the store's ordering. */
function nonEmpty(len: number): number {
	if (len === 0) throw invalid('a struct of length 0');
	return len;
}

/** Reads an id (client, clock) as `client:clock`. */
function readId(d: decoding.Decoder): string {
	const client = decoding.readVarUint(d);
	return `${client}:${clock(d)}`;
}

/** A byte string as a map key (one char per byte: cheap, and distinct strings stay distinct). */
function latin1(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

const PROTO = new TextEncoder().encode('__proto__');

function isProtoKey(bytes: Uint8Array): boolean {
	return bytes.length === PROTO.length && bytes.every((b, i) => b === PROTO[i]);
}

function invalid(why: string): ProtocolError {
	return new ProtocolError(`Update rejected: ${why}`, CLOSE.invalidPayload);
}
