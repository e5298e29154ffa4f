import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startFlowdeck } from '../../server/app.ts';
import { DEFAULT_SYNC_OPTIONS } from '../../server/sync/options.ts';
import { openDatabase, type DatabaseOptions } from '../../src/lib/server/db/client.ts';
import { boardStats, parseStatsQuery } from '../../src/lib/server/stats.ts';
import { createScratchPostgres, dbKinds, migrationsFolder, queryRows } from '../helpers/db.ts';
import { generateFlowHistory, insertFlowHistory } from '../helpers/flow-history.ts';
import { tempDataDir } from '../helpers/server.ts';

const NOW = new Date('2026-11-20T15:30:00.000Z');

/** A database that outlives one open: a PGlite folder or a scratch PostgreSQL database. */
async function durableDatabase(kind: 'pglite' | 'postgres'): Promise<{ options: DatabaseOptions; drop(): Promise<void> | void }> {
	if (kind === 'postgres') {
		const scratch = await createScratchPostgres();
		return { options: { url: scratch.url }, drop: () => scratch.drop() };
	}
	const data = tempDataDir();
	return { options: { dataDir: data.dir }, drop: () => data.remove() };
}

// A migration that reshapes card_flow clears it (0004 did); the server must rebuild it from the history on start,
// or every board's stats would read as empty after an upgrade.
describe.each(dbKinds())('card_flow after an upgrade that cleared it (%s)', (kind) => {
	it('the server rebuilds it on start, and the stats are what they were', async () => {
		const store = await durableDatabase(kind);
		try {
			const query = parseStatsQuery(new URLSearchParams({ from: '2026-08-01', to: '2026-11-20' }), NOW);
			let before: unknown;
			{
				const database = await openDatabase(store.options, migrationsFolder);
				await insertFlowHistory(database.db, generateFlowHistory({ boardId: 'board-up', seed: 5, events: 2_000, end: NOW.getTime(), days: 120 }));
				before = JSON.parse(JSON.stringify(await boardStats(database.db, 'board-up', query, NOW)));
				await database.db.execute(sql`delete from card_flow`);
				await database.close();
			}
			const location = 'url' in store.options ? { databaseUrl: store.options.url, dataDir: '' } : { databaseUrl: undefined, dataDir: store.options.dataDir! };
			const app = await startFlowdeck({ port: 0, host: '127.0.0.1', origin: undefined, redisUrl: undefined, migrationsFolder, ...location, sync: DEFAULT_SYNC_OPTIONS });
			try {
				const [rows] = await queryRows<{ n: number }>(app.database, sql`select count(*)::int as n from card_flow where board_id = 'board-up'`);
				expect(rows?.n).toBeGreaterThan(500);
				const after = JSON.parse(JSON.stringify(await boardStats(app.database.db, 'board-up', query, NOW)));
				expect(after).toEqual(before);
				expect((after as { leadTime: { count: number } }).leadTime.count).toBeGreaterThan(20);
			} finally {
				await app.close();
			}
		} finally {
			await store.drop();
		}
	}, 60_000);
});
