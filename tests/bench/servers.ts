import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { openInspector, type InspectorSession } from './inspector.ts';

/** The repository root. */
export const root = join(import.meta.dirname, '..', '..');

/** A server process the benchmark started. */
export interface BenchServer {
	name: 'ours' | 'reference';
	url: string;
	port: number;
	pid: number;
	/** Resident set size of the server process, in KiB (from /proc). */
	rssKb(): number;
	/**
	 * Forces two full garbage collections through the inspector (the server runs with --inspect on a
	 * random loopback port) and returns the V8 heap in use afterwards, in KiB.
	 */
	collectGarbage(): Promise<number>;
	/** A DevTools session with the server process (for profiles and event-loop probes). */
	inspect(): Promise<InspectorSession>;
	/** CPU time the process has used so far (user + system), in ms. */
	cpuMs(): number;
	/** Recent output, for failure messages. */
	output(): string;
	/** SIGTERM, then wait for exit (our server saves everything first). */
	stop(): Promise<void>;
	/** SIGKILL: ends the process without its shutdown (which would fold the stored rows into a snapshot). */
	kill(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/** VmRSS of a process in KiB (Linux). */
export function rssKbOf(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
	if (!match) throw new Error(`no VmRSS for pid ${pid}`);
	return Number(match[1]);
}

/** Both servers get an inspector on a random loopback port, used only to force GC before memory readings. */
const INSPECT = '--inspect=127.0.0.1:0';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const TICKS = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

/** User + system CPU time of a process, in ms (Linux). */
export function cpuMsOf(pid: number): number {
	// Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

/** Where our server keeps its data: a PostgreSQL URL or a PGlite folder. */
export type OurDatabase = { url: string } | { dataDir: string };

/** Starts the production server (`node --import tsx server/index.ts`, auth and persistence on) from `appDir`. */
export function startOurServer(db: OurDatabase, port: number, appDir: string): Promise<BenchServer> {
	// The bench signs up its accounts from 127.0.0.1: lift the per-address sign-up limit.
	const env: NodeJS.ProcessEnv = { SIGNUP_LIMIT_PER_HOUR: '100000', BOARD_LIMIT_PER_10_MIN: '100000', ...process.env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' };
	delete env.ORIGIN;
	delete env.DATABASE_URL;
	delete env.DATA_DIR;
	if ('url' in db) env.DATABASE_URL = db.url;
	else env.DATA_DIR = db.dataDir;
	// BENCH_CPU_PROFILE=<dir>: V8 CPU profiles of our server (one per process, written when it stops).
	const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
	return start('ours', [...profile, INSPECT, '--import', 'tsx', join(appDir, 'server', 'index.ts')], env, port, 'listening on', appDir);
}

/** Starts the bare reference server in its own process. */
export function startReferenceServer(port: number): Promise<BenchServer> {
	const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
	delete env.YPERSISTENCE;
	return start('reference', [INSPECT, '--import', 'tsx', join(root, 'tests', 'bench', 'reference-server.ts'), String(port)], env, port, 'listening on', root);
}

async function start(name: BenchServer['name'], args: string[], env: NodeJS.ProcessEnv, port: number, ready: string, cwd: string): Promise<BenchServer> {
	const child: ChildProcess = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const keep = (d: Buffer) => {
		output = (output + d.toString()).slice(-20_000);
	};
	child.stdout!.on('data', keep);
	child.stderr!.on('data', keep);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${name} server did not start within 60 s:\n${output}`)), 60_000);
		const check = () => {
			if (output.includes(ready)) {
				clearTimeout(timer);
				child.stdout!.off('data', check);
				resolve();
			}
		};
		child.stdout!.on('data', check);
		void exited.then(() => {
			clearTimeout(timer);
			reject(new Error(`${name} server exited during start:\n${output}`));
		});
	});
	const inspector = /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
	const inspect = () => {
		if (!inspector) throw new Error(`${name}: no inspector URL in the server output`);
		return openInspector(inspector);
	};
	return {
		name,
		inspect,
		async collectGarbage() {
			const session = await inspect();
			try {
				await session.call('HeapProfiler.collectGarbage');
				await session.call('HeapProfiler.collectGarbage');
				const usage = await session.call<{ usedSize: number }>('Runtime.getHeapUsage');
				return Math.round(usage.usedSize / 1024);
			} finally {
				session.close();
			}
		},
		cpuMs: () => cpuMsOf(child.pid!),
		url: `http://127.0.0.1:${port}`,
		port,
		pid: child.pid!,
		rssKb: () => rssKbOf(child.pid!),
		output: () => output,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
			await exited;
			clearTimeout(timer);
		},
		async kill() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
			await exited;
		}
	};
}
