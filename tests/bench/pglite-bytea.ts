// Diagnosis for the cold initial sync on PGlite: PGlite turns bytea to and from hex text in JavaScript,
// one byte at a time. This writes and reads a board-sized bytea with PGlite's own conversion and with
// Buffer's native hex codec (PGlite's `parsers`/`serializers` options), timing both.
// Usage: node --import tsx tests/bench/pglite-bytea.ts [bytes]
import { PGlite } from '@electric-sql/pglite';
import { summary } from './stats.ts';

const BYTEA = 17;
const size = Number(process.argv[2] ?? 5_600_000);
const payload = new Uint8Array(size).map((_, i) => (i * 7919) % 251);

/** Native hex codec for bytea, as PGlite's per-type options accept it. */
const nativeBytea = {
	parsers: { [BYTEA]: (text: string) => new Uint8Array(Buffer.from(text.slice(2), 'hex')) },
	serializers: { [BYTEA]: (value: unknown) => '\\x' + Buffer.from(value as Uint8Array).toString('hex') }
};

async function measure(label: string, options: Record<string, unknown>): Promise<void> {
	const db = new PGlite(options);
	await db.exec('create table docs (id int primary key, data bytea not null)');
	const writes: number[] = [];
	const reads: number[] = [];
	for (let i = 0; i < 5; i++) {
		const t0 = performance.now();
		await db.query('insert into docs values ($1, $2) on conflict (id) do update set data = excluded.data', [1, payload]);
		const t1 = performance.now();
		const { rows } = await db.query<{ data: Uint8Array }>('select data from docs where id = 1');
		const t2 = performance.now();
		if (rows[0]!.data.byteLength !== size || rows[0]!.data[size - 1] !== payload[size - 1]) throw new Error('round trip changed the bytes');
		writes.push(t1 - t0);
		reads.push(t2 - t1);
	}
	await db.close();
	console.log(`| ${label} | ${Math.round(summary(writes).p50)} ms | ${Math.round(summary(reads).p50)} ms |`);
}

console.log(`| PGlite bytea of ${(size / 1e6).toFixed(1)} MB | write (median of 5) | read (median of 5) |`);
console.log('| --- | --- | --- |');
await measure("PGlite's own hex conversion (what the server does today)", {});
await measure('Buffer hex codec via PGlite parsers/serializers', nativeBytea);
