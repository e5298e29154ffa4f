import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** The drizzle handle both drivers share; queries are written once against it. */
export type Db = PgDatabase<PgQueryResultHKT>;

/** Runs a raw statement and returns its rows, whichever driver runs it (postgres.js answers an array, PGlite `{ rows }`). */
export async function selectRows<Row>(db: Db, query: SQL): Promise<Row[]> {
	const result = (await db.execute(query)) as unknown;
	return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Row[];
}

/** An open database: the drizzle handle, which driver backs it, and how to close it. */
export interface Database {
	db: Db;
	kind: 'postgres' | 'pglite';
	close(): Promise<void>;
}

/** Where to connect: a PostgreSQL URL, or a PGlite data directory (undefined = in memory). */
export type DatabaseOptions = { url: string } | { dataDir?: string };

/** Thrown when another process already holds a PGlite data directory. */
export class DataDirLockedError extends Error {
	constructor(dir: string, pid: number) {
		super(
			`The data folder ${dir} is in use by another Flowdeck process (pid ${pid}). ` +
				`Stop that process first, or set DATA_DIR to a different folder.`
		);
		this.name = 'DataDirLockedError';
	}
}

/** The advisory lock key that serialises migrations between instances (any constant; "flowdeck" in ASCII, cut to 32 bits). */
const MIGRATION_LOCK = 0x666c6f77;

/** Opens PostgreSQL (postgres.js) or PGlite and applies every migration in `migrationsFolder`. */
export async function openDatabase(options: DatabaseOptions, migrationsFolder: string): Promise<Database> {
	if ('url' in options) {
		const { default: postgres } = await import('postgres');
		const { drizzle } = await import('drizzle-orm/postgres-js');
		const { migrate } = await import('drizzle-orm/postgres-js/migrator');
		const sql = postgres(options.url, { max: 10, onnotice: () => {} });
		const db = drizzle(sql);
		try {
			// Several instances starting at once would each create drizzle's tables: one migrates, the others wait.
			const lock = await sql.reserve();
			try {
				await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
				await migrate(db, { migrationsFolder });
			} finally {
				await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => undefined);
				lock.release();
			}
		} catch (err) {
			await sql.end({ timeout: 1 });
			throw err;
		}
		return { db: db as unknown as Db, kind: 'postgres', close: () => sql.end({ timeout: 5 }) };
	}
	const releaseLock = options.dataDir ? lockDataDir(options.dataDir) : () => {};
	try {
		const { PGlite } = await import('@electric-sql/pglite');
		const { drizzle } = await import('drizzle-orm/pglite');
		const { migrate } = await import('drizzle-orm/pglite/migrator');
		const client = new PGlite(options.dataDir, nativeByteaCodec);
		const db = drizzle(client);
		await migrate(db, { migrationsFolder });
		return {
			db: db as unknown as Db,
			kind: 'pglite',
			close: async () => {
				await client.close();
				releaseLock();
			}
		};
	} catch (err) {
		releaseLock();
		throw err;
	}
}

/** PostgreSQL's type OID for bytea. */
const BYTEA_OID = 17;

/**
 * PGlite converts bytea to and from hex text one byte at a time in JavaScript: a 5.6 MB board took 2.2 s to
 * write and 0.6 s to read. Buffer's native hex codec does the same in 0.15 s and 0.035 s
 * (`tests/bench/pglite-bytea.ts`), which is most of a cold room load.
 */
const nativeByteaCodec = {
	parsers: { [BYTEA_OID]: (text: string) => new Uint8Array(Buffer.from(text.slice(2), 'hex')) },
	serializers: { [BYTEA_OID]: (value: unknown) => '\\x' + Buffer.from(value as Uint8Array).toString('hex') }
};

/**
 * PGlite is single-process: a `flowdeck.lock` file with our pid (and, on Linux, the kernel's start time of our
 * process) keeps a second server off the same folder. A lock whose process is gone is stale and taken over; so is
 * one whose pid now belongs to a process that started later (after a crash the OS may reuse the pid, e.g. in a
 * restarted container, and we must not refuse to start because of an unrelated process).
 */
function lockDataDir(dir: string): () => void {
	mkdirSync(dir, { recursive: true });
	const lockPath = join(dir, 'flowdeck.lock');
	const mine = `${process.pid} ${processStartTime(process.pid) ?? ''}`.trim();
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(lockPath, 'wx');
			writeFileSync(fd, mine);
			closeSync(fd);
			return () => {
				try {
					// Only our own lock: never remove one another process took over.
					if (readFileSync(lockPath, 'utf8') === mine) unlinkSync(lockPath);
				} catch {
					// already gone: nothing to release
				}
			};
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
			const [pidText, started] = readFileSync(lockPath, 'utf8').trim().split(/\s+/);
			const holder = Number(pidText);
			if (holder && holder !== process.pid && isAlive(holder) && sameProcess(holder, started)) throw new DataDirLockedError(dir, holder);
			// A stale lock from a crashed process: take it over.
			unlinkSync(lockPath);
		}
	}
	throw new Error(`Could not lock the data folder ${dir}`);
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Whether `pid` is still the process that wrote the lock (unknowable without a start time: assume it is). */
function sameProcess(pid: number, startedAtLock: string | undefined): boolean {
	if (!startedAtLock) return true;
	const now = processStartTime(pid);
	return now === null || now === startedAtLock;
}

/** The kernel's start time of a process (field 22 of /proc/<pid>/stat, Linux), or null where unavailable. */
function processStartTime(pid: number): string | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Field 2 (the command name) may hold spaces and parentheses: count from after its closing one (field 3 on).
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
	} catch {
		return null;
	}
}
