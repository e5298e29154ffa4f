import postgres from 'postgres';
import type { SQL } from 'drizzle-orm';
import { resolve } from 'node:path';
import { openDatabase, selectRows, type Database } from '../../src/lib/server/db/client.ts';

/** The two drivers every integration test runs against. */
export type DbKind = 'pglite' | 'postgres';

/** Folder with the generated migrations. */
export const migrationsFolder = resolve(import.meta.dirname, '../../drizzle');

/**
 * Which databases to test: always PGlite; PostgreSQL when TEST_DATABASE_URL is set.
 * In CI a missing URL is an error, so a misconfigured run fails instead of silently testing less.
 */
export function dbKinds(): DbKind[] {
	if (process.env.TEST_DATABASE_URL) return ['pglite', 'postgres'];
	if (process.env.CI) throw new Error('TEST_DATABASE_URL must be set in CI: the PostgreSQL suite may not be skipped.');
	console.warn('TEST_DATABASE_URL is not set: skipping the PostgreSQL half of the integration tests.');
	return ['pglite'];
}

/** A fresh, empty PostgreSQL database on the test server; returns its URL and a function that drops it. */
export async function createScratchPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
	const adminUrl = process.env.TEST_DATABASE_URL;
	if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
	const name = `flowdeck_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`CREATE DATABASE "${name}"`);
	} catch (err) {
		await admin.end();
		throw new Error(`PostgreSQL at TEST_DATABASE_URL is unreachable or refused CREATE DATABASE: ${(err as Error).message}`);
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

/** A migrated, empty database of the given kind (PGlite in memory, or a scratch PostgreSQL database). */
export async function openTestDatabase(kind: DbKind): Promise<Database> {
	if (kind === 'pglite') return openDatabase({}, migrationsFolder);
	const scratch = await createScratchPostgres();
	const database = await openDatabase({ url: scratch.url }, migrationsFolder);
	return {
		...database,
		async close() {
			await database.close();
			await scratch.drop();
		}
	};
}

/** Rows of a raw SQL query, whichever driver ran it (postgres.js returns an array, PGlite `{ rows }`). */
export function queryRows<T>(database: Database, query: SQL): Promise<T[]> {
	return selectRows<T>(database.db, query);
}
