import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** A Flowdeck server process started for a test. */
export interface TestServer {
	url: string;
	port: number;
	process: ChildProcess;
	/** Output so far, for failure messages. */
	output(): string;
	/** SIGTERM and wait for exit. */
	stop(): Promise<number | null>;
	/** SIGKILL (a crash: nothing is flushed) and wait for exit. */
	crash(): Promise<void>;
}

/** Options for `startServer`. */
export interface StartOptions {
	/** Listen on this port (e.g. the port a crashed server had, so its clients reconnect); default a free one. */
	port?: number;
	/** A module to `--import` before the server (test instrumentation such as throw-on-signal.ts). */
	preload?: string;
}

/** A TCP port nobody is listening on right now. */
export async function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/** A temporary PGlite data folder, removed by the returned function. */
export function tempDataDir(): { dir: string; remove(): void } {
	const dir = mkdtempSync(join(tmpdir(), 'flowdeck-test-'));
	return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts the production server (server/index.ts over build/) and waits until it listens. */
export async function startServer(env: { DATABASE_URL?: string; DATA_DIR?: string; [key: string]: string | undefined }, options: StartOptions = {}): Promise<TestServer> {
	if (!existsSync(join(root, 'build', 'handler.js'))) throw new Error('No build/: run `npm run build` first (npm test does).');
	const port = options.port ?? (await freePort());
	const preload = options.preload ? ['--import', options.preload] : [];
	const child = spawn(process.execPath, ['--import', 'tsx', ...preload, join(root, 'server', 'index.ts')], {
		cwd: root,
		// Tests sign up many accounts from 127.0.0.1: the sign-up and board limits are lifted unless a test sets them.
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: undefined, SIGNUP_LIMIT_PER_HOUR: '100000', BOARD_LIMIT_PER_10_MIN: '100000', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr.on('data', (d: Buffer) => (output += d.toString()));
	const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
	await new Promise<void>((ready, fail) => {
		const timer = setTimeout(() => fail(new Error(`server did not start in 90 s:\n${output}`)), 90_000);
		const check = () => {
			if (output.includes('listening on')) {
				clearTimeout(timer);
				ready();
			}
		};
		child.stdout.on('data', check);
		void exited.then((code) => {
			clearTimeout(timer);
			fail(new Error(`server exited with ${code}:\n${output}`));
		});
	});
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		process: child,
		output: () => output,
		async stop() {
			if (child.exitCode === null) child.kill('SIGTERM');
			return exited;
		},
		async crash() {
			if (child.exitCode === null) child.kill('SIGKILL');
			await exited;
		}
	};
}
