import type { BoardChange } from '../../src/lib/board/changes.ts';
import type { ServerOrigin } from '../../src/lib/board/doc/origins.ts';
import type { NamedCommand } from '../../src/lib/board/doc/named-commands.ts';
import type { ApplyOutcome, CommandsOutcome, EngineActor, EngineSpec, EngineStatus } from './board-engine.ts';
import type { BoardQuery, BoardReading } from './board-reading.ts';

/** A request from the main thread to the engine of one board, and what each answers. */
export type EngineRequest =
	| { op: 'open'; spec: EngineSpec }
	| { op: 'apply'; actor: EngineActor; update: Uint8Array }
	| { op: 'step-one' }
	| { op: 'answer'; stateVector: Uint8Array }
	| { op: 'snapshot' }
	| { op: 'status' }
	| { op: 'commands'; origin: ServerOrigin; commands: NamedCommand[] }
	| { op: 'read'; query: BoardQuery }
	| { op: 'novel'; update: Uint8Array }
	| { op: 'forget'; connId: number }
	| { op: 'close' };

/** What each request resolves to. */
export interface EngineReplies {
	open: null;
	apply: ApplyOutcome;
	'step-one': Uint8Array;
	answer: Uint8Array;
	snapshot: Uint8Array;
	status: EngineStatus;
	commands: CommandsOutcome;
	read: BoardReading;
	novel: Map<number, number>;
	forget: null;
	close: null;
}

/** What an engine reports on its own, in order with its replies (see EngineOutput). */
export type EngineEvent =
	| { kind: 'update'; update: Uint8Array; changes: BoardChange[] }
	| { kind: 'changes'; changes: BoardChange[] }
	| { kind: 'notice'; connId: number; cardId: string; message: string }
	| { kind: 'healed'; count: number }
	| { kind: 'slow-load'; ms: number }
	| { kind: 'log'; message: string; error?: string }
	| { kind: 'failed'; error: string };

/** Main thread → worker: a request for the engine `room` (ids are the pool's). */
export interface RequestMessage {
	room: number;
	id: number;
	request: EngineRequest;
}

/** Worker → main thread: a reply to request `id`, or an event of engine `room`. */
export type WorkerMessage =
	| { room: number; id: number; ok: true; value: unknown }
	| { room: number; id: number; ok: false; error: string }
	| { room: number; event: EngineEvent };

/** An error as text for the other thread (its stack when it has one: the log line is all an operator gets). */
export function describeError(err: unknown): string {
	return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
