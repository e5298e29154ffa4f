import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './server.ts';

/** A throwaway redis-server of the test's own on loopback (no persistence), which it may stop and start again. */
export interface LocalRedis {
	url: string;
	port: number;
	/** Stops the server (SIGTERM) and waits for it to exit. */
	stop(): Promise<void>;
	/** Starts it again on the same port. */
	start(): Promise<void>;
}

/** Starts `redis-server` (Debian's package) on a free port and waits until it accepts connections. */
export async function startLocalRedis(): Promise<LocalRedis> {
	const port = await freePort();
	let child: ChildProcess | null = null;
	const start = async () => {
		const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
		child = proc;
		let output = '';
		await new Promise<void>((ready, fail) => {
			const timer = setTimeout(() => fail(new Error(`redis-server did not start in 10 s:\n${output}`)), 10_000);
			proc.stdout.on('data', (d: Buffer) => {
				output += d.toString();
				if (output.includes('Ready to accept connections')) {
					clearTimeout(timer);
					ready();
				}
			});
			proc.once('exit', (code) => {
				clearTimeout(timer);
				fail(new Error(`redis-server exited with ${code}:\n${output}`));
			});
		});
	};
	await start();
	return {
		url: `redis://127.0.0.1:${port}`,
		port,
		start,
		async stop() {
			const proc = child;
			child = null;
			if (!proc || proc.exitCode !== null) return;
			const exited = new Promise<void>((r) => proc.once('exit', () => r()));
			proc.kill('SIGTERM');
			await exited;
		}
	};
}
