// The portfolio at scale: 20 boards of generated history (5,000 events each by default), one user on all of them,
// then timed warm on PGlite and PostgreSQL for a month and a year: `portfolio()` (the page's first answer) and
// `portfolioProcess()` (one process review per board: the compliance column and the template table, streamed in
// after it); GET /api/portfolio runs both, one after the other.
// Run: node --import tsx tests/bench/portfolio.ts   (TEST_DATABASE_URL for PostgreSQL; BOARDS, EVENTS to resize)
import { resolve } from 'node:path';
import { openDatabase, type Database } from '../../src/lib/server/db/client.ts';
import { signUp } from '../../src/lib/server/accounts.ts';
import { boardMembers } from '../../src/lib/server/db/schema/boards.ts';
import { portfolio, portfolioProcess } from '../../src/lib/server/portfolio/portfolio.ts';
import { generateFlowHistory, insertFlowHistory } from '../helpers/flow-history.ts';
import { createScratchDatabase } from './database.ts';
import { storedWorkflows } from '../helpers/stored-board.ts';
import { percentile, round1 } from './stats.ts';

const DAY = 86_400_000;
const BOARDS = Number(process.env.BOARDS ?? 20);
const EVENTS = Number(process.env.EVENTS ?? 5_000);
const SAMPLES = 15;
const END = Date.parse('2026-11-20T12:00:00Z');

/** Fills a database with the boards and times the portfolio over a month and a year; prints one line per range. */
async function measure(label: string, database: Database): Promise<void> {
	const started = performance.now();
	// The generated boards have history only: their workflow is a room's default, read from the database each time.
	const workflows = storedWorkflows(database.db);
	const userId = await signUp(database.db, { name: 'Bench', email: 'bench@example.test', password: 'a long enough password' }, new Date(END - 400 * DAY));
	for (let i = 0; i < BOARDS; i++) {
		const boardId = `bench-${i}`;
		await insertFlowHistory(database.db, generateFlowHistory({ boardId, seed: 100 + i, events: EVENTS, end: END, days: 365 }), `Board ${i}`);
		await database.db.insert(boardMembers).values({ boardId, userId, role: 'viewer', joinedAt: new Date(END - 400 * DAY) });
	}
	console.log(`${label}: ${BOARDS} boards × ${EVENTS} events written in ${Math.round(performance.now() - started)} ms`);
	for (const [name, days] of [['30 days', 30], ['365 days', 365]] as const) {
		const range = { from: END - days * DAY, to: END };
		const boardIds = (await portfolio(database.db, userId, range)).boards.map((b) => b.id);
		for (const [part, run] of [
			['portfolio', () => portfolio(database.db, userId, range)],
			['portfolioProcess', () => portfolioProcess(database.db, workflows, boardIds, range)]
		] as const) {
			for (let i = 0; i < 3; i++) await run();
			const samples: number[] = [];
			for (let i = 0; i < SAMPLES; i++) {
				const t = performance.now();
				await run();
				samples.push(performance.now() - t);
			}
			samples.sort((a, b) => a - b);
			console.log(`${label}, ${name}, ${boardIds.length} boards, ${part}: p50 ${round1(percentile(samples, 50))} ms, p95 ${round1(percentile(samples, 95))} ms`);
		}
	}
}

const migrationsFolder = resolve(import.meta.dirname, '../../drizzle');
const pglite = await openDatabase({}, migrationsFolder);
await measure('PGlite', pglite);
await pglite.close();
if (process.env.TEST_DATABASE_URL) {
	const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL);
	const pg = await openDatabase({ url: scratch.url }, migrationsFolder);
	await measure('PostgreSQL', pg);
	await pg.close();
	await scratch.drop();
} else console.log('PostgreSQL skipped: set TEST_DATABASE_URL');
