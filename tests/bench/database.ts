import postgres from 'postgres';
import { asc, eq, sql as dsql } from 'drizzle-orm';
import { openDatabase } from '../../src/lib/server/db/client.ts';
import { boardUpdates } from '../../src/lib/server/db/schema/documents.ts';
import { epochNow } from './stats.ts';

/** One stored row of a board's updates, as the benchmark sees it. */
export interface SeenRow {
	id: number;
	data: Uint8Array;
	/** `created_at`: the server's clock when it issued the INSERT (epoch ms). */
	createdAt: number;
	/** When the benchmark's poll first saw the committed row (epoch ms); null when read afterwards. */
	seenAt: number | null;
}

/** A scratch database on the PostgreSQL server at `adminUrl`; `drop()` removes it. */
export async function createScratchDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
	const name = `flowdeck_bench_${Date.now().toString(36)}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`CREATE DATABASE "${name}"`);
	} catch (err) {
		await admin.end();
		throw new Error(`BENCH_DATABASE_URL: could not create a scratch database: ${(err as Error).message}`);
	}
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async drop() {
			await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
			await admin.end();
		}
	};
}

/**
 * Polls PostgreSQL every `everyMs` for new `board_updates` rows of one board, noting when each was first
 * visible (committed). Only PostgreSQL allows this; PGlite belongs to the server process while it runs.
 */
export function pollBoardUpdates(url: string, boardId: string, everyMs = 5): { stop(): Promise<SeenRow[]> } {
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	const rows: SeenRow[] = [];
	let last = 0;
	let running = true;
	const loop = (async () => {
		while (running) {
			const found = await sql<{ id: string; data: Buffer; created_at: Date }[]>`
				select id, data, created_at from board_updates where board_id = ${boardId} and id > ${last} order by id`;
			const seenAt = epochNow();
			for (const r of found) {
				rows.push({ id: Number(r.id), data: new Uint8Array(r.data), createdAt: r.created_at.getTime(), seenAt });
				last = Number(r.id);
			}
			await new Promise((resolve) => setTimeout(resolve, everyMs));
		}
	})();
	return {
		async stop() {
			running = false;
			await loop;
			await sql.end({ timeout: 5 });
			return rows;
		}
	};
}

/** Reads a board's stored update rows from a stopped server's PGlite folder. */
export async function readPgliteBoardUpdates(dataDir: string, boardId: string, migrationsFolder: string): Promise<SeenRow[]> {
	const database = await openDatabase({ dataDir }, migrationsFolder);
	try {
		const rows = await database.db
			.select({ id: boardUpdates.id, data: boardUpdates.data, createdAt: boardUpdates.createdAt })
			.from(boardUpdates)
			.where(eq(boardUpdates.boardId, boardId))
			.orderBy(asc(boardUpdates.id));
		return rows.map((r) => ({ id: Number(r.id), data: r.data, createdAt: r.createdAt.getTime(), seenAt: null }));
	} finally {
		await database.close();
	}
}

/** Bytes and rows stored for a board (snapshot + updates), on either database. */
export async function storedSize(
	db: { url: string } | { dataDir: string },
	boardId: string,
	migrationsFolder: string
): Promise<{ rows: number; bytes: number; snapshotBytes: number }> {
	const database = await openDatabase('url' in db ? { url: db.url } : { dataDir: db.dataDir }, migrationsFolder);
	try {
		const result = (await database.db.execute(
			dsql`select (select count(*) from board_updates where board_id = ${boardId})::int as rows,
			            (select coalesce(sum(octet_length(data)), 0) from board_updates where board_id = ${boardId})::int as bytes,
			            (select coalesce(sum(octet_length(data)), 0) from board_snapshots where board_id = ${boardId})::int as snap`
		)) as unknown;
		const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { rows: number; bytes: number; snap: number }[];
		return { rows: rows[0]!.rows, bytes: rows[0]!.bytes, snapshotBytes: rows[0]!.snap };
	} finally {
		await database.close();
	}
}
