import { BoardEngine, type EngineExtension, type EngineOutput } from './board-engine.ts';
import { describeError, type EngineEvent, type EngineReplies, type EngineRequest } from './engine-protocol.ts';

/** Runs the board engines of one thread: opens them, answers their requests, reports their events. */
export class EngineDispatch {
	private readonly engines = new Map<number, BoardEngine>();

	constructor(
		/** Where engine `room`'s events go (posted to the main thread, or called directly in-process). */
		private readonly emit: (room: number, event: EngineEvent) => void,
		private readonly extensions: readonly EngineExtension[] = []
	) {}

	/** Handles one request for engine `room`; throws what the engine threw (the caller turns it into a rejection). */
	handle<R extends EngineRequest>(room: number, request: R): EngineReplies[R['op']] {
		if (request.op === 'open') {
			this.engines.set(room, new BoardEngine(request.spec, this.outputFor(room), this.extensions));
			return null as EngineReplies[R['op']];
		}
		const engine = this.engines.get(room);
		if (!engine) throw new Error(`No open engine ${room}`);
		return this.run(room, engine, request) as EngineReplies[R['op']];
	}

	/** How many engines are open. */
	get size(): number {
		return this.engines.size;
	}

	private run(room: number, engine: BoardEngine, request: EngineRequest): unknown {
		switch (request.op) {
			case 'apply':
				return engine.apply(request.actor, request.update);
			case 'step-one':
				return engine.stepOne();
			case 'answer':
				return engine.answer(request.stateVector);
			case 'snapshot':
				return engine.snapshot();
			case 'status':
				return engine.status();
			case 'commands':
				return engine.runCommands(request.origin, request.commands);
			case 'read':
				return engine.read(request.query);
			case 'novel':
				return engine.novel(request.update);
			case 'forget':
				engine.forget(request.connId);
				return null;
			case 'close':
				engine.dispose();
				this.engines.delete(room);
				return null;
			default:
				throw new Error(`Unknown engine request ${(request as { op: string }).op}`);
		}
	}

	private outputFor(room: number): EngineOutput {
		const emit = (event: EngineEvent) => this.emit(room, event);
		return {
			update: (update, changes) => emit({ kind: 'update', update, changes }),
			changes: (changes) => emit({ kind: 'changes', changes }),
			notice: (connId, cardId, message) => emit({ kind: 'notice', connId, cardId, message }),
			healed: (count) => emit({ kind: 'healed', count }),
			slowLoad: (ms) => emit({ kind: 'slow-load', ms }),
			log: (message, err) => emit({ kind: 'log', message, ...(err === undefined ? {} : { error: describeError(err) }) }),
			failed: (err) => emit({ kind: 'failed', error: describeError(err) })
		};
	}
}

/** Imports extension modules (each exports `extendEngine`) by URL or path, in order. */
export async function loadExtensions(modules: readonly string[]): Promise<EngineExtension[]> {
	return Promise.all(
		modules.map(async (name) => {
			const loaded = (await import(name)) as { extendEngine?: unknown };
			if (typeof loaded.extendEngine !== 'function') throw new Error(`Engine extension ${name} exports no extendEngine function`);
			return loaded.extendEngine as EngineExtension;
		})
	);
}
