import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { LOCAL } from '../../src/lib/board/doc/origins.ts';
import { boardMaps, seedBoard } from '../../src/lib/board/doc/schema.ts';

/** A generated board history, as updates small enough to send as ordinary frames. */
export interface GeneratedBoard {
	/** Merged runs of consecutive command transactions, each at most about `CHUNK_BYTES`, in order. */
	chunks: Uint8Array[];
	cards: number;
	moves: number;
	/** How many independent slices the history was generated in (see `generateBoard`). */
	shards: number;
	/** Milliseconds spent generating (0 when read from the cache). */
	generatedMs: number;
	cachePath: string;
}

/** Upper size of one chunk: far below the server's 2 MiB `maxPayload`. */
const CHUNK_BYTES = 256 * 1024;
/** Cards per shard: the commands scan every card of the doc, so one 10k-card doc would take ~10 minutes. */
const CARDS_PER_SHARD = 1000;
/** Bump when the generator changes so old cache files are not reused. */
const GENERATOR_VERSION = 4;

/** A hash of the code that decides the document's layout, so a cached board is never one of an older layout. */
function layoutFingerprint(): string {
	const docDir = join(dirname(fileURLToPath(import.meta.url)), '../../src/lib/board/doc');
	const hash = createHash('sha256');
	for (const file of ['schema.ts', 'places.ts', 'commands.ts']) hash.update(readFileSync(join(docDir, file)));
	return hash.digest('hex').slice(0, 10);
}

/** A small deterministic PRNG (Park–Miller) so every run moves the same cards the same way. */
function prng(seed: number): () => number {
	let state = seed % 2147483647 || 1;
	return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

/**
 * A board of `cards` cards with `moves` card moves of history, made with the domain commands
 * (`addCard`, `moveCard`) exactly as the browser issues them, one transaction per command.
 *
 * To keep generation to about a minute, the board is generated in shards of 1,000 cards: every shard
 * starts from the same seeded stages and runs its share of adds and moves on its own cards with its
 * own client id (ten "users"), and the shards' updates are then concatenated. Yjs merges them into one
 * board; the only difference from a single author is that ranks were chosen among a shard's cards
 * rather than all cards of a stage (ties are broken by id, as after concurrent inserts).
 * Cached in the OS temp folder by size and seed.
 */
export function generateBoard(cards: number, moves: number, seed = 42): GeneratedBoard {
	const shards = Math.max(1, Math.ceil(cards / CARDS_PER_SHARD));
	const dir = join(tmpdir(), 'flowdeck-bench-cache');
	const cachePath = join(dir, `board-v${GENERATOR_VERSION}-${layoutFingerprint()}-${cards}c-${moves}m-s${seed}.bin`);
	if (existsSync(cachePath)) return { chunks: readChunks(readFileSync(cachePath)), cards, moves, shards, generatedMs: 0, cachePath };
	const started = performance.now();
	const base = new Y.Doc();
	seedBoard(base);
	const baseState = Y.encodeStateAsUpdate(base);
	const stageIds = [...boardMaps(base).stages.keys()].sort();
	const updates: Uint8Array[] = [baseState];
	const random = prng(seed);
	let clock = Date.parse('2026-01-05T09:00:00Z');
	const now = () => new Date((clock += 60_000));
	for (let s = 0; s < shards; s++) {
		const shardCards = Math.floor(cards / shards) + (s < cards % shards ? 1 : 0);
		const shardMoves = Math.floor(moves / shards) + (s < moves % shards ? 1 : 0);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, baseState);
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === LOCAL) updates.push(update);
		});
		const commands = boardCommands(doc, { userId: `bench-user-${s}`, now }, LOCAL);
		const ids: string[] = [];
		// Mostly queue and active stages, as a real backlog.
		for (let i = 0; i < shardCards; i++) ids.push(commands.addCard(stageIds[Math.floor(random() * stageIds.length)]!, `Card ${s}-${i}: draft the campaign brief`));
		for (let i = 0; i < shardMoves; i++) {
			const cardId = ids[Math.floor(random() * ids.length)]!;
			const to = stageIds[Math.floor(random() * stageIds.length)]!;
			commands.moveCard(cardId, to, Math.floor(random() * (shardCards / stageIds.length + 1)));
		}
		doc.destroy();
	}
	const chunks = chunk(updates);
	mkdirSync(dir, { recursive: true });
	writeFileSync(cachePath + '.tmp', writeChunks(chunks));
	renameSync(cachePath + '.tmp', cachePath);
	return { chunks, cards, moves, shards, generatedMs: Math.round(performance.now() - started), cachePath };
}

/** Merges consecutive updates into runs of at most CHUNK_BYTES (by the sum of their sizes). */
function chunk(updates: Uint8Array[]): Uint8Array[] {
	const chunks: Uint8Array[] = [];
	let run: Uint8Array[] = [];
	let size = 0;
	for (const update of updates) {
		if (size + update.byteLength > CHUNK_BYTES && run.length > 0) {
			chunks.push(Y.mergeUpdates(run));
			run = [];
			size = 0;
		}
		run.push(update);
		size += update.byteLength;
	}
	if (run.length > 0) chunks.push(Y.mergeUpdates(run));
	return chunks;
}

function writeChunks(chunks: Uint8Array[]): Buffer {
	const parts: Buffer[] = [];
	for (const c of chunks) {
		const len = Buffer.alloc(4);
		len.writeUInt32LE(c.byteLength);
		parts.push(len, Buffer.from(c));
	}
	return Buffer.concat(parts);
}

function readChunks(buf: Buffer): Uint8Array[] {
	const chunks: Uint8Array[] = [];
	for (let at = 0; at < buf.byteLength; ) {
		const len = buf.readUInt32LE(at);
		chunks.push(new Uint8Array(buf.subarray(at + 4, at + 4 + len)));
		at += 4 + len;
	}
	return chunks;
}
