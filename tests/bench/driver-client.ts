import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { DriverMethod, driverMethods } from './driver.ts';

/** The load-driver process, seen from the orchestrator. */
export interface DriverClient {
	/** Runs one of the driver's methods in the driver process. */
	call<M extends DriverMethod>(method: M, params: Parameters<(typeof driverMethods)[M]>[0]): Promise<Awaited<ReturnType<(typeof driverMethods)[M]>>>;
	/** Calls `listener` for each event the driver reports (e.g. 'sending', 'sent'); returns an unsubscribe. */
	onEvent(listener: (event: string) => void): () => void;
	/** Ends the driver (it exits when the IPC channel closes). */
	stop(): void;
}

/** Forks tests/bench/driver.ts (under tsx) and talks to it over IPC. */
export function startDriver(): DriverClient {
	const child: ChildProcess = fork(join(import.meta.dirname, 'driver.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	let nextId = 0;
	const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
	const listeners = new Set<(event: string) => void>();
	child.on('message', (m: { id: number; result?: unknown; error?: string; event?: string }) => {
		if (m.event) {
			for (const l of listeners) l(m.event);
			return;
		}
		const w = waiting.get(m.id);
		waiting.delete(m.id);
		if (m.error) w?.reject(new Error(`driver: ${m.error}`));
		else w?.resolve(m.result);
	});
	child.on('exit', (code) => {
		for (const w of waiting.values()) w.reject(new Error(`the driver exited (${code})`));
		waiting.clear();
	});
	return {
		call(method, params) {
			const id = nextId++;
			return new Promise((resolve, reject) => {
				waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
				child.send({ id, method, params });
			});
		},
		onEvent(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		stop: () => {
			if (child.connected) child.disconnect();
		}
	};
}
