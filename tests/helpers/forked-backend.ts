import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { SyncOptions } from '../../server/sync/options.ts';
import type { StoredDocument } from '../../server/persistence/document-store.ts';
import { createScratchPostgres, type DbKind } from './db.ts';
import { tempDataDir } from './server.ts';
import type { BackendConfig } from './backend-process.ts';

const root = resolve(import.meta.dirname, '../..');

/**
 * The real sync backend (`startFlowdeck`, as `server/index.ts` runs it, without the SvelteKit pages) in a child
 * process, so it has its own core and event loop, with a test-only IPC window onto its rooms and stored rows.
 */
export interface ForkedBackend {
	/** http://127.0.0.1:<port> (sockets go to /sync/<boardId>). */
	url: string;
	/** Signs a user up in the database; returns their id and a session Cookie header. */
	user(name: string): Promise<{ id: string; cookie: string }>;
	/** A new board owned by `ownerId`, with `editorIds` joined as editors. */
	newBoard(ownerId: string, editorIds: string[], name: string): Promise<string>;
	/** Whether the board's room is loaded (or loading). */
	roomLoaded(boardId: string): Promise<boolean>;
	/** The room's document as one update, or null when the room is not loaded. */
	roomState(boardId: string): Promise<Uint8Array | null>;
	/** What the database holds for the board. */
	stored(boardId: string): Promise<StoredDocument>;
	/** Everything the backend logged with console.error so far. */
	readonly errors: string[];
	/** Shuts the backend down gracefully and removes its database. */
	close(): Promise<void>;
}

/** Starts the backend in a child process on PGlite (temp folder) or a scratch PostgreSQL database. */
export async function forkBackend(kind: DbKind, sync: Partial<SyncOptions> = {}): Promise<ForkedBackend> {
	let drop: () => Promise<void> | void;
	const config: BackendConfig = { databaseUrl: undefined, dataDir: '', sync };
	if (kind === 'postgres') {
		const scratch = await createScratchPostgres();
		config.databaseUrl = scratch.url;
		drop = () => scratch.drop();
	} else {
		const data = tempDataDir();
		config.dataDir = data.dir;
		drop = () => data.remove();
	}
	const child: ChildProcess = fork(resolve(root, 'tests/helpers/backend-process.ts'), [], {
		cwd: root,
		execArgv: ['--import', 'tsx'],
		serialization: 'advanced',
		env: { ...process.env, FLOWDECK_BACKEND_CONFIG: JSON.stringify(config) },
		stdio: ['ignore', 'pipe', 'pipe', 'ipc']
	});
	let output = '';
	child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
	const errors: string[] = [];
	const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
	let nextId = 0;
	const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
	const url = await new Promise<string>((ready, fail) => {
		const timer = setTimeout(() => fail(new Error(`backend did not start in 60 s:\n${output}`)), 60_000);
		child.on('message', (raw) => {
			const msg = raw as { type: string; url?: string; message?: string; id?: number; result?: unknown; error?: string };
			if (msg.type === 'ready') {
				clearTimeout(timer);
				ready(msg.url!);
			} else if (msg.type === 'log') errors.push(msg.message!);
			else if (msg.type === 'reply') {
				const waiter = pending.get(msg.id!);
				pending.delete(msg.id!);
				if (msg.error !== undefined) waiter?.reject(new Error(`backend: ${msg.error}`));
				else waiter?.resolve(msg.result);
			}
		});
		void exited.then((code) => {
			clearTimeout(timer);
			fail(new Error(`backend exited with ${code}:\n${output}`));
			for (const waiter of pending.values()) waiter.reject(new Error(`backend exited with ${code}:\n${output.slice(-2000)}`));
			pending.clear();
		});
	});
	const call = <T>(method: string, ...args: unknown[]): Promise<T> =>
		new Promise<T>((resolveCall, reject) => {
			const id = nextId++;
			pending.set(id, { resolve: resolveCall as (v: unknown) => void, reject });
			child.send({ id, method, args });
		});
	return {
		url,
		errors,
		user: (name) => call('user', name),
		newBoard: (ownerId, editorIds, name) => call('newBoard', ownerId, editorIds, name),
		roomLoaded: (boardId) => call('roomLoaded', boardId),
		roomState: (boardId) => call('roomState', boardId),
		stored: (boardId) => call('stored', boardId),
		async close() {
			if (child.exitCode === null && child.connected) {
				await call('close');
				child.disconnect();
			}
			await exited;
			await drop();
		}
	};
}
