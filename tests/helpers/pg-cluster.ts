import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './server.ts';

const run = promisify(execFile);
const SEARCH = ['/usr/local/bin', '/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'];

/** A throwaway PostgreSQL cluster of the test's own, which it may stop and start at will. */
export interface PrivateCluster {
	/** postgres://postgres@127.0.0.1:<port>/postgres */
	url: string;
	port: number;
	/** Stops the server (`pg_ctl stop -m fast`): connections are cut, new ones refused. */
	stop(): Promise<void>;
	/** Starts it again on the same port and data. */
	start(): Promise<void>;
	/** Stops it if running and deletes its files. */
	destroy(): Promise<void>;
	/** The server log so far. */
	log(): string;
}

/** Where initdb and pg_ctl are, or null when this machine has no PostgreSQL server binaries. */
export function clusterBinaries(): { initdb: string; pgCtl: string } | null {
	for (const dir of SEARCH) {
		if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return { initdb: join(dir, 'initdb'), pgCtl: join(dir, 'pg_ctl') };
	}
	return null;
}

/**
 * initdb + pg_ctl start on a free port in a temp folder (trust auth, fsync off: this tests outages, not power
 * loss). PostgreSQL refuses to run as root, so as root the binaries run as the `postgres` OS user via runuser.
 */
export async function startPrivateCluster(): Promise<PrivateCluster> {
	const bins = clusterBinaries();
	if (!bins) throw new Error(`No initdb/pg_ctl found in ${SEARCH.join(', ')}`);
	const dir = mkdtempSync(join(tmpdir(), 'flowdeck-pg-'));
	const data = join(dir, 'data');
	const logFile = join(dir, 'server.log');
	const asRoot = process.getuid?.() === 0;
	if (asRoot) {
		const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
		chownSync(dir, uid, gid);
	}
	const pg = async (bin: string, args: string[]) => {
		const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
		try {
			await run(cmd, argv, { timeout: 60_000 });
		} catch (err) {
			const e = err as { stderr?: string; message: string };
			throw new Error(`${bin} ${args.join(' ')} failed: ${e.stderr || e.message}\n${readLog()}`);
		}
	};
	const readLog = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
	const port = await freePort();
	await pg(bins.initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
	let running = false;
	const start = async () => {
		await pg(bins.pgCtl, ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', logFile, '-w', '-t', '30', 'start']);
		running = true;
	};
	const stop = async () => {
		await pg(bins.pgCtl, ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
		running = false;
	};
	await start();
	// If the test process ends without destroy() (a crash, a timeout), do not leave a postmaster behind.
	const orphanGuard = () => {
		if (!running) return;
		const args = ['-D', data, '-m', 'immediate', 'stop'];
		try {
			if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', bins.pgCtl, ...args], { stdio: 'ignore' });
			else execFileSync(bins.pgCtl, args, { stdio: 'ignore' });
		} catch {
			// best effort
		}
	};
	process.once('exit', orphanGuard);
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		port,
		start,
		stop,
		log: readLog,
		async destroy() {
			process.off('exit', orphanGuard);
			if (running) await stop().catch(() => {});
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
