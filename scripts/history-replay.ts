// `npm run history:replay`: writes the history batches the server set aside (see docs/architecture.md, "History
// that cannot be written") into card_events, removing each one that succeeds. On PGlite stop the server first
// (its data folder is single-process); on PostgreSQL it may run while the server does.
import { configFromEnv } from '../server/config.ts';
import { openDatabase } from '../src/lib/server/db/client.ts';
import { replaySetAsideHistory } from '../src/lib/server/history-set-aside.ts';

const config = configFromEnv(process.env);
const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir }, config.migrationsFolder);
try {
	const { written, failed } = await replaySetAsideHistory(database.db);
	console.log(`History replay: ${written} set-aside batch(es) written, ${failed.length} still failing.`);
	for (const f of failed) console.log(`  #${f.id} (board ${f.boardId}): ${f.error}`);
	process.exitCode = failed.length > 0 ? 1 : 0;
} finally {
	await database.close();
}
