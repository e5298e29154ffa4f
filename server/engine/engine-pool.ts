import { Worker } from 'node:worker_threads';
import type { EngineSpec } from './board-engine.ts';
import { EngineDispatch, loadExtensions } from './engine-dispatch.ts';
import type { EngineExtension } from './board-engine.ts';
import type { EngineEvent, EngineReplies, EngineRequest, WorkerMessage } from './engine-protocol.ts';

/** The main thread's handle on one board's engine; requests are answered in the order they were made. */
export interface EngineHandle {
	request<R extends EngineRequest>(request: R): Promise<EngineReplies[R['op']]>;
	/** The thread it runs on (a worker's thread id; 0 for the main thread). */
	readonly thread: number;
}

type Listener = (event: EngineEvent) => void;

/** Heap ceiling of one engine thread, in MB. */
const ENGINE_HEAP_MB = 2048;

/** Where engines run: a worker thread, or (with no workers configured) the main thread itself. */
interface EngineThread {
	/** Resolves once the thread can open engines (its extensions loaded). */
	readonly ready: Promise<void>;
	readonly rooms: Map<number, Listener>;
	readonly alive: boolean;
	readonly id: number;
	request(room: number, request: EngineRequest): Promise<unknown>;
	stop(): Promise<void>;
}

/**
 * Runs every open board's Yjs work (its BoardEngine) on a pool of worker threads, so that an expensive
 * update or load stalls one engine thread — and the boards on it — but never the sockets, authorization and
 * HTTP on the main thread, nor the boards on other threads. A new board goes to the thread with the fewest.
 * A thread that dies (an out-of-memory, a bug) fails its boards — their rooms save and reopen on a fresh
 * thread — and the server carries on. With `size` 0 the engines run on the main thread (small installs, tests).
 * `extensions` name modules exporting an `extendEngine` (an EngineExtension) that every thread loads.
 */
export class EnginePool {
	private readonly threads: EngineThread[] = [];
	private nextRoom = 1;
	private closed = false;

	constructor(
		private readonly size: number,
		private readonly log: (message: string, err?: unknown) => void,
		private readonly extensions: readonly string[] = []
	) {}

	/** Opens a board's engine on the least busy thread; `listener` gets its events (also those of opening). */
	async open(spec: EngineSpec, listener: Listener): Promise<EngineHandle> {
		if (this.closed) throw new Error('The engine pool is closed');
		const thread = this.pick();
		await thread.ready;
		const room = this.nextRoom++;
		thread.rooms.set(room, listener);
		const request = <R extends EngineRequest>(r: R) => thread.request(room, r) as Promise<EngineReplies[R['op']]>;
		try {
			await request({ op: 'open', spec });
		} catch (err) {
			thread.rooms.delete(room);
			throw err;
		}
		return {
			thread: thread.id,
			request: async (r) => {
				const reply = await request(r);
				if (r.op === 'close') thread.rooms.delete(room);
				return reply;
			}
		};
	}

	/** Starts every thread now, so that the first boards opened do not wait for a thread to start (~0.3 s each). */
	warm(): void {
		while (!this.closed && this.threads.length < Math.max(1, this.size)) this.threads.push(this.newThread());
	}

	/** Engine threads running now (0 when engines run on the main thread). */
	get threadCount(): number {
		return this.size === 0 ? 0 : this.threads.filter((t) => t.alive).length;
	}

	/** Stops every thread (after the rooms closed). */
	async close(): Promise<void> {
		this.closed = true;
		await Promise.all(this.threads.splice(0).map((t) => t.stop()));
	}

	private pick(): EngineThread {
		for (let i = this.threads.length - 1; i >= 0; i--) if (!this.threads[i]!.alive) this.threads.splice(i, 1);
		const wanted = Math.max(1, this.size);
		if (this.threads.length < wanted) {
			const thread = this.newThread();
			this.threads.push(thread);
			return thread;
		}
		return this.threads.reduce((a, b) => (b.rooms.size < a.rooms.size ? b : a));
	}

	private newThread(): EngineThread {
		return this.size === 0 ? new MainThread(this.extensions) : new WorkerThread(this.log, this.extensions);
	}
}

/** Engines on the main thread: requests run at once, events are delivered as they happen. */
class MainThread implements EngineThread {
	readonly rooms = new Map<number, Listener>();
	readonly alive = true;
	readonly id = 0;
	readonly ready: Promise<void>;
	private dispatch: EngineDispatch | null = null;

	constructor(extensions: readonly string[]) {
		this.ready = loadExtensions(extensions).then((loaded: EngineExtension[]) => {
			this.dispatch = new EngineDispatch((room, event) => this.rooms.get(room)?.(event), loaded);
		});
	}

	request(room: number, request: EngineRequest): Promise<unknown> {
		try {
			if (!this.dispatch) throw new Error('The engine thread is not ready');
			return Promise.resolve(this.dispatch.handle(room, request));
		} catch (err) {
			return Promise.reject(err instanceof Error ? err : new Error(String(err)));
		}
	}

	stop(): Promise<void> {
		return Promise.resolve();
	}
}

/** Engines on one worker thread (engine-worker.ts), reached by messages. */
class WorkerThread implements EngineThread {
	readonly rooms = new Map<number, Listener>();
	/** Requests queue in the worker's port until it has loaded its extensions. */
	readonly ready = Promise.resolve();
	private readonly worker: Worker;
	private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
	private nextId = 1;
	private dead = false;
	private stopping = false;

	constructor(log: (message: string, err?: unknown) => void, extensions: readonly string[]) {
		// No inherited flags: the entry registers the TypeScript loader itself.
		this.worker = new Worker(new URL('./engine-thread.js', import.meta.url), {
			execArgv: [],
			workerData: { extensions },
			// A heap of its own with a ceiling: a thread that runs out of memory ends alone (its boards reopen on a fresh
			// one) instead of V8 aborting the whole process. Boards are capped at 16 MiB each, so this is generous.
			resourceLimits: { maxOldGenerationSizeMb: ENGINE_HEAP_MB }
		});
		// The main thread's sockets and timers decide when the process ends, not an idle engine thread.
		this.worker.unref();
		this.worker.on('message', (message: WorkerMessage) => this.receive(message));
		this.worker.on('error', (err) => {
			log(`engine thread ${this.worker.threadId} failed; its ${this.rooms.size} board(s) reopen on another`, err);
			this.die(err.message);
		});
		this.worker.on('exit', (code) => {
			if (!this.stopping) log(`engine thread ${this.worker.threadId} exited (${code}); its ${this.rooms.size} board(s) reopen on another`);
			this.die(`engine thread exited (${code})`);
		});
	}

	get alive(): boolean {
		return !this.dead;
	}

	get id(): number {
		return this.worker.threadId;
	}

	request(room: number, request: EngineRequest): Promise<unknown> {
		if (this.dead) return Promise.reject(new Error('The engine thread stopped'));
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.waiting.set(id, { resolve, reject });
			this.worker.postMessage({ room, id, request });
		});
	}

	async stop(): Promise<void> {
		this.stopping = true;
		await this.worker.terminate();
	}

	private receive(message: WorkerMessage): void {
		if ('event' in message) return this.rooms.get(message.room)?.(message.event);
		const waiter = this.waiting.get(message.id);
		if (!waiter) return;
		this.waiting.delete(message.id);
		if (message.ok) waiter.resolve(message.value);
		else waiter.reject(new Error(message.error));
	}

	/** Rejects what is waiting and fails every board on this thread (their rooms save and close). */
	private die(reason: string): void {
		if (this.dead) return;
		this.dead = true;
		for (const waiter of this.waiting.values()) waiter.reject(new Error(`The engine thread stopped: ${reason}`));
		this.waiting.clear();
		if (this.stopping) return;
		for (const listener of this.rooms.values()) listener({ kind: 'failed', error: `engine thread stopped: ${reason}` });
		this.rooms.clear();
	}
}
